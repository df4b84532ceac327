"""GOSART plans (§2.5): the plan, its actions, value implantation against the top-2
competitors, and adopting strategy tactics (§2.4) as actions; the tactics library."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from wuwei.accounts.models import (
    Account,
    AccountPlan,
    ActionStatus,
    PlanAction,
    PlanCompetitor,
    Tactic,
)
from wuwei.accounts.services.archive import require_creator
from wuwei.competitors.models import Competitor
from wuwei.core import services as core_services
from wuwei.core.errors import Conflict, NotAllowed, ValidationFailed
from wuwei.org.models import Role, User

PLAN_FIELDS = (
    "goal",
    "objectives",
    "strategy",
    "resources",
    "tests",
    "relationship_advantage",
    "solution_advantage",
    "our_solution",
    "business_value",
)
ACTION_FIELDS = ("title", "owner", "due", "status", "notes")
TACTIC_FIELDS = (
    "strategy",
    "title_zh",
    "title_en",
    "description_zh",
    "description_en",
    "position",
)
LIBRARY_ROLES = {Role.MANAGER, Role.EXECUTIVE, Role.ADMIN}


@dataclass(frozen=True, slots=True)
class CompetitorComparison:
    """One of the top-2 competitors of the value-implantation comparison."""

    competitor: Competitor
    rank: int
    solution_comparison: str = ""
    strength_comparison: str = ""
    is_ahead: bool = False


def _check_open(account: Account) -> None:
    if account.archived_at is not None:
        raise Conflict(_("This record is archived. Restore it before editing."))


def _set_competitors(
    *, user: User, plan: AccountPlan, competitors: Sequence[CompetitorComparison]
) -> None:
    """Replace the comparison: at most two, ranks 1 and 2, each competitor once."""
    ranks = [c.rank for c in competitors]
    ids = [c.competitor.pk for c in competitors]
    if len(competitors) > 2 or len(set(ranks)) != len(ranks) or len(set(ids)) != len(ids):
        raise ValidationFailed(
            _("Compare with at most the top two competitors, each once, ranked 1 and 2."),
            [("competitors", _("invalid"))],
        )
    if any(rank not in (1, 2) for rank in ranks):
        raise ValidationFailed(_("Rank is 1 or 2."), [("competitors", _("rank is 1 or 2"))])
    plan.competitors.all().delete()
    for item in competitors:
        core_services.save_new(
            PlanCompetitor(
                plan=plan,
                competitor=item.competitor,
                rank=item.rank,
                solution_comparison=item.solution_comparison,
                strength_comparison=item.strength_comparison,
                is_ahead=item.is_ahead,
            ),
            user=user,
        )


@transaction.atomic
def plan_create(
    *,
    user: User,
    account: Account,
    year: int,
    competitors: Sequence[CompetitorComparison] = (),
    **fields: Any,
) -> AccountPlan:
    require_creator(user)
    _check_open(account)
    unknown = set(fields) - set(PLAN_FIELDS)
    if unknown:
        raise ValueError(f"not plan fields: {sorted(unknown)}")
    if AccountPlan.objects.filter(account=account, year=year).exists():
        raise ValidationFailed(
            _("This account already has a plan for %(year)s.") % {"year": year},
            [("year", _("already planned"))],
        )
    fields.setdefault("strategy", account.strategy)
    plan = core_services.save_new(AccountPlan(account=account, year=year, **fields), user=user)
    _set_competitors(user=user, plan=plan, competitors=competitors)
    return plan


@transaction.atomic
def plan_update(
    *,
    user: User,
    plan: AccountPlan,
    expected_version: int | None,
    changes: dict[str, Any],
    competitors: Sequence[CompetitorComparison] | None = None,
) -> AccountPlan:
    require_creator(user)
    _check_open(plan.account)
    unknown = set(changes) - set(PLAN_FIELDS)
    if unknown:
        raise ValueError(f"not plan fields: {sorted(unknown)}")
    plan = core_services.update_fields(
        plan, user=user, changes=changes, expected_version=expected_version
    )
    if competitors is not None:
        _set_competitors(user=user, plan=plan, competitors=competitors)
    return plan


@transaction.atomic
def action_create(
    *,
    user: User,
    plan: AccountPlan,
    title: str,
    owner: User | None = None,
    due: date | None = None,
    status: str = ActionStatus.PLANNED,
    tactic: Tactic | None = None,
    notes: str = "",
) -> PlanAction:
    require_creator(user)
    _check_open(plan.account)
    action = PlanAction(
        plan=plan,
        title=title.strip()[:300],
        owner=owner or user,
        due=due,
        status=status,
        tactic=tactic,
        notes=notes,
    )
    return core_services.save_new(action, user=user)


def action_update(
    *, user: User, action: PlanAction, expected_version: int | None, changes: dict[str, Any]
) -> PlanAction:
    require_creator(user)
    unknown = set(changes) - set(ACTION_FIELDS)
    if unknown:
        raise ValueError(f"not action fields: {sorted(unknown)}")
    return core_services.update_fields(
        action, user=user, changes=changes, expected_version=expected_version
    )


@transaction.atomic
def plan_adopt_tactics(
    *,
    user: User,
    plan: AccountPlan,
    tactics: Sequence[Tactic],
    owner: User | None = None,
    due: date | None = None,
) -> list[PlanAction]:
    """Each adopted tactic becomes a planned action titled in the adopter's language; a
    tactic already in the plan is not added twice."""
    if not tactics:
        raise ValidationFailed(_("Choose at least one tactic."), [("tactics", _("required"))])
    adopted = set(
        PlanAction.objects.filter(plan=plan, tactic__in=tactics).values_list("tactic_id", flat=True)
    )
    return [
        action_create(
            user=user,
            plan=plan,
            title=tactic.title,
            owner=owner,
            due=due,
            tactic=tactic,
            notes=tactic.description,
        )
        for tactic in tactics
        if tactic.pk not in adopted and tactic.archived_at is None
    ]


def require_library_editor(user: User) -> None:
    """Who edits a tactics library (the account one, §2.4, and the competitive one, §4.7)."""
    if not (user.is_superuser or user.role_slugs & LIBRARY_ROLES):
        raise NotAllowed(_("Only managers and administrators edit the tactics library."))


def tactic_create(*, user: User, **fields: Any) -> Tactic:
    require_library_editor(user)
    unknown = set(fields) - set(TACTIC_FIELDS)
    if unknown:
        raise ValueError(f"not tactic fields: {sorted(unknown)}")
    return core_services.save_new(Tactic(**fields), user=user)


def tactic_update(
    *, user: User, tactic: Tactic, expected_version: int | None, changes: dict[str, Any]
) -> Tactic:
    require_library_editor(user)
    unknown = set(changes) - set(TACTIC_FIELDS)
    if unknown:
        raise ValueError(f"not tactic fields: {sorted(unknown)}")
    return core_services.update_fields(
        tactic, user=user, changes=changes, expected_version=expected_version
    )


def tactic_archive(*, user: User, tactic: Tactic) -> Tactic:
    require_library_editor(user)
    return core_services.archive(tactic, user=user)
