"""Reads of the customer's buying process (METHOD.md §7.1): templates, the template suggested
for an account, and the coverage of a deal's stakeholder roles — gathered as plain facts and
computed by `methodology.buying`. `buying_coverage_for` serves one deal or a thousand with the
same five queries (the risk rules of §6 read it)."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Max, Prefetch, QuerySet
from django.utils import timezone

from wuwei.accounts.models import Account
from wuwei.core.visibility import get_visible, visible
from wuwei.methodology import buying
from wuwei.methodology.enums import InteractionLevel
from wuwei.opportunities.models import Opportunity, Stage, StageTemplate
from wuwei.people.models import Activity, Contact, DecisionParticipant
from wuwei.people.models import InteractionLevel as InteractionLevelChoice
from wuwei.playbook.models import (
    BuyingProcessTemplate,
    BuyingRole,
    BuyingRoleContact,
    BuyingStep,
    OpportunityBuyingProcess,
)

OUR_STAGES = [s for s in Stage if s not in (Stage.WON, Stage.LOST)]


def _live_steps() -> Prefetch:
    roles = BuyingRole.objects.filter(archived_at__isnull=True).order_by("id")
    steps = (
        BuyingStep.objects.filter(archived_at__isnull=True)
        .order_by("number", "id")
        .prefetch_related(Prefetch("roles", queryset=roles))
    )
    return Prefetch("steps", queryset=steps)


def template_list(*, user: Any) -> QuerySet[BuyingProcessTemplate]:
    """Templates in force (not archived), with their steps and roles (three queries)."""
    return (
        visible(BuyingProcessTemplate, user)
        .filter(archived_at__isnull=True)
        .prefetch_related(_live_steps())
    )


def template_get(*, user: Any, id: int) -> BuyingProcessTemplate:
    return get_visible(template_list(user=user), user, pk=id)


def step_get(*, user: Any, template: BuyingProcessTemplate, id: int) -> BuyingStep:
    steps = visible(BuyingStep, user).filter(template=template, archived_at__isnull=True)
    return get_visible(steps, user, pk=id)


def role_get(*, user: Any, step: BuyingStep, id: int) -> BuyingRole:
    roles = visible(BuyingRole, user).filter(step=step, archived_at__isnull=True)
    return get_visible(roles, user, pk=id)


def account_size(account: Account) -> buying.CompanySize | None:
    """Size class of the account (one EXISTS query for its subsidiaries)."""
    has_subsidiaries = Account.objects.filter(parent=account, archived_at__isnull=True).exists()
    return buying.company_size(
        employee_count=account.employee_count,
        annual_revenue=account.annual_revenue,
        has_subsidiaries=has_subsidiaries,
    )


def suggested_template(
    templates: Iterable[BuyingProcessTemplate], account: Account
) -> BuyingProcessTemplate | None:
    """The template fitting the account's industry and size best (§7.1)."""
    by_id = {t.pk: t for t in templates}
    chosen = buying.suggest_template(
        [buying.TemplateFact(t.pk, t.industry, t.company_size) for t in by_id.values()],
        industry=account.industry,
        size=account_size(account),
    )
    return None if chosen is None else by_id[chosen]


# ----------------------------------------------------------------------------------------
# coverage


def _last_activity_on(opportunity_ids: list[int]) -> dict[tuple[int, int], date]:
    """(deal, contact) → the date of their last activity on that deal."""
    through = Activity.contacts.through
    rows = (
        through.objects.filter(
            activity__opportunity_id__in=opportunity_ids, activity__archived_at__isnull=True
        )
        .values("activity__opportunity_id", "contact_id")
        .annotate(last=Max("activity__occurred_on"))
    )
    return {(r["activity__opportunity_id"], r["contact_id"]): r["last"] for r in rows}


def buying_coverage_for(
    opportunity_ids: Iterable[int], *, as_of: date | None = None
) -> dict[int, buying.BuyingCoverage]:
    """Coverage of the customer's buying process for each deal (five queries whatever the
    number of deals). No visibility filter: callers pass deals they already see. A deal that
    follows no template is judged on its decision map alone (procurement/finance/legal by
    contact department, the approver and decision maker by decision role)."""
    ids = list(opportunity_ids)
    as_of = as_of or timezone.localdate()
    templates = dict(
        OpportunityBuyingProcess.objects.filter(
            opportunity_id__in=ids, archived_at__isnull=True
        ).values_list("opportunity_id", "template_id")
    )
    roles_by_template: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for role in BuyingRole.objects.filter(
        step__template_id__in=set(templates.values()),
        archived_at__isnull=True,
        step__archived_at__isnull=True,
    ).values("id", "function", "kind", "step__number", "step__template_id"):
        roles_by_template[role["step__template_id"]].append(role)
    mapped: dict[tuple[int, int], list[int]] = defaultdict(list)
    for opportunity_id, role_id, contact_id in BuyingRoleContact.objects.filter(
        opportunity_id__in=ids, archived_at__isnull=True, contact__archived_at__isnull=True
    ).values_list("opportunity_id", "role_id", "contact_id"):
        mapped[(opportunity_id, role_id)].append(contact_id)
    participants: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in DecisionParticipant.objects.filter(
        opportunity_id__in=ids, archived_at__isnull=True, contact__archived_at__isnull=True
    ).values(
        "opportunity_id", "contact_id", "decision_role", "interaction_level", "contact__department"
    ):
        participants[row["opportunity_id"]].append(row)
    last_activity = _last_activity_on(ids)
    return {
        opportunity_id: _coverage(
            opportunity_id,
            roles_by_template.get(templates.get(opportunity_id, 0), []),
            mapped,
            participants[opportunity_id],
            last_activity,
            as_of,
        )
        for opportunity_id in ids
    }


def _coverage(
    opportunity_id: int,
    roles: list[dict[str, Any]],
    mapped: dict[tuple[int, int], list[int]],
    participants: list[dict[str, Any]],
    last_activity: dict[tuple[int, int], date],
    as_of: date,
) -> buying.BuyingCoverage:
    levels = {p["contact_id"]: InteractionLevel(p["interaction_level"]) for p in participants}

    def fact(contact_id: int, department: str = "") -> buying.ContactFact:
        return buying.ContactFact(
            contact_id=contact_id,
            interaction_level=levels.get(contact_id, InteractionLevel.NONE),
            last_activity_on=last_activity.get((opportunity_id, contact_id)),
            department_function=buying.department_function(department),
        )

    role_facts = [
        buying.RoleFact(
            role_id=role["id"],
            function=buying.BuyingFunction(role["function"]),
            kind=buying.BuyingRoleKind(role["kind"]),
            step=role["step__number"],
            contacts=tuple(fact(c) for c in mapped.get((opportunity_id, role["id"]), [])),
        )
        for role in roles
    ]
    return buying.buying_coverage(
        role_facts,
        as_of=as_of,
        deal_contacts=[fact(p["contact_id"], p["contact__department"]) for p in participants],
        decision_roles={p["decision_role"] for p in participants},
    )


# ----------------------------------------------------------------------------------------
# the deal tab


@dataclass(frozen=True)
class MappedContact:
    mapping_id: int
    contact: Contact
    interaction_level: str
    last_activity_on: date | None
    is_engaged: bool

    @property
    def level_label(self) -> str:
        return str(InteractionLevelChoice(self.interaction_level).label)


@dataclass(frozen=True)
class RoleRow:
    role: BuyingRole
    contacts: list[MappedContact]

    @property
    def is_covered(self) -> bool:
        return bool(self.contacts)

    @property
    def is_engaged(self) -> bool:
        return any(c.is_engaged for c in self.contacts)


@dataclass(frozen=True)
class StepRow:
    step: BuyingStep
    roles: list[RoleRow]


@dataclass(frozen=True)
class StageRow:
    stage: str
    name: str
    steps: list[StepRow]


@dataclass(frozen=True)
class BuyingView:
    opportunity: Opportunity
    process: OpportunityBuyingProcess | None
    template: BuyingProcessTemplate | None
    suggested: BuyingProcessTemplate | None
    templates: list[BuyingProcessTemplate]
    stages: list[StageRow]
    coverage: buying.BuyingCoverage
    uncovered: list[RoleRow]
    contacts: list[Contact]


def buying_view(*, user: Any, opportunity: Opportunity, as_of: date | None = None) -> BuyingView:
    """Everything the deal's "Buying process" tab shows, in a fixed number of queries: the
    template followed (or suggested), the customer's steps beside our seven stages, each
    role's contacts and whether they are engaged, and the coverage."""
    as_of = as_of or timezone.localdate()
    process = (
        visible(OpportunityBuyingProcess, user)
        .filter(opportunity=opportunity, archived_at__isnull=True)
        .first()
    )
    templates = list(template_list(user=user))
    template = next((t for t in templates if process and t.pk == process.template_id), None)
    coverage = buying_coverage_for([opportunity.pk], as_of=as_of)[opportunity.pk]
    mappings = (
        visible(BuyingRoleContact, user)
        .filter(
            opportunity=opportunity, archived_at__isnull=True, contact__archived_at__isnull=True
        )
        .select_related("contact")
        .order_by("contact__name", "id")
    )
    levels = dict(
        DecisionParticipant.objects.filter(opportunity=opportunity).values_list(
            "contact_id", "interaction_level"
        )
    )
    last = {c: d for (o, c), d in _last_activity_on([opportunity.pk]).items()}
    by_role: dict[int, list[MappedContact]] = defaultdict(list)
    for mapping in mappings:
        contact_id = mapping.contact_id
        level = levels.get(contact_id, InteractionLevel.NONE)
        is_engaged = buying.is_engaged(
            buying.ContactFact(contact_id, InteractionLevel(level), last.get(contact_id)),
            as_of=as_of,
        )
        by_role[mapping.role_id].append(
            MappedContact(mapping.pk, mapping.contact, str(level), last.get(contact_id), is_engaged)
        )
    steps = list(template.steps.all()) if template else []
    step_rows = [
        StepRow(step, [RoleRow(role, by_role.get(role.pk, [])) for role in step.roles.all()])
        for step in steps
    ]
    names = {t.stage: t.text("name") for t in StageTemplate.objects.all()}
    stages = [
        StageRow(
            str(stage),
            names.get(str(stage), str(stage.label)),
            [r for r in step_rows if r.step.stage == stage],
        )
        for stage in OUR_STAGES
    ]
    contacts = list(
        visible(Contact, user)
        .filter(account_id=opportunity.account_id, archived_at__isnull=True)
        .order_by("name", "id")
    )
    return BuyingView(
        opportunity=opportunity,
        process=process,
        template=template,
        suggested=suggested_template(templates, opportunity.account),
        templates=templates,
        stages=stages,
        coverage=coverage,
        uncovered=[row for s in step_rows for row in s.roles if not row.is_covered],
        contacts=contacts,
    )
