"""PRM reads (METHOD.md §6): the rules in force and the facts of deals, gathered in bulk.

`deal_facts` is the one selector the risk engine reads: for one deal or a thousand it costs
the same three queries (the deals with their annotated facts, their decision-map contacts,
their confirmed compelling events), and `rule_specs` one more. `risks_for` runs the pure
`methodology.risks.evaluate` over them. Callers pass deals they already read through
visibility (a visible queryset or ids taken from one).
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from wuwei.core.errors import NotFound
from wuwei.methodology.enums import DecisionRole, InteractionLevel, RelationshipStatus, Stage
from wuwei.methodology.risks import (
    DealFacts,
    EventFact,
    Finding,
    Kind,
    ParticipantFact,
    RuleSpec,
    Severity,
    evaluate,
)
from wuwei.opportunities.models import (
    AnswerRole,
    CompellingEvent,
    DealStrategy,
    Opportunity,
    Questionnaire,
    ValueProposition,
    WinRateSnapshot,
)
from wuwei.opportunities.winning.selectors import week_monday
from wuwei.people.models import Activity, DecisionParticipant
from wuwei.playbook.models import RiskRule

OPEN = [str(stage) for stage in Stage if stage.is_open]


def rule_list(*, include_archived: bool = False) -> QuerySet[RiskRule]:
    """Every rule, in the administrator's order (configuration: visible to every user)."""
    qs = RiskRule.objects.all()
    return qs if include_archived else qs.filter(archived_at__isnull=True)


def rule_get(*, id: int) -> RiskRule:
    try:
        rule: RiskRule = rule_list().get(pk=id)
    except (RiskRule.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("Not found.")) from None
    return rule


_SLUGS = {str(stage) for stage in Stage}


def _stages(values: Iterable[str]) -> frozenset[Stage]:
    return frozenset(Stage(v) for v in values if v in _SLUGS)


def to_spec(rule: RiskRule) -> RuleSpec:
    return RuleSpec(
        id=rule.pk,
        code=rule.code,
        kind=Kind(rule.kind),
        severity=Severity(rule.severity),
        stages=_stages(rule.stages),
        grades=frozenset(rule.grades),
        parameters=dict(rule.parameters),
        blocks_leaving=_stages(rule.blocks_leaving),
        blocks_entering=_stages(rule.blocks_entering),
        enabled=rule.enabled,
    )


def rule_specs() -> list[RuleSpec]:
    """The enabled rules as the engine reads them (one query)."""
    return [to_spec(rule) for rule in rule_list().filter(enabled=True)]


def _tags(rules: Sequence[RuleSpec]) -> list[str]:
    return sorted({str(r.parameters["tag"]) for r in rules if r.kind is Kind.ACTIVITY_TAG_MISSING})


def _newest_rep(outer: Any) -> QuerySet[Questionnaire]:
    return Questionnaire.objects.filter(
        opportunity=outer, role=AnswerRole.REP, archived_at__isnull=True
    ).order_by("-answered_at", "-id")


def _annotated(deals: QuerySet[Opportunity], as_of: date, tags: Sequence[str]) -> Any:
    """One query: the deal's own fields and every per-deal fact the rules need, as subqueries
    over the indexed (opportunity, date) pairs."""
    deal = OuterRef("pk")
    newest = _newest_rep(deal)
    adjustment = Questionnaire.objects.filter(
        role=AnswerRole.MANAGER,
        archived_at__isnull=True,
        adjusts=Subquery(_newest_rep(OuterRef(OuterRef("pk"))).values("pk")[:1]),
    ).order_by("-answered_at", "-id")
    last_week = week_monday(as_of) - timedelta(days=7)
    activities = Activity.objects.filter(opportunity=deal, archived_at__isnull=True)
    value = ValueProposition.objects.filter(opportunity=deal, archived_at__isnull=True).filter(
        ~Q(solution="") | ~Q(business_value="")
    )
    tag_facts = {
        f"tag_{index}": Exists(activities.filter(tags__contains=f",{tag},"))
        for index, tag in enumerate(tags)
    }
    return deals.order_by().annotate(
        fact_last_activity=Subquery(activities.order_by("-occurred_on").values("occurred_on")[:1]),
        fact_last_week=Subquery(
            WinRateSnapshot.objects.filter(opportunity=deal, week=last_week).values("win_rate")[:1]
        ),
        fact_questionnaire_at=Subquery(newest.values("answered_at")[:1]),
        fact_inside_source=Coalesce(
            Subquery(adjustment.values("has_inside_source")[:1]),
            Subquery(newest.values("has_inside_source")[:1]),
        ),
        fact_strategy=Exists(
            DealStrategy.objects.filter(opportunity=deal, archived_at__isnull=True)
        ),
        fact_value=Exists(value),
        **tag_facts,
    )


def _participants(ids: Sequence[int] | Any) -> dict[int, list[ParticipantFact]]:
    rows = (
        DecisionParticipant.objects.filter(opportunity_id__in=ids, archived_at__isnull=True)
        .order_by("opportunity_id", "-contact__influence", "contact__name", "id")
        .values_list(
            "opportunity_id",
            "contact__name",
            "contact__department",
            "contact__title",
            "decision_role",
            "relationship_status",
            "interaction_level",
            "strategy",
        )
    )
    found: dict[int, list[ParticipantFact]] = defaultdict(list)
    for deal_id, name, department, title, role, status, level, strategy in rows:
        found[deal_id].append(
            ParticipantFact(
                name=name,
                department=department,
                title=title,
                decision_role=DecisionRole(role),
                relationship_status=RelationshipStatus(status),
                interaction_level=InteractionLevel(level),
                has_strategy=bool(strategy),
            )
        )
    return found


def _events(ids: Sequence[int] | Any) -> dict[int, list[EventFact]]:
    rows = (
        CompellingEvent.objects.filter(
            opportunity_id__in=ids, is_confirmed=True, archived_at__isnull=True
        )
        .order_by("opportunity_id", "reevaluate_on", "id")
        .values_list("opportunity_id", "description", "reevaluate_on")
    )
    found: dict[int, list[EventFact]] = defaultdict(list)
    for deal_id, description, reevaluate_on in rows:
        found[deal_id].append(EventFact(description, reevaluate_on))
    return found


def _day(value: Any) -> date | None:
    return timezone.localdate(value) if value is not None else None


def deal_facts(
    deals: QuerySet[Opportunity] | Sequence[int],
    *,
    as_of: date,
    rules: Sequence[RuleSpec] = (),
) -> dict[int, DealFacts]:
    """The facts of every given deal (not archived), in three queries whatever their number.
    `rules` tells which activity tags to look for (`activity_tag_missing` rules)."""
    if isinstance(deals, QuerySet):
        base = deals.filter(archived_at__isnull=True)
        ids: Any = base.values("pk")
    else:
        ids = list(deals)
        if not ids:
            return {}
        base = Opportunity.objects.filter(pk__in=ids, archived_at__isnull=True)
    tags = _tags(rules)
    rows = list(_annotated(base, as_of, tags))
    if not rows:
        return {}
    people, events = _participants(ids), _events(ids)
    return {
        row.pk: DealFacts(
            opportunity_id=row.pk,
            stage=Stage(row.stage),
            grade=row.grade,
            created_on=timezone.localdate(row.created_at),
            expected_close=row.expected_close,
            win_rate=row.win_rate,
            win_rate_last_week=row.fact_last_week,
            confirmed_events=tuple(events.get(row.pk, ())),
            questionnaire_on=_day(row.fact_questionnaire_at),
            has_inside_source=row.fact_inside_source,
            participants=tuple(people.get(row.pk, ())),
            last_activity_on=row.fact_last_activity,
            activity_tags=frozenset(
                tag for index, tag in enumerate(tags) if getattr(row, f"tag_{index}")
            ),
            has_strategy=row.fact_strategy,
            has_value_proposition=row.fact_value,
        )
        for row in rows
    }


def risks_for(
    deals: QuerySet[Opportunity] | Sequence[int],
    *,
    as_of: date | None = None,
    rules: Sequence[RuleSpec] | None = None,
) -> dict[int, tuple[Finding, ...]]:
    """Findings per deal id (deals without a finding included, with an empty tuple): four
    queries for any number of deals."""
    as_of = as_of or timezone.localdate()
    rules = rule_specs() if rules is None else rules
    facts = deal_facts(deals, as_of=as_of, rules=rules)
    return {deal_id: evaluate(fact, rules, as_of=as_of) for deal_id, fact in facts.items()}


def facts_at_stage(facts: DealFacts, stage: str) -> DealFacts:
    """The same facts seen from another stage (a move judged from where it starts)."""
    return replace(facts, stage=Stage(stage))
