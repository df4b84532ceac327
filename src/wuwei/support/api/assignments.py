"""Assignments: /presales/assignments (MCI §5.1, §5.2)."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ninja import Field, Query, Router, Status

from wuwei.core.api import ERRORS, AuthedRequest, ListQuery, Schema, visible_ref
from wuwei.support import selectors, services
from wuwei.support.api.common import page_of
from wuwei.support.models import Assignment, PresalesRequest, Resource

#: The operation ids of support.api before its split (core.api.WuweiAPI).
OPERATION_ID_MODULE = "wuwei.support.api"
router = Router(tags=["presales"])


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
    return page_of(qs, query)


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
