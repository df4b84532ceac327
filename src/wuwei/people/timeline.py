"""Activities on the ESP+ account timeline and on the deal timeline (METHOD.md §4.9:
activities appear on the timelines of what they belong to). Registered at start-up."""

from collections.abc import Iterable
from typing import Any

from django.urls import reverse

from wuwei.accounts.models import Account
from wuwei.accounts.timeline import Before, TimelineEntry, at_noon, register_timeline_source
from wuwei.opportunities.models import Opportunity
from wuwei.opportunities.timeline import register_deal_timeline_source
from wuwei.people.models import Activity
from wuwei.people.selectors.activities import account_activities, deal_activities


def _entry(activity: Activity, url: str, *, with_notes: bool = False) -> TimelineEntry:
    contacts = ", ".join(c.name for c in activity.contacts.all())
    notes = activity.notes.strip() if with_notes else ""
    return TimelineEntry(
        when=at_noon(activity.occurred_on),
        kind="activity",
        title=f"{activity.get_kind_display()}: {activity.subject}",
        who=activity.owner,
        details=tuple(line for line in (contacts, notes) if line),
        url=url,
        key=activity.pk,
    )


def activity_entries(
    user: Any, account: Account, limit: int, before: Before | None = None
) -> Iterable[TimelineEntry]:
    url = reverse("people:activities") + f"?account={account.pk}"
    after = None if before is None else before.day("activity", "occurred_on")
    for activity in account_activities(user=user, account=account, limit=limit, after=after):
        yield _entry(activity, url)


def deal_activity_entries(
    user: Any, opportunity: Opportunity, limit: int
) -> Iterable[TimelineEntry]:
    url = reverse("people:activities") + f"?opportunity={opportunity.pk}"
    for activity in deal_activities(user=user, opportunity=opportunity, limit=limit):
        yield _entry(activity, url, with_notes=True)


def register() -> None:
    register_timeline_source(activity_entries)
    register_deal_timeline_source(deal_activity_entries)
