"""Account reads. Every query starts from `visible()`."""

import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Prefetch, Q, QuerySet

from wuwei.accounts.deals import deal_source
from wuwei.accounts.models import (
    Account,
    AccountFieldDefinition,
    AccountGrading,
    AccountPlan,
    AnnualEvaluation,
    MonitoringRecord,
    OwnershipConflict,
    PlanAction,
    PlanCompetitor,
    Tactic,
    Visit,
)
from wuwei.core.tactics import services as tactics
from wuwei.core.visibility import get_visible, visible
from wuwei.methodology.names import normalize_company_name

ACCOUNT_SORTS = {"name", "-name", "created_at", "-created_at", "updated_at", "-updated_at"}


@dataclass(frozen=True, slots=True)
class AccountFilters:
    q: str | None = None
    owner: str | None = None  # "me" or a user id
    team: int | None = None
    industry: str | None = None
    segment: str | None = None
    status: str | None = None
    parent: int | None = None
    grade: str | None = None
    account_class: str | None = None
    ka_profile: str | None = None
    strategy: str | None = None
    tag: str | None = None
    archived: bool = False


def _owner_filter(user: Any, owner: str) -> Q:
    if owner == "me":
        return Q(owner_id=user.pk)
    return Q(owner_id=int(owner)) if owner.isdigit() else Q(pk__in=[])


def account_search(queryset: QuerySet[Account], text: str) -> QuerySet[Account]:
    text = text.strip()
    if not text:
        return queryset
    condition = Q(name__icontains=text) | Q(registration_number__iexact=text)
    normalized = normalize_company_name(text)
    if normalized:
        condition |= Q(name_normalized__contains=normalized)
    return queryset.filter(condition)


def _tag_condition(tag: str) -> Q:
    """Accounts carrying `tag`: JSON containment on PostgreSQL; elsewhere a match on the
    stored JSON text, encoded the way Django stores it (so non-ASCII tags match too)."""
    if connection.vendor == "postgresql":
        return Q(tags__contains=[tag])
    return Q(tags__icontains=json.dumps(tag))


def account_list(*, user: Any, filters: AccountFilters) -> QuerySet[Account]:
    qs = visible(Account, user).select_related("owner", "team", "parent")
    qs = qs.filter(archived_at__isnull=not filters.archived)
    if filters.q:
        qs = account_search(qs, filters.q)
    if filters.owner:
        qs = qs.filter(_owner_filter(user, filters.owner))
    exact = {
        "team_id": filters.team,
        "industry": filters.industry,
        "segment": filters.segment,
        "status": filters.status,
        "parent_id": filters.parent,
        "grade": filters.grade,
        "account_class": filters.account_class,
        "ka_profile": filters.ka_profile,
        "strategy": filters.strategy,
    }
    if filters.tag:
        qs = qs.filter(_tag_condition(filters.tag.strip()))
    return qs.filter(**{k: v for k, v in exact.items() if v not in (None, "")})


def account_get(*, user: Any, id: int, include_archived: bool = True) -> Account:
    qs = visible(Account, user).select_related("owner", "team", "parent")
    if not include_archived:
        qs = qs.filter(archived_at__isnull=True)
    return get_visible(qs, user, pk=id)


# ---------------------------------------------------------------------------------------
# group hierarchy roll-up (§2.1)

MAX_GROUP_DEPTH = 10
CENT = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class GroupRollup:
    """Sums over the account and its visible subsidiaries (any depth)."""

    subsidiaries: int
    subsidiaries_revenue: Decimal
    group_revenue: Decimal
    open_pipeline: Decimal
    open_opportunities: int


def account_rollup(*, user: Any, account: Account) -> GroupRollup:
    """One query per level of the hierarchy, then one aggregate over open opportunities.
    Only what the user may see is summed, so a roll-up never reveals hidden subsidiaries."""
    accounts = visible(Account, user).filter(archived_at__isnull=True)
    descendants: list[int] = []
    revenue = Decimal(0)
    level = [account.pk]
    for _depth in range(MAX_GROUP_DEPTH):
        rows = list(accounts.filter(parent_id__in=level).values_list("pk", "annual_revenue"))
        if not rows:
            break
        level = [pk for pk, _revenue in rows if pk not in descendants]
        descendants += level
        revenue += sum((r for _pk, r in rows if r is not None), Decimal(0))
    pipeline, count = deal_source().open_pipeline(user, [account.pk, *descendants])
    return GroupRollup(
        subsidiaries=len(descendants),
        subsidiaries_revenue=revenue.quantize(CENT),
        group_revenue=(revenue + (account.annual_revenue or Decimal(0))).quantize(CENT),
        open_pipeline=pipeline.quantize(CENT),
        open_opportunities=count,
    )


# ---------------------------------------------------------------------------------------
# grading and nine-box (§2.2, §2.3)


def grading_history(*, user: Any, account: Account, limit: int = 20) -> list[AccountGrading]:
    return list(
        visible(AccountGrading, user)
        .filter(account=account)
        .select_related("graded_by")
        .order_by("-created_at", "-id")[:limit]
    )


def ninebox_accounts(*, user: Any, filters: AccountFilters) -> QuerySet[Account]:
    """Visible graded accounts with their current grading: the dots of the nine-box chart."""
    return (
        account_list(user=user, filters=filters)
        .filter(current_grading__isnull=False)
        .select_related("current_grading")
    )


# ---------------------------------------------------------------------------------------
# plans, tactics (§2.4, §2.5)


def plan_list(*, user: Any, account: Account) -> QuerySet[AccountPlan]:
    actions = PlanAction.objects.filter(archived_at__isnull=True).select_related("owner", "tactic")
    return (
        visible(AccountPlan, user)
        .filter(account=account, archived_at__isnull=True)
        .prefetch_related(
            Prefetch("actions", queryset=actions.order_by("due", "id")),
            Prefetch("competitors", queryset=PlanCompetitor.objects.select_related("competitor")),
        )
    )


def plan_get(*, user: Any, account: Account, id: int) -> AccountPlan:
    return get_visible(plan_list(user=user, account=account), user, pk=id)


def action_get(*, user: Any, plan: AccountPlan, id: int) -> PlanAction:
    qs = visible(PlanAction, user).filter(plan=plan).select_related("plan__account")
    return get_visible(qs, user, pk=id)


def tactic_list(*, user: Any, strategy: str | None = None) -> QuerySet[Tactic]:
    return tactics.tactic_list(Tactic, user=user, strategy=strategy)


def tactic_get(*, user: Any, id: int) -> Tactic:
    return tactics.tactic_get(Tactic, user=user, id=id)


# ---------------------------------------------------------------------------------------
# monitoring, evaluation, visits (§2.7, §2.8)


def monitoring_list(*, user: Any, account: Account) -> QuerySet[MonitoringRecord]:
    return (
        visible(MonitoringRecord, user)
        .filter(account=account, archived_at__isnull=True)
        .select_related("created_by")
    )


def evaluation_list(*, user: Any, account: Account) -> QuerySet[AnnualEvaluation]:
    return visible(AnnualEvaluation, user).filter(account=account).order_by("-year")


def visit_list(*, user: Any, account: Account) -> QuerySet[Visit]:
    return (
        visible(Visit, user)
        .filter(account=account, archived_at__isnull=True)
        .select_related("owner", "opportunity")
    )


def visit_get(*, user: Any, account: Account, id: int) -> Visit:
    return get_visible(visit_list(user=user, account=account), user, pk=id)


def account_opportunities(*, user: Any, account: Account) -> QuerySet[Any]:
    return deal_source().for_account(user, account)


# ---------------------------------------------------------------------------------------
# conflicts (§7.3)


@dataclass(frozen=True, slots=True)
class ConflictFilters:
    status: str | None = None
    kind: str | None = None
    account: int | None = None


def conflict_list(*, user: Any, filters: ConflictFilters) -> QuerySet[OwnershipConflict]:
    qs = visible(OwnershipConflict, user).select_related(
        "account", "other_account", "raised_by", "decided_by"
    )
    exact = {"status": filters.status, "kind": filters.kind, "account_id": filters.account}
    return qs.filter(**{k: v for k, v in exact.items() if v not in (None, "")})


def conflict_get(*, user: Any, id: int) -> OwnershipConflict:
    return get_visible(conflict_list(user=user, filters=ConflictFilters()), user, pk=id)


def visible_account_ids(*, user: Any, ids: list[int]) -> set[int]:
    """Which of these accounts the user may see, in one query (to hide names in the queue)."""
    if not ids:
        return set()
    return set(visible(Account, user).filter(pk__in=ids).values_list("pk", flat=True))


def custom_field_definitions(*, user: Any) -> list[AccountFieldDefinition]:
    """The live custom field definitions of the account archive, in form order."""
    return list(visible(AccountFieldDefinition, user).filter(archived_at__isnull=True))
