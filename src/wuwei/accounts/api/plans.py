"""/accounts/{id}/plans (API.md): GOSART plans with actions, value implantation and tactics
adoption; /tactics: the strategy tactics library (§2.4, §2.5)."""

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Status

from wuwei.accounts import selectors, services
from wuwei.accounts.api.base import router, user_of
from wuwei.accounts.models import AccountPlan, ActionStatus, PlanAction, Strategy, Tactic
from wuwei.competitors.models import Competitor
from wuwei.core.api import ERRORS, Schema, expected_version, reject_nulls, visible_ref
from wuwei.core.pagination import DEFAULT_LIMIT, keyset_page
from wuwei.org.models import User

tactics_router = Router(tags=["accounts"])


class ActionOut(Schema):
    id: int
    title: str
    owner: int = Field(alias="owner_id")
    owner_name: str
    due: date | None
    status: str
    tactic: int | None = Field(None, alias="tactic_id")
    notes: str
    version: int

    @staticmethod
    def resolve_owner_name(obj: PlanAction) -> str:
        return str(obj.owner)


class ComparisonOut(Schema):
    competitor: int = Field(alias="competitor_id")
    competitor_name: str
    rank: int
    solution_comparison: str
    strength_comparison: str
    is_ahead: bool

    @staticmethod
    def resolve_competitor_name(obj: Any) -> str:
        return str(obj.competitor)


class PlanOut(Schema):
    id: int
    account: int = Field(alias="account_id")
    year: int
    goal: str
    objectives: str
    strategy: str
    actions: list[ActionOut]
    resources: str
    tests: str
    relationship_advantage: str
    solution_advantage: str
    our_solution: str
    business_value: str
    competitors: list[ComparisonOut]
    version: int
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_actions(obj: AccountPlan) -> list[PlanAction]:
        return list(obj.actions.all())

    @staticmethod
    def resolve_competitors(obj: AccountPlan) -> list[Any]:
        return list(obj.competitors.all())


class PlanList(Schema):
    items: list[PlanOut]
    next: str | None
    count: int | None = None


class ComparisonIn(Schema):
    competitor: int
    rank: int = Field(ge=1, le=2)
    solution_comparison: str = Field("", max_length=5000)
    strength_comparison: str = Field("", max_length=5000)
    is_ahead: bool = False


class PlanFields(Schema):
    goal: str | None = Field(None, max_length=5000)
    objectives: str | None = Field(None, max_length=5000)
    strategy: Strategy | None = None
    resources: str | None = Field(None, max_length=5000)
    tests: str | None = Field(None, max_length=5000)
    relationship_advantage: str | None = Field(None, max_length=5000)
    solution_advantage: str | None = Field(None, max_length=5000)
    our_solution: str | None = Field(None, max_length=5000)
    business_value: str | None = Field(None, max_length=5000)
    competitors: list[ComparisonIn] | None = Field(None, max_length=2)


class PlanIn(PlanFields):
    year: int = Field(ge=2000, le=2100)


class PlanPatch(PlanFields):
    version: int | None = None


class ActionIn(Schema):
    title: str = Field(min_length=1, max_length=300)
    owner: int | None = None
    due: date | None = None
    status: ActionStatus = ActionStatus.PLANNED
    notes: str = Field("", max_length=5000)


class ActionPatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=300)
    owner: int | None = None
    due: date | None = None
    status: ActionStatus | None = None
    notes: str | None = Field(None, max_length=5000)
    version: int | None = None


class AdoptIn(Schema):
    tactics: list[int] = Field(min_length=1, max_length=50)
    owner: int | None = None
    due: date | None = None


class PlanQuery(Schema):
    limit: int = DEFAULT_LIMIT
    cursor: str | None = Field(None, max_length=500)
    count: bool = False


def _comparisons(user: User, items: list[ComparisonIn] | None) -> Any:
    if items is None:
        return None
    return [
        services.CompetitorComparison(
            competitor=visible_ref(user, Competitor, item.competitor, "competitors"),
            rank=item.rank,
            solution_comparison=item.solution_comparison,
            strength_comparison=item.strength_comparison,
            is_ahead=item.is_ahead,
        )
        for item in items
    ]


def _plan_fields(payload: PlanFields) -> dict[str, Any]:
    data = payload.dict(exclude_unset=True, exclude={"competitors", "version", "year"})
    return {k: ("" if v is None else v) for k, v in data.items()}


@router.get("/{account_id}/plans", response={200: PlanList, **ERRORS})
def plan_list(request: HttpRequest, account_id: int, query: Query[PlanQuery]) -> Any:
    """Plans of the account, newest year first."""
    user = user_of(request)
    account = selectors.account_get(user=user, id=account_id)
    qs = selectors.plan_list(user=user, account=account)
    return keyset_page(
        qs, sort="-year", limit=query.limit, cursor=query.cursor, with_count=query.count
    )


@router.post("/{account_id}/plans", response={201: PlanOut, **ERRORS})
def plan_create(request: HttpRequest, account_id: int, payload: PlanIn) -> Any:
    user = user_of(request)
    account = selectors.account_get(user=user, id=account_id)
    competitors = _comparisons(user, payload.competitors) or []
    plan = services.plan_create(
        user=user,
        account=account,
        year=payload.year,
        competitors=competitors,
        **_plan_fields(payload),
    )
    return Status(201, selectors.plan_get(user=user, account=account, id=plan.pk))


@router.get("/{account_id}/plans/{plan_id}", response={200: PlanOut, **ERRORS})
def plan_get(request: HttpRequest, account_id: int, plan_id: int) -> Any:
    user = user_of(request)
    account = selectors.account_get(user=user, id=account_id)
    return selectors.plan_get(user=user, account=account, id=plan_id)


@router.patch("/{account_id}/plans/{plan_id}", response={200: PlanOut, **ERRORS})
def plan_patch(request: HttpRequest, account_id: int, plan_id: int, payload: PlanPatch) -> Any:
    user = user_of(request)
    account = selectors.account_get(user=user, id=account_id)
    plan = selectors.plan_get(user=user, account=account, id=plan_id)
    services.plan_update(
        user=user,
        plan=plan,
        changes=_plan_fields(payload),
        competitors=_comparisons(user, payload.competitors),
        expected_version=expected_version(request, payload.version),
    )
    return selectors.plan_get(user=user, account=account, id=plan_id)


@router.post("/{account_id}/plans/{plan_id}/actions", response={201: ActionOut, **ERRORS})
def action_create(request: HttpRequest, account_id: int, plan_id: int, payload: ActionIn) -> Any:
    user = user_of(request)
    account = selectors.account_get(user=user, id=account_id)
    plan = selectors.plan_get(user=user, account=account, id=plan_id)
    data = payload.dict()
    if data["owner"] is not None:
        data["owner"] = visible_ref(user, User, data["owner"], "owner")
    action = services.action_create(user=user, plan=plan, **data)
    return Status(201, action)


@router.patch(
    "/{account_id}/plans/{plan_id}/actions/{action_id}", response={200: ActionOut, **ERRORS}
)
def action_patch(
    request: HttpRequest, account_id: int, plan_id: int, action_id: int, payload: ActionPatch
) -> Any:
    user = user_of(request)
    account = selectors.account_get(user=user, id=account_id)
    plan = selectors.plan_get(user=user, account=account, id=plan_id)
    action = selectors.action_get(user=user, plan=plan, id=action_id)
    changes = payload.dict(exclude_unset=True, exclude={"version"})
    reject_nulls(changes, ("title", "owner", "status", "notes"))
    if changes.get("owner") is not None:
        changes["owner"] = visible_ref(user, User, changes["owner"], "owner")
    return services.action_update(
        user=user,
        action=action,
        changes=changes,
        expected_version=expected_version(request, payload.version),
    )


@router.post("/{account_id}/plans/{plan_id}/tactics", response={201: list[ActionOut], **ERRORS})
def plan_adopt(request: HttpRequest, account_id: int, plan_id: int, payload: AdoptIn) -> Any:
    """Adopt tactics from the library: each becomes a planned action."""
    user = user_of(request)
    account = selectors.account_get(user=user, id=account_id)
    plan = selectors.plan_get(user=user, account=account, id=plan_id)
    tactics = [visible_ref(user, Tactic, pk, "tactics") for pk in dict.fromkeys(payload.tactics)]
    owner = visible_ref(user, User, payload.owner, "owner") if payload.owner else None
    actions = services.plan_adopt_tactics(
        user=user, plan=plan, tactics=tactics, owner=owner, due=payload.due
    )
    return Status(201, actions)


class TacticOut(Schema):
    id: int
    strategy: str
    title: str
    description: str
    title_zh: str
    title_en: str
    description_zh: str
    description_en: str
    position: int
    version: int


class TacticList(Schema):
    items: list[TacticOut]
    next: str | None
    count: int | None = None


class TacticQuery(Schema):
    strategy: Strategy | None = None
    limit: int = DEFAULT_LIMIT
    cursor: str | None = Field(None, max_length=500)
    count: bool = False


class TacticIn(Schema):
    strategy: Strategy
    title_zh: str = Field(min_length=1, max_length=200)
    title_en: str = Field(min_length=1, max_length=200)
    description_zh: str = Field("", max_length=5000)
    description_en: str = Field("", max_length=5000)
    position: int = Field(0, ge=0, le=1000)


class TacticPatch(Schema):
    strategy: Strategy | None = None
    title_zh: str | None = Field(None, min_length=1, max_length=200)
    title_en: str | None = Field(None, min_length=1, max_length=200)
    description_zh: str | None = Field(None, max_length=5000)
    description_en: str | None = Field(None, max_length=5000)
    position: int | None = Field(None, ge=0, le=1000)
    version: int | None = None


@tactics_router.get("", response={200: TacticList, **ERRORS})
def tactic_list(request: HttpRequest, query: Query[TacticQuery]) -> Any:
    qs = selectors.tactic_list(user=user_of(request), strategy=query.strategy)
    return keyset_page(
        qs, sort="id", limit=query.limit, cursor=query.cursor, with_count=query.count
    )


@tactics_router.post("", response={201: TacticOut, **ERRORS})
def tactic_create(request: HttpRequest, payload: TacticIn) -> Any:
    return Status(201, services.tactic_create(user=user_of(request), **payload.dict()))


@tactics_router.patch("/{tactic_id}", response={200: TacticOut, **ERRORS})
def tactic_patch(request: HttpRequest, tactic_id: int, payload: TacticPatch) -> Any:
    user = user_of(request)
    tactic = selectors.tactic_get(user=user, id=tactic_id)
    changes = payload.dict(exclude_unset=True, exclude={"version"})
    reject_nulls(changes, tuple(changes))
    return services.tactic_update(
        user=user,
        tactic=tactic,
        changes=changes,
        expected_version=expected_version(request, payload.version),
    )


@tactics_router.delete("/{tactic_id}", response={200: TacticOut, **ERRORS})
def tactic_delete(request: HttpRequest, tactic_id: int) -> Any:
    user = user_of(request)
    return services.tactic_archive(user=user, tactic=selectors.tactic_get(user=user, id=tactic_id))
