"""/coaching/queue, /coaching/reviews, /coaching/actions (API.md, METHOD.md §4.10).
Validate → selector/service; the pages call the same ones."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Status

from wuwei.coaching import selectors, services
from wuwei.coaching.models import ActionStatus, CoachingAction
from wuwei.coaching.selectors import QueueItem
from wuwei.core.api import (
    ERRORS,
    AuthedRequest,
    ListQuery,
    Schema,
    expected_version,
    reject_nulls,
    visible_ref,
)
from wuwei.core.errors import ValidationFailed
from wuwei.core.pagination import DEFAULT_LIMIT, keyset_page
from wuwei.opportunities.models import Grade, Opportunity
from wuwei.org.models import User

router = Router(tags=["coaching"])


# ----------------------------------------------------------------------------------------
# queue


class ChangeOut(Schema):
    kind: str
    message: str
    old: int | str | None = Field(None, serialization_alias="from")
    new: int | str | None = Field(None, serialization_alias="to")
    at: datetime | None = None


class QueueItemOut(Schema):
    opportunity: int
    name: str
    account: int
    account_name: str
    owner: int
    owner_name: str
    grade: str
    amount: Decimal
    currency: str
    win_rate: int | None
    stage: str
    changes: list[ChangeOut]
    last_reviewed_at: datetime | None
    open_actions: int


class QueueOut(Schema):
    items: list[QueueItemOut]
    next: str | None
    count: int
    since: datetime = Field(description="never-reviewed deals: changes after this count")


class QueueQuery(Schema):
    limit: int = DEFAULT_LIMIT
    cursor: str | None = Field(None, max_length=500)
    grade: str | None = Field(
        None,
        max_length=20,
        description="grades to list, e.g. A or A,B; `all` for every grade. Default: every "
        "grade for managers, A,B for executives and administrators.",
    )
    lookback_days: int = Field(
        selectors.DEFAULT_LOOKBACK_DAYS, ge=1, le=selectors.MAX_LOOKBACK_DAYS
    )


def _grades(value: str | None) -> tuple[str, ...] | None:
    if value is None or not value.strip():
        return None
    if value.strip().lower() == "all":
        return ()
    grades = tuple(part.strip().upper() for part in value.split(",") if part.strip())
    if not grades or any(g not in Grade.values for g in grades):
        raise ValidationFailed(
            _("grade must be letters A to E separated by commas, or all."),
            [("grade", _("invalid"))],
        )
    return grades


def _queue_item(item: QueueItem) -> dict[str, Any]:
    deal = item.opportunity
    return {
        "opportunity": deal.pk,
        "name": deal.name,
        "account": deal.account_id,
        "account_name": deal.account.name,
        "owner": deal.owner_id,
        "owner_name": str(deal.owner),
        "grade": deal.grade,
        "amount": deal.amount,
        "currency": deal.currency,
        "win_rate": deal.win_rate,
        "stage": deal.stage,
        "changes": item.changes,
        "last_reviewed_at": item.last_reviewed_at,
        "open_actions": item.open_actions,
    }


@router.get("/queue", response={200: QueueOut, **ERRORS}, by_alias=True)
def queue(request: AuthedRequest, query: Query[QueueQuery]) -> Any:
    """Deals to coach that changed since their last review, most important first, with what
    changed (`kind`: win_rate, stage, compelling_event, or a later source such as risk)."""
    result = selectors.coaching_queue(
        user=request.auth,
        lookback_days=query.lookback_days,
        grades=_grades(query.grade),
        limit=query.limit,
        cursor=query.cursor,
    )
    return {
        "items": [_queue_item(item) for item in result.items],
        "next": result.next,
        "count": result.count,
        "since": result.lookback_since,
    }


# ----------------------------------------------------------------------------------------
# reviews


class CoachingActionOut(Schema):
    id: int
    review: int = Field(alias="review_id")
    opportunity: int = Field(alias="opportunity_id")
    title: str
    owner: int = Field(alias="owner_id")
    owner_name: str
    due: date
    status: str
    done_at: datetime | None
    version: int

    @staticmethod
    def resolve_owner_name(obj: CoachingAction) -> str:
        return str(obj.owner)


class ReviewOut(Schema):
    id: int
    opportunity: int = Field(alias="opportunity_id")
    opportunity_name: str
    reviewer: int = Field(alias="reviewer_id")
    reviewer_name: str
    reviewed_at: datetime
    comments: str
    win_rate_at_review: int | None
    stage_at_review: str
    actions: list[CoachingActionOut]
    version: int

    @staticmethod
    def resolve_opportunity_name(obj: Any) -> str:
        return str(obj.opportunity.name)

    @staticmethod
    def resolve_reviewer_name(obj: Any) -> str:
        return str(obj.reviewer)

    @staticmethod
    def resolve_actions(obj: Any) -> list[Any]:
        return list(obj.actions.all())


class ReviewList(Schema):
    items: list[ReviewOut]
    next: str | None
    count: int | None = None


class ReviewQuery(ListQuery):
    opportunity: int | None = None
    reviewer: int | None = None


class CoachingActionIn(Schema):
    title: str = Field(max_length=300)
    owner: int
    due: date


class ReviewIn(Schema):
    opportunity: int
    comments: str = Field(max_length=10000)
    actions: list[CoachingActionIn] = Field(default_factory=list)


@router.get("/reviews", response={200: ReviewList, **ERRORS})
def review_list(request: AuthedRequest, query: Query[ReviewQuery]) -> Any:
    qs = selectors.review_list(
        user=request.auth, opportunity=query.opportunity, reviewer=query.reviewer
    )
    return keyset_page(
        qs, sort="-reviewed_at", limit=query.limit, cursor=query.cursor, with_count=query.count
    )


@router.post("/reviews", response={201: ReviewOut, **ERRORS})
def review_create(request: AuthedRequest, payload: ReviewIn) -> Any:
    """A review with its action items. Only a manager above the deal's owner, an executive
    or an administrator (403 otherwise; 404 when the deal is not visible)."""
    user = request.auth
    opportunity = visible_ref(user, Opportunity, payload.opportunity, "opportunity")
    actions = [
        (item.title, visible_ref(user, User, item.owner, f"actions.{index}.owner"), item.due)
        for index, item in enumerate(payload.actions)
    ]
    review = services.review_create(
        user=user, opportunity=opportunity, comments=payload.comments, actions=actions
    )
    return Status(201, selectors.review_get(user=user, id=review.pk))


@router.get("/reviews/{review_id}", response={200: ReviewOut, **ERRORS})
def review_get(request: AuthedRequest, review_id: int) -> Any:
    return selectors.review_get(user=request.auth, id=review_id)


# ----------------------------------------------------------------------------------------
# action items


class ActionList(Schema):
    items: list[CoachingActionOut]
    next: str | None
    count: int | None = None


class ActionQuery(ListQuery):
    owner: str | None = Field(None, max_length=20, description="a user id or `me`")
    status: ActionStatus | None = None
    opportunity: int | None = None


class CoachingActionPatch(Schema):
    title: str | None = Field(None, max_length=300)
    owner: int | None = None
    due: date | None = None
    status: ActionStatus | None = None
    version: int | None = None


def _owner_id(request: AuthedRequest, value: str | None) -> int | None:
    if value is None or value == "":
        return None
    if value == "me":
        return int(request.auth.pk)
    if not value.isdigit():
        raise ValidationFailed(_("owner must be a user id or me."), [("owner", _("invalid"))])
    return int(value)


@router.get("/actions", response={200: ActionList, **ERRORS})
def action_list(request: AuthedRequest, query: Query[ActionQuery]) -> Any:
    qs = selectors.action_list(
        user=request.auth,
        owner=_owner_id(request, query.owner),
        status=query.status,
        opportunity=query.opportunity,
    )
    return keyset_page(
        qs, sort="due", limit=query.limit, cursor=query.cursor, with_count=query.count
    )


@router.patch("/actions/{action_id}", response={200: CoachingActionOut, **ERRORS})
def action_patch(request: AuthedRequest, action_id: int, payload: CoachingActionPatch) -> Any:
    """Change an action item: its owner may change `status`; a reviewer of the deal every
    field. Send the `version` you read (409 when stale)."""
    user = request.auth
    action = selectors.action_get(user=user, id=action_id)
    changes = payload.dict(exclude_unset=True, exclude={"version"})
    reject_nulls(changes, ("title", "owner", "due", "status"))
    if "owner" in changes:
        changes["owner"] = visible_ref(user, User, changes["owner"], "owner")
    services.action_update(
        user=user,
        action=action,
        changes=changes,
        expected_version=expected_version(request, payload.version),
    )
    return selectors.action_get(user=user, id=action_id)
