"""Coaching reviews on the deal timeline and the account timeline (METHOD.md §4.10: a review
is part of the deal history). Registered from CoachingConfig.ready()."""

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from wuwei.accounts.models import Account
from wuwei.accounts.timeline import Before, TimelineEntry, register_timeline_source
from wuwei.coaching.models import CoachingReview
from wuwei.coaching.selectors import deal_reviews, review_list
from wuwei.opportunities.models import Opportunity
from wuwei.opportunities.timeline import register_deal_timeline_source


def _details(review: CoachingReview) -> tuple[str, ...]:
    lines = [review.comments[:500]]
    for action in review.actions.all():
        lines.append(
            _("Action for %(owner)s, due %(due)s (%(status)s): %(title)s")
            % {
                "owner": action.owner,
                "due": action.due.isoformat(),
                "status": action.get_status_display(),
                "title": action.title,
            }
        )
    return tuple(lines)


def deal_review_entries(user: Any, opportunity: Opportunity, limit: int) -> Iterable[TimelineEntry]:
    for review in deal_reviews(user=user, opportunity=opportunity, limit=limit):
        yield TimelineEntry(
            when=review.reviewed_at,
            kind="coaching",
            title=_("Coaching review"),
            who=review.reviewer,
            details=_details(review),
            key=review.pk,
        )


def account_review_entries(
    user: Any, account: Account, limit: int, before: Before | None = None
) -> Iterable[TimelineEntry]:
    rows = review_list(user=user).filter(opportunity__account=account)
    if before is not None:
        rows = rows.filter(before.moment("coaching", "reviewed_at"))
    rows = rows.order_by("-reviewed_at", "-id")[:limit]
    for review in rows:
        yield TimelineEntry(
            when=review.reviewed_at,
            kind="coaching",
            title=_("Coaching review of %(deal)s") % {"deal": review.opportunity.name},
            who=review.reviewer,
            details=_details(review),
            url=reverse("opportunities:detail", args=[review.opportunity_id]),
            key=review.pk,
        )


def register() -> None:
    register_deal_timeline_source(deal_review_entries)
    register_timeline_source(account_review_entries)
