"""Stage owners, scores, credits, performance and the load heat map (MCI §5.3, §5.4)."""

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone
from ninja import Field, Query, Router, Status

from wuwei.core.api import ERRORS, AuthedRequest, ListQuery, Schema, visible_ref
from wuwei.core.visibility import visible
from wuwei.opportunities.models import Stage
from wuwei.org.models import User
from wuwei.support import selectors, services
from wuwei.support.api.common import deal_ref, page_of
from wuwei.support.api.resources import LoadQuery
from wuwei.support.models import CreditSplit, StageOwner, StageScore
from wuwei.support.selectors import money

#: The operation ids of support.api before its split (core.api.WuweiAPI).
OPERATION_ID_MODULE = "wuwei.support.api"
router = Router(tags=["presales"])


# ----------------------------------------------------------------------------------------
# stage owners, scores, credits, performance, load


class StageOwnerOut(Schema):
    id: int
    opportunity: int = Field(alias="opportunity_id")
    stage: str
    owner: int = Field(alias="owner_id")
    owner_name: str
    assigned_at: datetime
    assigned_by: int | None = Field(None, alias="assigned_by_id")
    reason: str
    left_at: datetime | None

    @staticmethod
    def resolve_owner_name(obj: StageOwner) -> str:
        return str(obj.owner)


class StageOwnerIn(Schema):
    opportunity: int
    stage: Stage
    owner: int
    reason: str = Field("", max_length=300)


class ScoreOut(Schema):
    id: int
    opportunity: int = Field(alias="opportunity_id")
    stage: str
    participant: int = Field(alias="participant_id")
    scored_by: int = Field(alias="scored_by_id")
    score: int
    comment: str
    created_at: datetime


class ScoreIn(Schema):
    opportunity: int
    stage: Stage
    participant: int
    score: int = Field(ge=0, le=100)
    comment: str = Field("", max_length=2000)


class CreditOut(Schema):
    id: int
    opportunity: int = Field(alias="opportunity_id")
    user: int = Field(alias="user_id")
    role: str
    amount: Decimal
    is_double_counted: bool


class DealQuery(ListQuery):
    opportunity: int | None = None
    user: int | None = None


class PerformanceOut(Schema):
    user: int = Field(alias="id")
    name: str
    team: str | None
    credited: Decimal
    credited_not_double_counted: Decimal = Field(alias="credited_real")
    deals_credited: int
    scores_received: int
    score_average: float | None
    days_spent: Decimal
    cost: Decimal
    return_ratio: Decimal | None = Field(None, description="credited / cost")

    @staticmethod
    def resolve_name(obj: User) -> str:
        return str(obj)

    @staticmethod
    def resolve_team(obj: User) -> str | None:
        return obj.team.name if obj.team else None

    @staticmethod
    def resolve_return_ratio(obj: User) -> Decimal | None:
        return selectors.performance_return(obj)

    # SQLite sums lose the two decimal places; money is always shown with two.
    @staticmethod
    def resolve_credited(obj: User) -> Decimal:
        return money(obj.credited)  # type: ignore[attr-defined]

    @staticmethod
    def resolve_credited_not_double_counted(obj: User) -> Decimal:
        return money(obj.credited_real)  # type: ignore[attr-defined]

    @staticmethod
    def resolve_days_spent(obj: User) -> Decimal:
        return money(obj.days_spent)  # type: ignore[attr-defined]

    @staticmethod
    def resolve_cost(obj: User) -> Decimal:
        return money(obj.cost)  # type: ignore[attr-defined]


class HeatMapOut(Schema):
    weeks: list[str]
    people: list[str]
    resource_ids: list[int]
    cells: list[list[float]]


class StageOwnerList(Schema):
    items: list[StageOwnerOut]
    next: str | None
    count: int | None = None


class ScoreList(Schema):
    items: list[ScoreOut]
    next: str | None
    count: int | None = None


class CreditList(Schema):
    items: list[CreditOut]
    next: str | None
    count: int | None = None


class PerformanceList(Schema):
    items: list[PerformanceOut]
    next: str | None
    count: int | None = None


def _filter_deal(qs: Any, query: DealQuery, user_field: str) -> Any:
    if query.opportunity is not None:
        qs = qs.filter(opportunity_id=query.opportunity)
    if query.user is not None:
        qs = qs.filter(**{f"{user_field}_id": query.user})
    return qs


@router.get("/stage-owners", response={200: StageOwnerList, **ERRORS})
def stage_owner_list(request: AuthedRequest, query: Query[DealQuery]) -> Any:
    qs = visible(StageOwner, request.auth).select_related("owner")
    return page_of(_filter_deal(qs, query, "owner"), query)


@router.post("/stage-owners", response={201: StageOwnerOut, **ERRORS})
def stage_owner_reassign(request: AuthedRequest, payload: StageOwnerIn) -> Any:
    opportunity = deal_ref(request.auth, payload.opportunity)
    owner = visible_ref(request.auth, User, payload.owner, "owner")
    term = services.stage_owner_reassign(
        user=request.auth,
        opportunity=opportunity,
        stage=payload.stage,
        owner=owner,
        reason=payload.reason,
    )
    return Status(201, term)


@router.get("/scores", response={200: ScoreList, **ERRORS})
def score_list(request: AuthedRequest, query: Query[DealQuery]) -> Any:
    qs = visible(StageScore, request.auth)
    return page_of(_filter_deal(qs, query, "participant"), query)


@router.post("/scores", response={201: ScoreOut, **ERRORS})
def score_submit(request: AuthedRequest, payload: ScoreIn) -> Any:
    opportunity = deal_ref(request.auth, payload.opportunity)
    participant = visible_ref(request.auth, User, payload.participant, "participant")
    score = services.stage_score_submit(
        user=request.auth,
        opportunity=opportunity,
        stage=payload.stage,
        participant=participant,
        score=payload.score,
        comment=payload.comment,
    )
    return Status(201, score)


@router.get("/credits", response={200: CreditList, **ERRORS})
def credit_list(request: AuthedRequest, query: Query[DealQuery]) -> Any:
    qs = visible(CreditSplit, request.auth)
    return page_of(_filter_deal(qs, query, "user"), query)


@router.get("/performance", response={200: PerformanceList, **ERRORS})
def performance(request: AuthedRequest, query: Query[ListQuery]) -> Any:
    return page_of(selectors.performance_report(user=request.auth), query)


@router.get("/load", response={200: HeatMapOut, **ERRORS})
def load(request: AuthedRequest, query: Query[LoadQuery]) -> Any:
    """Load per person and ISO week in percent of capacity (the board's heat map)."""
    return selectors.load_heatmap(
        user=request.auth,
        start=query.start or timezone.localdate(),
        weeks=query.weeks,
        unit=query.unit,
    )
