"""/conflicts (API.md): ownership and registration conflicts awaiting a decision (§7.3)."""

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router

from wuwei.accounts import selectors, services
from wuwei.accounts.api.base import user_of
from wuwei.accounts.models import ConflictKind, ConflictStatus, OwnershipConflict
from wuwei.core.api import ERRORS, ListQuery, Schema, expected_version
from wuwei.core.pagination import keyset_page
from wuwei.org.models import User

conflicts_router = Router(tags=["conflicts"])


class ConflictOut(Schema):
    id: int
    kind: str
    status: str
    account: int = Field(alias="account_id")
    account_name: str
    other_account: int | None
    other_account_name: str | None
    opportunity: int | None = Field(None, alias="opportunity_id")
    summary: str
    details: dict[str, Any]
    raised_by: int = Field(alias="raised_by_id")
    raised_by_name: str
    decided_by: int | None = Field(None, alias="decided_by_id")
    decided_at: datetime | None
    decision: str
    version: int
    created_at: datetime


class ConflictList(Schema):
    items: list[ConflictOut]
    next: str | None
    count: int | None = None


class ConflictQuery(ListQuery):
    status: ConflictStatus | None = None
    kind: ConflictKind | None = None
    account: int | None = None


class ConflictDecisionIn(Schema):
    decision: str = Field(min_length=1, max_length=5000)
    archive_duplicate: bool = False
    version: int | None = None


def conflict_out(conflict: OwnershipConflict, seen: set[int]) -> dict[str, Any]:
    """The other account is named only to someone who may see it (nothing leaks, §1)."""
    other_visible = conflict.other_account_id in seen
    return {
        "id": conflict.pk,
        "kind": conflict.kind,
        "status": conflict.status,
        "account_id": conflict.account_id,
        "account_name": conflict.account.name,
        "other_account": conflict.other_account_id if other_visible else None,
        "other_account_name": conflict.other_account.name
        if other_visible and conflict.other_account
        else None,
        "opportunity_id": conflict.opportunity_id,
        "summary": conflict.summary if other_visible or not conflict.other_account_id else "",
        "details": conflict.details if other_visible or not conflict.other_account_id else {},
        "raised_by_id": conflict.raised_by_id,
        "raised_by_name": str(conflict.raised_by),
        "decided_by_id": conflict.decided_by_id,
        "decided_at": conflict.decided_at,
        "decision": conflict.decision,
        "version": conflict.version,
        "created_at": conflict.created_at,
    }


def _seen(user: User, conflicts: list[OwnershipConflict]) -> set[int]:
    ids = [c.other_account_id for c in conflicts if c.other_account_id]
    return selectors.visible_account_ids(user=user, ids=ids)


@conflicts_router.get("", response={200: ConflictList, **ERRORS})
def conflict_list(request: HttpRequest, query: Query[ConflictQuery]) -> Any:
    """The queue, newest first; `?status=open` for what awaits a decision."""
    user = user_of(request)
    filters = selectors.ConflictFilters(status=query.status, kind=query.kind, account=query.account)
    page = keyset_page(
        selectors.conflict_list(user=user, filters=filters),
        sort="-created_at",
        limit=query.limit,
        cursor=query.cursor,
        with_count=query.count,
    )
    seen = _seen(user, page.items)
    return {
        "items": [conflict_out(c, seen) for c in page.items],
        "next": page.next,
        "count": page.count,
    }


@conflicts_router.get("/{conflict_id}", response={200: ConflictOut, **ERRORS})
def conflict_get(request: HttpRequest, conflict_id: int) -> Any:
    user = user_of(request)
    conflict = selectors.conflict_get(user=user, id=conflict_id)
    return conflict_out(conflict, _seen(user, [conflict]))


@conflicts_router.post("/{conflict_id}/resolve", response={200: ConflictOut, **ERRORS})
def conflict_resolve(request: HttpRequest, conflict_id: int, payload: ConflictDecisionIn) -> Any:
    """Resolve with a recorded decision (optionally archiving the duplicate account)."""
    user = user_of(request)
    conflict = selectors.conflict_get(user=user, id=conflict_id)
    services.conflict_resolve(
        user=user,
        conflict=conflict,
        decision=payload.decision,
        archive_duplicate=payload.archive_duplicate,
        expected_version=expected_version(request, payload.version),
    )
    conflict = selectors.conflict_get(user=user, id=conflict_id)
    return conflict_out(conflict, _seen(user, [conflict]))


@conflicts_router.post("/{conflict_id}/dismiss", response={200: ConflictOut, **ERRORS})
def conflict_dismiss(request: HttpRequest, conflict_id: int, payload: ConflictDecisionIn) -> Any:
    user = user_of(request)
    conflict = selectors.conflict_get(user=user, id=conflict_id)
    services.conflict_dismiss(
        user=user,
        conflict=conflict,
        decision=payload.decision,
        expected_version=expected_version(request, payload.version),
    )
    conflict = selectors.conflict_get(user=user, id=conflict_id)
    return conflict_out(conflict, _seen(user, [conflict]))
