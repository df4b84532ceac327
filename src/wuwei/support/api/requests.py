"""Presales requests: /presales/requests (MCI §5.1)."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ninja import Field, Query, Router, Status

from wuwei.core.api import ERRORS, AuthedRequest, ListQuery, Schema
from wuwei.support import selectors, services
from wuwei.support.api.common import deal_ref, page_of
from wuwei.support.api.resources import ResourceOut
from wuwei.support.models import PresalesRequest, Queue, RequestState

#: The operation ids of support.api before its split (core.api.WuweiAPI).
OPERATION_ID_MODULE = "wuwei.support.api"
router = Router(tags=["presales"])


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


class ProposalsOut(Schema):
    """The best-fitting people for the request, best first: a ranking computed for this
    request from everyone's skills and booked load (methodology.scheduling), so a short
    answer, not a stored collection to page through."""

    proposals: list[ProposalOut]


class ProposalQuery(Schema):
    limit: int = Field(5, ge=1, le=50, description="How many of the best to propose.")


@router.get("/requests", response={200: RequestList, **ERRORS})
def request_list(request: AuthedRequest, query: Query[RequestQuery]) -> Any:
    filters = selectors.RequestFilters(
        state=query.state, queue=query.queue, opportunity=query.opportunity, unit=query.unit
    )
    return page_of(selectors.request_list(user=request.auth, filters=filters), query)


@router.post("/requests", response={201: RequestOut, **ERRORS})
def request_create(request: AuthedRequest, payload: RequestIn) -> Any:
    opportunity = deal_ref(request.auth, payload.opportunity)
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


@router.get("/requests/{request_id}/proposals", response={200: ProposalsOut, **ERRORS})
def request_proposals(request: AuthedRequest, request_id: int, query: Query[ProposalQuery]) -> Any:
    """Whom to assign: `proposals`, the best `limit` people of the pool for this request."""
    presales_request = selectors.request_get(user=request.auth, id=request_id)
    ranked = selectors.proposals(user=request.auth, request=presales_request, limit=query.limit)
    return {
        "proposals": [
            {
                "resource": resource,
                "fits": candidate.fits,
                "skill_match": candidate.skill_match,
                "home_unit": candidate.home_unit,
                "peak_load": candidate.peak_load,
                "weeks_over": list(candidate.weeks_over),
            }
            for resource, candidate in ranked
        ]
    }


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
