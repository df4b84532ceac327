"""Coaching reads (METHOD.md §4.10). Every query starts from `visible()`; the queue costs a
fixed number of queries whatever the number of deals."""

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from wuwei.coaching.changes import (
    Change,
    DealWindow,
    DealWindows,
    LastReview,
    collect_changes,
)
from wuwei.coaching.models import ActionStatus, CoachingAction, CoachingReview
from wuwei.core.errors import ValidationFailed
from wuwei.core.pagination import DEFAULT_LIMIT, MAX_LIMIT
from wuwei.core.visibility import get_visible, scope_for, visible
from wuwei.opportunities.models import OPEN_STAGES, Grade, Opportunity
from wuwei.org.visibility import in_subtree

# Never-reviewed deals: changes in the last two weeks count (§4.10 "weekly or bi-weekly").
DEFAULT_LOOKBACK_DAYS = 14
MAX_LOOKBACK_DAYS = 365
# Executives and administrators see every deal: by default their queue keeps the important
# ones, the big projects (§4.2 grades A and B); a grade filter widens it.
OVERVIEW_GRADES = (Grade.A, Grade.B)


@dataclass(frozen=True, slots=True)
class QueueItem:
    opportunity: Opportunity
    changes: list[Change]
    last_reviewed_at: datetime | None
    open_actions: int


@dataclass(frozen=True, slots=True)
class Queue:
    items: list[QueueItem]
    next: str | None
    count: int
    lookback_since: datetime  # never-reviewed deals: changes after this count


def default_grades(user: Any) -> tuple[str, ...] | None:
    """The grades a queue shows when none are asked for (None = all)."""
    return tuple(OVERVIEW_GRADES) if scope_for(user).sees_everything else None


def queue_candidates(*, user: Any, grades: tuple[str, ...] | None = None) -> QuerySet[Opportunity]:
    """Open deals the user coaches: those owned or held in their team subtree (managers),
    every deal (executives, administrators); never the user's own. Others: none."""
    scope = scope_for(user)
    qs = (
        visible(Opportunity, user)
        .filter(archived_at__isnull=True, stage__in=OPEN_STAGES)
        .exclude(owner_id=scope.user_id)
    )
    if not scope.sees_everything:
        if not scope.team_path:
            return qs.none()
        qs = qs.filter(in_subtree(scope.team_path))
    return qs.filter(grade__in=grades) if grades else qs


def _last_review() -> QuerySet[CoachingReview]:
    return CoachingReview.objects.filter(
        opportunity_id=OuterRef("pk"), archived_at__isnull=True
    ).order_by("-reviewed_at", "-id")


def _windows(candidates: QuerySet[Opportunity], lookback_since: datetime) -> DealWindows:
    """One query: each candidate with its current values and its last review; the change
    sources filter with the candidates as a subquery."""
    last = _last_review()
    rows = candidates.annotate(
        last_reviewed_at=Subquery(last.values("reviewed_at")[:1]),
        last_win_rate=Subquery(last.values("win_rate_at_review")[:1]),
        last_stage=Subquery(last.values("stage_at_review")[:1]),
    ).values_list("pk", "win_rate", "stage", "last_reviewed_at", "last_win_rate", "last_stage")
    windows = []
    for pk, win_rate, stage, reviewed_at, review_rate, review_stage in rows:
        review = LastReview(reviewed_at, review_rate, review_stage) if reviewed_at else None
        since = reviewed_at or lookback_since
        windows.append(DealWindow(pk, since, win_rate, stage, review))
    return DealWindows(windows, candidates.values("pk"))


def _open_actions() -> Any:
    counted = (
        CoachingAction.objects.filter(
            opportunity_id=OuterRef("pk"), status=ActionStatus.OPEN, archived_at__isnull=True
        )
        .order_by()
        .values("opportunity_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _encode_cursor(deal: Opportunity) -> str:
    raw = json.dumps([deal.grade, str(deal.amount), deal.pk], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _after_cursor(cursor: str) -> Q:
    """Rows after the cursor in queue order (grade, amount descending, id)."""
    try:
        grade, amount, pk = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        amount, pk = Decimal(amount), int(pk)
        if grade not in Grade.values:
            raise ValueError
    except (ValueError, TypeError, InvalidOperation, binascii.Error):
        raise ValidationFailed(
            _("The cursor is not valid; start again from the first page."),
            [("cursor", _("invalid"))],
        ) from None
    same_amount = Q(grade=grade, amount=amount, pk__gt=pk)
    return Q(grade__gt=grade) | Q(grade=grade, amount__lt=amount) | same_amount


def coaching_queue(
    *,
    user: Any,
    as_of: datetime | None = None,
    lookback_days: int = DEFAULT_LOOKBACK_DAYS,
    grades: tuple[str, ...] | None = None,
    limit: int = DEFAULT_LIMIT,
    cursor: str | None = None,
) -> Queue:
    """The deals to coach that changed since their last review (never reviewed: in the last
    `lookback_days`), most important first (grade A first, then amount), with what changed
    and the open action items. `grades=None` takes the role's default (`default_grades`),
    `()` every grade. Queries: candidates 1, each change source at most 1, the page 1."""
    if not 1 <= limit <= MAX_LIMIT:
        raise ValidationFailed(
            _("limit must be between 1 and %(max)s.") % {"max": MAX_LIMIT},
            [("limit", _("out of range"))],
        )
    after = _after_cursor(cursor) if cursor else None
    as_of = as_of or timezone.now()
    lookback_since = as_of - timedelta(days=lookback_days)
    if grades is None:
        grades = default_grades(user)
    candidates = queue_candidates(user=user, grades=grades)
    windows = _windows(candidates, lookback_since)
    changes = collect_changes(windows, as_of)
    if not changes:
        return Queue([], None, 0, lookback_since)
    reviewed = {w.opportunity_id: w.last_review.reviewed_at for w in windows if w.last_review}
    page = (
        Opportunity.objects.filter(pk__in=list(changes))
        .select_related("account", "owner")
        .annotate(open_actions=_open_actions())
        .order_by("grade", "-amount", "pk")
    )
    if after is not None:
        page = page.filter(after)
    rows = list(page[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    items = [
        QueueItem(deal, changes[deal.pk], reviewed.get(deal.pk), deal.open_actions) for deal in rows
    ]
    next_cursor = _encode_cursor(rows[-1]) if more and rows else None
    return Queue(items, next_cursor, len(changes), lookback_since)


# ----------------------------------------------------------------------------------------
# reviews and actions


def _actions_prefetch() -> "Prefetch[Any]":
    return Prefetch(
        "actions",
        queryset=CoachingAction.objects.filter(archived_at__isnull=True)
        .select_related("owner")
        .order_by("due", "id"),
    )


def review_list(
    *, user: Any, opportunity: int | None = None, reviewer: int | None = None
) -> QuerySet[CoachingReview]:
    qs = (
        visible(CoachingReview, user)
        .filter(archived_at__isnull=True)
        .select_related("opportunity", "opportunity__account", "reviewer")
        .prefetch_related(_actions_prefetch())
    )
    if opportunity is not None:
        qs = qs.filter(opportunity_id=opportunity)
    if reviewer is not None:
        qs = qs.filter(reviewer_id=reviewer)
    return qs


def review_get(*, user: Any, id: int) -> CoachingReview:
    return get_visible(review_list(user=user), user, pk=id)


def deal_reviews(*, user: Any, opportunity: Opportunity, limit: int = 50) -> list[CoachingReview]:
    """The deal's reviews, newest first, with their action items (two queries)."""
    qs = review_list(user=user, opportunity=opportunity.pk)
    return list(qs.order_by("-reviewed_at", "-id")[:limit])


def action_list(
    *,
    user: Any,
    owner: int | None = None,
    status: str | None = None,
    opportunity: int | None = None,
) -> QuerySet[CoachingAction]:
    qs = (
        visible(CoachingAction, user)
        .filter(archived_at__isnull=True)
        .select_related(
            "owner",
            "review__reviewer",
            "opportunity__account",
            "opportunity__owner__team",
            "opportunity__team",
        )
    )
    if owner is not None:
        qs = qs.filter(owner_id=owner)
    if status:
        qs = qs.filter(status=status)
    if opportunity is not None:
        qs = qs.filter(opportunity_id=opportunity)
    return qs


def action_get(*, user: Any, id: int) -> CoachingAction:
    return get_visible(action_list(user=user), user, pk=id)


def my_open_actions(*, user: Any, limit: int = 200) -> list[CoachingAction]:
    """The open coaching action items the user owns, soonest due first."""
    qs = action_list(user=user, owner=user.pk, status=ActionStatus.OPEN)
    return list(qs.order_by("due", "id")[:limit])
