"""/notifications (the caller's own): list, mark one read, mark all read."""

from datetime import datetime
from typing import Any

from ninja import Field, Query, Router

from wuwei.core.api import ERRORS, AuthedRequest, ListQuery, Schema
from wuwei.core.pagination import keyset_page
from wuwei.notifications import selectors, services

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    url: str
    opportunity: int | None = Field(None, alias="opportunity_id")
    created_at: datetime
    read_at: datetime | None
    is_read: bool


class NotificationList(Schema):
    items: list[NotificationOut]
    next: str | None
    count: int | None = None


class NotificationQuery(ListQuery):
    unread: bool = Field(False, description="only the unread ones")


class MarkedOut(Schema):
    marked: int


@router.get("", response={200: NotificationList, **ERRORS})
def notification_list(request: AuthedRequest, query: Query[NotificationQuery]) -> Any:
    """Newest first."""
    qs = selectors.notification_list(user=request.auth, unread_only=query.unread)
    return keyset_page(
        qs, sort="-created_at", limit=query.limit, cursor=query.cursor, with_count=query.count
    )


@router.post("/read", response={200: MarkedOut, **ERRORS})
def notification_read_all(request: AuthedRequest) -> Any:
    return {"marked": services.notification_mark_all_read(user=request.auth)}


@router.post("/{notification_id}/read", response={200: NotificationOut, **ERRORS})
def notification_read(request: AuthedRequest, notification_id: int) -> Any:
    return services.notification_mark_read(user=request.auth, id=notification_id)
