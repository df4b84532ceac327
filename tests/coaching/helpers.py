"""Coaching test data, built through the real services. Deals start 30 days ago, so only
what a test does afterwards counts as a change."""

from datetime import date, datetime, timedelta
from typing import Any

from django.utils import timezone

from tests.opportunities.factories import make_opportunity
from wuwei.coaching import services
from wuwei.coaching.models import CoachingReview
from wuwei.core import services as core_services
from wuwei.opportunities.models import CompellingEvent, Opportunity, WinRateSnapshot
from wuwei.org.models import User


def ago(days: float) -> datetime:
    return timezone.now() - timedelta(days=days)


def make_deal(owner: User, account: Any, amount: Any = 100_000, **fields: Any) -> Opportunity:
    return make_opportunity(owner, account, amount, at=fields.pop("at", ago(30)), **fields)


def fresh(deal: Opportunity) -> Opportunity:
    return Opportunity.objects.get(pk=deal.pk)


def set_win_rate(deal: Opportunity, value: int | None) -> Opportunity:
    """What the weekly questionnaire does to the deal (§4.6)."""
    deal = fresh(deal)
    return core_services.update_fields(
        deal, user=deal.owner, changes={"win_rate": value}, expected_version=deal.version
    )


def review(
    reviewer: User,
    deal: Opportunity,
    at: datetime | None = None,
    actions: list[tuple[str, User, date]] | None = None,
    comments: str = "Looks fine.",
) -> CoachingReview:
    return services.review_create(
        user=reviewer,
        opportunity=fresh(deal),
        comments=comments,
        actions=actions or [],
        reviewed_at=at,
    )


def add_event(deal: Opportunity, description: str = "Budget approved", **fields: Any) -> Any:
    return core_services.save_new(
        CompellingEvent(opportunity=deal, description=description, **fields), user=deal.owner
    )


def snapshot(deal: Opportunity, days_ago: int, win_rate: int | None) -> WinRateSnapshot:
    taken = ago(days_ago)
    week = taken.date() - timedelta(days=taken.weekday())
    return WinRateSnapshot.objects.create(
        opportunity=deal, week=week, win_rate=win_rate, stage=deal.stage, taken_at=taken
    )
