"""/presales/... and /opportunities/{id}/ledger (API.md, MCI). Validate → selector/service."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone
from ninja import Field, Query, Router, Status

from wuwei.core.api import (
    ERRORS,
    AuthedRequest,
    ListQuery,
    Schema,
    expected_version,
    visible_ref,
)
from wuwei.core.errors import NotFound
from wuwei.core.pagination import keyset_page
from wuwei.core.visibility import get_visible, visible
from wuwei.opportunities import partners
from wuwei.opportunities.models import Opportunity, Stage
from wuwei.org.models import Team, User
from wuwei.support import selectors, services
from wuwei.support.models import (
    Assignment,
    CreditSplit,
    LedgerEntry,
    LevelRate,
    PresalesRequest,
    Queue,
    RequestState,
    Resource,
    StageOwner,
    StageScore,
)
from wuwei.support.selectors import money

router = Router(tags=["presales"])
ledger_router = Router(tags=["presales"])


def _deal_ref(user: Any, opportunity_id: int) -> Opportunity:
    """A deal named in a presales write: presales work is internal, 404 for partner users."""
    partners.require_internal(user)
    deal: Opportunity = visible_ref(user, Opportunity, opportunity_id, "opportunity")
    return deal


def _page(qs: Any, query: ListQuery, sort: str = "id") -> Any:
    return keyset_page(
        qs, sort=sort, limit=query.limit, cursor=query.cursor, with_count=query.count
    )


# ----------------------------------------------------------------------------------------
# resources and day rates


class LevelOut(Schema):
    id: int
    level: str
    day_rate: Decimal


class LevelIn(Schema):
    level: str = Field(min_length=1, max_length=20)
    day_rate: Decimal = Field(ge=0, max_digits=12, decimal_places=2)


class ResourceOut(Schema):
    id: int
    user: int = Field(alias="user_id")
    name: str
    home_unit: int | None = Field(None, alias="home_unit_id")
    home_unit_name: str | None
    unit_kind: str
    level: str
    day_rate: Decimal
    skills: list[str]
    capacity_days_per_week: Decimal
    version: int
    archived: bool

    @staticmethod
    def resolve_name(obj: Resource) -> str:
        return str(obj.user)

    @staticmethod
    def resolve_home_unit_name(obj: Resource) -> str | None:
        return obj.home_unit.name if obj.home_unit else None

    @staticmethod
    def resolve_level(obj: Resource) -> str:
        return obj.level.level

    @staticmethod
    def resolve_day_rate(obj: Resource) -> Decimal:
        return obj.level.day_rate

    @staticmethod
    def resolve_archived(obj: Resource) -> bool:
        return obj.archived_at is not None


class ResourceList(Schema):
    items: list[ResourceOut]
    next: str | None
    count: int | None = None


class ResourceQuery(ListQuery):
    skill: str | None = Field(None, max_length=40)
    unit: int | None = Field(None, description="home unit id; 0 = the hotline")
    archived: bool = False


class ResourceIn(Schema):
    user: int
    level: str = Field(max_length=20)
    home_unit: int | None = None
    skills: list[str] = Field(default_factory=list, max_length=30)
    capacity_days_per_week: Decimal = Field(Decimal(5), gt=0, le=7)


class ResourcePatch(Schema):
    level: str | None = Field(None, max_length=20)
    home_unit: int | None = None
    skills: list[str] | None = Field(None, max_length=30)
    capacity_days_per_week: Decimal | None = Field(None, gt=0, le=7)
    version: int | None = None


class WeekLoad(Schema):
    week: str
    load: Decimal


class CalendarEntry(Schema):
    id: int
    request: int
    opportunity: int
    start: date
    end: date
    days: Decimal


class ResourceDetail(ResourceOut):
    calendar: list[CalendarEntry] = []
    load: list[WeekLoad] = []


def _level(name: str) -> LevelRate:
    found = LevelRate.objects.filter(level=name, archived_at__isnull=True).first()
    if found is None:
        raise NotFound(f"level {name} not found.", [("level", "not found")])
    return found


@router.get("/levels", response={200: list[LevelOut], **ERRORS})
def level_list(request: AuthedRequest) -> Any:
    return visible(LevelRate, request.auth).filter(archived_at__isnull=True)


@router.post("/levels", response={200: LevelOut, **ERRORS})
def level_set(request: AuthedRequest, payload: LevelIn) -> Any:
    return services.level_rate_set(
        user=request.auth, level=payload.level.strip(), day_rate=payload.day_rate
    )


@router.get("/resources", response={200: ResourceList, **ERRORS})
def resource_list(request: AuthedRequest, query: Query[ResourceQuery]) -> Any:
    qs = selectors.resource_list(
        user=request.auth, skill=query.skill, unit=query.unit, archived=query.archived
    )
    return _page(qs, query)


@router.post("/resources", response={201: ResourceOut, **ERRORS})
def resource_create(request: AuthedRequest, payload: ResourceIn) -> Any:
    resource = services.resource_create(
        user=request.auth,
        person=visible_ref(request.auth, User, payload.user, "user"),
        level=_level(payload.level),
        home_unit=(
            visible_ref(request.auth, Team, payload.home_unit, "home_unit")
            if payload.home_unit
            else None
        ),
        skills=payload.skills,
        capacity_days_per_week=payload.capacity_days_per_week,
    )
    return Status(201, selectors.resource_get(user=request.auth, id=resource.pk))


class WeeksQuery(Schema):
    # Bounded so that start + weeks stays a date (a year like 9999 overflowed to a 500).
    start: date | None = Field(None, ge=date(1900, 1, 1), le=date(2999, 12, 31))
    weeks: int = Field(8, ge=1, le=52)


class LoadQuery(WeeksQuery):
    unit: int | None = Field(None, description="home unit id; 0 = the hotline")


@router.get("/resources/{resource_id}", response={200: ResourceDetail, **ERRORS})
def resource_get(request: AuthedRequest, resource_id: int, query: Query[WeeksQuery]) -> Any:
    """The person with their calendar of assignments and weekly load from `start`."""
    resource = selectors.resource_get(user=request.auth, id=resource_id)
    heat = selectors.load_heatmap(
        user=request.auth,
        start=query.start or timezone.localdate(),
        weeks=query.weeks,
        resource_id=resource.pk,
    )
    resource.load = [  # type: ignore[attr-defined]
        {"week": heat.weeks[x], "load": Decimal(str(load))} for x, _y, load in heat.cells
    ]
    resource.calendar = [  # type: ignore[attr-defined]
        {
            "id": a.pk,
            "request": a.request_id,
            "opportunity": a.request.opportunity_id,
            "start": a.start,
            "end": a.end,
            "days": a.days,
        }
        for a in selectors.assignment_list(
            user=request.auth, resource=resource.pk, active=True
        ).order_by("start", "id")
    ]
    return resource


@router.patch("/resources/{resource_id}", response={200: ResourceOut, **ERRORS})
def resource_patch(request: AuthedRequest, resource_id: int, payload: ResourcePatch) -> Any:
    resource = selectors.resource_get(user=request.auth, id=resource_id)
    changes = payload.dict(exclude_unset=True, exclude={"version"})
    if "level" in changes:
        changes["level"] = _level(changes["level"] or "")
    if "home_unit" in changes and changes["home_unit"] is not None:
        changes["home_unit"] = visible_ref(request.auth, Team, changes["home_unit"], "home_unit")
    services.resource_update(
        user=request.auth,
        resource=resource,
        changes=changes,
        expected_version=expected_version(request, payload.version),
    )
    return selectors.resource_get(user=request.auth, id=resource_id)


# ----------------------------------------------------------------------------------------
# requests


class WarningOut(Schema):
    code: str
    message: str


class RequestOut(Schema):
    id: int
    opportunity: int = Field(alias="opportunity_id")
    opportunity_name: str
    grade: str
    requested_by: int = Field(alias="requested_by_id")
    skills: list[str]
    effort_days: Decimal
    start: date
    end: date
    purpose: str
    queue: str
    unit: int | None = Field(None, alias="unit_id")
    state: str
    estimated_cost: Decimal
    budget: Decimal = Field(alias="budget_at_request")
    over_budget_approved: bool
    warnings: list[WarningOut]
    warnings_confirmed_by: int | None = Field(None, alias="warnings_confirmed_by_id")
    warnings_confirmed_at: datetime | None
    version: int
    created_at: datetime

    @staticmethod
    def resolve_opportunity_name(obj: PresalesRequest) -> str:
        return obj.opportunity.name

    @staticmethod
    def resolve_grade(obj: PresalesRequest) -> str:
        return obj.opportunity.grade


class RequestList(Schema):
    items: list[RequestOut]
    next: str | None
    count: int | None = None


class RequestQuery(ListQuery):
    state: RequestState | None = None
    queue: Queue | None = None
    opportunity: int | None = None
    unit: int | None = None


class RequestIn(Schema):
    opportunity: int
    skills: list[str] = Field(default_factory=list, max_length=20)
    effort_days: Decimal = Field(gt=0, le=1000, max_digits=7, decimal_places=2)
    start: date
    end: date
    purpose: str = Field(min_length=1, max_length=5000)
    confirm_warnings: bool = False


class PresalesDecisionIn(Schema):
    comment: str = Field("", max_length=2000)


class EscalateIn(Schema):
    days: Decimal = Field(gt=0, le=1000)


class ProposalOut(Schema):
    resource: ResourceOut
    fits: bool
    skill_match: Decimal
    home_unit: bool
    peak_load: Decimal
    weeks_over: list[str]


@router.get("/requests", response={200: RequestList, **ERRORS})
def request_list(request: AuthedRequest, query: Query[RequestQuery]) -> Any:
    filters = selectors.RequestFilters(
        state=query.state, queue=query.queue, opportunity=query.opportunity, unit=query.unit
    )
    return _page(selectors.request_list(user=request.auth, filters=filters), query)


@router.post("/requests", response={201: RequestOut, **ERRORS})
def request_create(request: AuthedRequest, payload: RequestIn) -> Any:
    opportunity = _deal_ref(request.auth, payload.opportunity)
    created = services.request_create(
        user=request.auth,
        opportunity=opportunity,
        skills=payload.skills,
        effort_days=payload.effort_days,
        start=payload.start,
        end=payload.end,
        purpose=payload.purpose,
        confirm_warnings=payload.confirm_warnings,
    )
    return Status(201, selectors.request_get(user=request.auth, id=created.pk))


@router.get("/requests/{request_id}", response={200: RequestOut, **ERRORS})
def request_get(request: AuthedRequest, request_id: int) -> Any:
    return selectors.request_get(user=request.auth, id=request_id)


@router.get("/requests/{request_id}/proposals", response={200: list[ProposalOut], **ERRORS})
def request_proposals(request: AuthedRequest, request_id: int, limit: int = 5) -> Any:
    presales_request = selectors.request_get(user=request.auth, id=request_id)
    return [
        {
            "resource": resource,
            "fits": ranked.fits,
            "skill_match": ranked.skill_match,
            "home_unit": ranked.home_unit,
            "peak_load": ranked.peak_load,
            "weeks_over": list(ranked.weeks_over),
        }
        for resource, ranked in selectors.proposals(
            user=request.auth, request=presales_request, limit=max(1, min(limit, 50))
        )
    ]


def _decide(request: AuthedRequest, request_id: int, approve: bool, comment: str) -> Any:
    presales_request = selectors.request_get(user=request.auth, id=request_id)
    services.request_decide(
        user=request.auth, request=presales_request, approve=approve, comment=comment
    )
    return selectors.request_get(user=request.auth, id=request_id)


@router.post("/requests/{request_id}/approve", response={200: RequestOut, **ERRORS})
def request_approve(request: AuthedRequest, request_id: int, payload: PresalesDecisionIn) -> Any:
    return _decide(request, request_id, True, payload.comment)


@router.post("/requests/{request_id}/reject", response={200: RequestOut, **ERRORS})
def request_reject(request: AuthedRequest, request_id: int, payload: PresalesDecisionIn) -> Any:
    return _decide(request, request_id, False, payload.comment)


@router.post("/requests/{request_id}/escalate", response={200: RequestOut, **ERRORS})
def request_escalate(request: AuthedRequest, request_id: int, payload: EscalateIn) -> Any:
    presales_request = selectors.request_get(user=request.auth, id=request_id)
    services.request_escalate(user=request.auth, request=presales_request, days=payload.days)
    return selectors.request_get(user=request.auth, id=request_id)


@router.post("/requests/{request_id}/complete", response={200: RequestOut, **ERRORS})
def request_complete(request: AuthedRequest, request_id: int) -> Any:
    presales_request = selectors.request_get(user=request.auth, id=request_id)
    services.request_close(
        user=request.auth, request=presales_request, state=RequestState.COMPLETED
    )
    return selectors.request_get(user=request.auth, id=request_id)


@router.post("/requests/{request_id}/cancel", response={200: RequestOut, **ERRORS})
def request_cancel(request: AuthedRequest, request_id: int) -> Any:
    presales_request = selectors.request_get(user=request.auth, id=request_id)
    services.request_close(
        user=request.auth, request=presales_request, state=RequestState.CANCELLED
    )
    return selectors.request_get(user=request.auth, id=request_id)


# ----------------------------------------------------------------------------------------
# assignments


class AssignmentOut(Schema):
    id: int
    request: int = Field(alias="request_id")
    opportunity: int
    resource: int = Field(alias="resource_id")
    resource_name: str
    start: date
    end: date
    days: Decimal
    day_rate: Decimal
    cost: Decimal
    over_capacity_weeks: list[str]
    cancelled_at: datetime | None
    version: int

    @staticmethod
    def resolve_opportunity(obj: Assignment) -> int:
        return obj.request.opportunity_id

    @staticmethod
    def resolve_resource_name(obj: Assignment) -> str:
        return str(obj.resource.user)


class AssignmentList(Schema):
    items: list[AssignmentOut]
    next: str | None
    count: int | None = None


class AssignmentQuery(ListQuery):
    request: int | None = None
    resource: int | None = None
    opportunity: int | None = None
    active: bool | None = None


class AssignmentIn(Schema):
    request: int
    resource: int
    days: Decimal = Field(gt=0, le=1000, max_digits=7, decimal_places=2)
    start: date | None = None
    end: date | None = None
    allow_over_capacity: bool = False


class CancelIn(Schema):
    reason: str = Field("", max_length=300)


@router.get("/assignments", response={200: AssignmentList, **ERRORS})
def assignment_list(request: AuthedRequest, query: Query[AssignmentQuery]) -> Any:
    qs = selectors.assignment_list(
        user=request.auth,
        request=query.request,
        resource=query.resource,
        opportunity=query.opportunity,
        active=query.active,
    )
    return _page(qs, query)


@router.post("/assignments", response={201: AssignmentOut, **ERRORS})
def assignment_create(request: AuthedRequest, payload: AssignmentIn) -> Any:
    presales_request = visible_ref(request.auth, PresalesRequest, payload.request, "request")
    resource = visible_ref(request.auth, Resource, payload.resource, "resource")
    assignment = services.assignment_create(
        user=request.auth,
        request=presales_request,
        resource=resource,
        days=payload.days,
        start=payload.start,
        end=payload.end,
        allow_over_capacity=payload.allow_over_capacity,
    )
    return Status(201, selectors.assignment_get(user=request.auth, id=assignment.pk))


@router.get("/assignments/{assignment_id}", response={200: AssignmentOut, **ERRORS})
def assignment_get(request: AuthedRequest, assignment_id: int) -> Any:
    return selectors.assignment_get(user=request.auth, id=assignment_id)


@router.post("/assignments/{assignment_id}/cancel", response={200: AssignmentOut, **ERRORS})
def assignment_cancel(request: AuthedRequest, assignment_id: int, payload: CancelIn) -> Any:
    assignment = selectors.assignment_get(user=request.auth, id=assignment_id)
    services.assignment_cancel(user=request.auth, assignment=assignment, reason=payload.reason)
    return selectors.assignment_get(user=request.auth, id=assignment_id)


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
    return _page(_filter_deal(qs, query, "owner"), query)


@router.post("/stage-owners", response={201: StageOwnerOut, **ERRORS})
def stage_owner_reassign(request: AuthedRequest, payload: StageOwnerIn) -> Any:
    opportunity = _deal_ref(request.auth, payload.opportunity)
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
    return _page(_filter_deal(qs, query, "participant"), query)


@router.post("/scores", response={201: ScoreOut, **ERRORS})
def score_submit(request: AuthedRequest, payload: ScoreIn) -> Any:
    opportunity = _deal_ref(request.auth, payload.opportunity)
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
    return _page(_filter_deal(qs, query, "user"), query)


@router.get("/performance", response={200: PerformanceList, **ERRORS})
def performance(request: AuthedRequest, query: Query[ListQuery]) -> Any:
    return _page(selectors.performance_report(user=request.auth), query)


@router.get("/load", response={200: HeatMapOut, **ERRORS})
def load(request: AuthedRequest, query: Query[LoadQuery]) -> Any:
    """Load per person and ISO week in percent of capacity (the board's heat map)."""
    return selectors.load_heatmap(
        user=request.auth,
        start=query.start or timezone.localdate(),
        weeks=query.weeks,
        unit=query.unit,
    )


# ----------------------------------------------------------------------------------------
# /opportunities/{id}/ledger


class LedgerEntryOut(Schema):
    id: int
    kind: str
    amount: Decimal
    days: Decimal
    assignment: int | None = Field(None, alias="assignment_id")
    reverses: int | None = Field(None, alias="reverses_id")
    description: str
    created_at: datetime
    created_by: int = Field(alias="created_by_id")


class LedgerOut(Schema):
    items: list[LedgerEntryOut]
    next: str | None
    count: int | None = None
    budget: Decimal
    charged: Decimal
    reversed: Decimal
    balance: Decimal
    remaining: Decimal


class ReverseIn(Schema):
    reason: str = Field(min_length=1, max_length=300)


@ledger_router.get("/{opportunity_id}/ledger", response={200: LedgerOut, **ERRORS})
def ledger(request: AuthedRequest, opportunity_id: int, query: Query[ListQuery]) -> Any:
    """Append-only presales cost ledger: charges and reversing entries, with the budget."""
    opportunity = selectors.opportunity_get(user=request.auth, id=opportunity_id)
    page = _page(selectors.ledger_list(opportunity=opportunity), query)
    summary = selectors.ledger_summary(opportunity)
    return {
        "items": page.items,
        "next": page.next,
        "count": page.count,
        "budget": summary.budget,
        "charged": summary.charged,
        "reversed": summary.reversed,
        "balance": summary.balance,
        "remaining": summary.remaining,
    }


@ledger_router.post(
    "/{opportunity_id}/ledger/{entry_id}/reverse", response={201: LedgerEntryOut, **ERRORS}
)
def ledger_reverse(
    request: AuthedRequest, opportunity_id: int, entry_id: int, payload: ReverseIn
) -> Any:
    opportunity = selectors.opportunity_get(user=request.auth, id=opportunity_id)
    entries = LedgerEntry.objects.filter(opportunity=opportunity)
    entry = get_visible(entries, request.auth, pk=entry_id)
    reversal = services.ledger_reverse(user=request.auth, entry=entry, reason=payload.reason)
    return Status(201, reversal)
