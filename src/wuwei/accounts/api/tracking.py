"""/accounts/{id}/monitoring, /evaluations, /visits and /timeline (§2.7, §2.8)."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Status

from wuwei.accounts import selectors, services
from wuwei.accounts.api.base import router, user_of
from wuwei.accounts.models import ClosenessSource, Visit
from wuwei.accounts.timeline import account_timeline_page
from wuwei.core.api import ERRORS, ListQuery, Schema, expected_version, visible_ref
from wuwei.core.pagination import DEFAULT_LIMIT, MAX_LIMIT, keyset_page
from wuwei.org.models import User


class MonitoringOut(Schema):
    id: int
    recorded_on: date
    importance: int
    closeness: Decimal | None
    closeness_source: str
    needs: str
    capability_fit: int
    notes: str
    changes: dict[str, Any]
    created_at: datetime


class MonitoringList(Schema):
    items: list[MonitoringOut]
    next: str | None
    count: int | None = None


class MonitoringIn(Schema):
    recorded_on: date
    importance: int = Field(ge=0, le=100)
    closeness: Decimal | None = Field(None, ge=0, le=100, max_digits=4, decimal_places=1)
    closeness_source: ClosenessSource = ClosenessSource.ENTERED
    needs: str = Field("", max_length=5000)
    capability_fit: int = Field(ge=0, le=100)
    notes: str = Field("", max_length=5000)


@router.get("/{account_id}/monitoring", response={200: MonitoringList, **ERRORS})
def monitoring_list(request: HttpRequest, account_id: int, query: Query[ListQuery]) -> Any:
    user = user_of(request)
    account = selectors.account_get(user=user, id=account_id)
    qs = selectors.monitoring_list(user=user, account=account)
    return keyset_page(
        qs, sort="-recorded_on", limit=query.limit, cursor=query.cursor, with_count=query.count
    )


@router.post("/{account_id}/monitoring", response={201: MonitoringOut, **ERRORS})
def monitoring_create(request: HttpRequest, account_id: int, payload: MonitoringIn) -> Any:
    """Record importance, closeness (0-100) and needs vs capability; changes since the last
    record become timeline events and may change the suggested strategy."""
    user = user_of(request)
    account = selectors.account_get(user=user, id=account_id)
    record = services.monitoring_record_create(user=user, account=account, **payload.dict())
    return Status(201, record)


class EvaluationOut(Schema):
    id: int
    year: int
    relationship_score: int
    solution_score: int
    incubation_score: int
    relationship_is_computed: bool
    incubation_is_computed: bool
    closeness_change: Decimal | None
    opportunities_incubated: int
    opportunities_amount: Decimal
    notes: str
    version: int


class EvaluationList(Schema):
    items: list[EvaluationOut]
    next: str | None
    count: int | None = None


class EvaluationIn(Schema):
    year: int = Field(ge=2000, le=2100)
    relationship_score: int | None = Field(None, ge=0, le=100)
    solution_score: int | None = Field(None, ge=0, le=100)
    incubation_score: int | None = Field(None, ge=0, le=100)
    notes: str = Field("", max_length=5000)


@router.get("/{account_id}/evaluations", response={200: EvaluationList, **ERRORS})
def evaluation_list(request: HttpRequest, account_id: int, query: Query[ListQuery]) -> Any:
    """The annual evaluations, latest year first."""
    user = user_of(request)
    account = selectors.account_get(user=user, id=account_id)
    qs = selectors.evaluation_list(user=user, account=account)
    return keyset_page(
        qs, sort="-year", limit=query.limit, cursor=query.cursor, with_count=query.count
    )


@router.post("/{account_id}/evaluations", response={200: EvaluationOut, **ERRORS})
def evaluation_save(request: HttpRequest, account_id: int, payload: EvaluationIn) -> Any:
    """Create or replace the year's evaluation of the three core functions (三作用)."""
    user = user_of(request)
    account = selectors.account_get(user=user, id=account_id)
    return services.evaluation_save(user=user, account=account, **payload.dict())


class VisitOut(Schema):
    id: int
    owner: int = Field(alias="owner_id")
    owner_name: str
    planned_on: date
    purpose: str
    status: str
    visited_on: date | None
    outcome: str
    opportunity: int | None = Field(None, alias="opportunity_id")
    version: int

    @staticmethod
    def resolve_owner_name(obj: Visit) -> str:
        return str(obj.owner)


class VisitList(Schema):
    items: list[VisitOut]
    next: str | None
    count: int | None = None


class VisitIn(Schema):
    planned_on: date
    purpose: str = Field(min_length=1, max_length=300)
    owner: int | None = None


class OutcomeIn(Schema):
    visited_on: date
    outcome: str = Field(min_length=1, max_length=5000)
    opportunity_name: str = Field(
        "", max_length=200, description="An opportunity found: creates it in TAS+."
    )
    opportunity_amount: Decimal | None = Field(None, ge=0, max_digits=16, decimal_places=2)
    version: int | None = None


class VersionIn(Schema):
    version: int | None = None


@router.get("/{account_id}/visits", response={200: VisitList, **ERRORS})
def visit_list(request: HttpRequest, account_id: int, query: Query[ListQuery]) -> Any:
    user = user_of(request)
    account = selectors.account_get(user=user, id=account_id)
    qs = selectors.visit_list(user=user, account=account)
    return keyset_page(
        qs, sort="-planned_on", limit=query.limit, cursor=query.cursor, with_count=query.count
    )


@router.post("/{account_id}/visits", response={201: VisitOut, **ERRORS})
def visit_create(request: HttpRequest, account_id: int, payload: VisitIn) -> Any:
    user = user_of(request)
    account = selectors.account_get(user=user, id=account_id)
    owner = visible_ref(user, User, payload.owner, "owner") if payload.owner else None
    visit = services.visit_plan(
        user=user,
        account=account,
        planned_on=payload.planned_on,
        purpose=payload.purpose,
        owner=owner,
    )
    return Status(201, visit)


@router.post("/{account_id}/visits/{visit_id}/outcome", response={200: VisitOut, **ERRORS})
def visit_outcome(request: HttpRequest, account_id: int, visit_id: int, payload: OutcomeIn) -> Any:
    user = user_of(request)
    account = selectors.account_get(user=user, id=account_id)
    visit = selectors.visit_get(user=user, account=account, id=visit_id)
    return services.visit_record(
        user=user,
        visit=visit,
        expected_version=expected_version(request, payload.version),
        visited_on=payload.visited_on,
        outcome=payload.outcome,
        opportunity_name=payload.opportunity_name,
        opportunity_amount=payload.opportunity_amount,
    )


@router.post("/{account_id}/visits/{visit_id}/cancel", response={200: VisitOut, **ERRORS})
def visit_cancel(request: HttpRequest, account_id: int, visit_id: int, payload: VersionIn) -> Any:
    user = user_of(request)
    account = selectors.account_get(user=user, id=account_id)
    visit = selectors.visit_get(user=user, account=account, id=visit_id)
    return services.visit_cancel(
        user=user, visit=visit, expected_version=expected_version(request, payload.version)
    )


class TimelineOut(Schema):
    when: datetime
    kind: str
    title: str
    who: str | None
    details: list[str]


class TimelineList(Schema):
    items: list[TimelineOut]
    next: str | None


class TimelineQuery(Schema):
    """The page query of the timeline: a merged stream has no total to count."""

    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)
    cursor: str | None = Field(None, max_length=500)


@router.get("/{account_id}/timeline", response={200: TimelineList, **ERRORS})
def timeline(request: HttpRequest, account_id: int, query: Query[TimelineQuery]) -> Any:
    """Every change and activity of the account, newest first (at the same moment by kind,
    then by record), in keyset pages."""
    user = user_of(request)
    account = selectors.account_get(user=user, id=account_id)
    entries, next_cursor = account_timeline_page(
        user=user, account=account, limit=query.limit, cursor=query.cursor
    )
    items = [
        {
            "when": e.when,
            "kind": e.kind,
            "title": e.title,
            "who": str(e.who) if e.who else None,
            "details": list(e.details),
        }
        for e in entries
    ]
    return {"items": items, "next": next_cursor}
