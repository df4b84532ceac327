"""Activities on the ESP+ account timeline (METHOD.md §4.9: activities appear on the account
timeline). Registered with accounts.timeline at start-up."""

from collections.abc import Iterable
from typing import Any

from django.urls import reverse

from wuwei.accounts.models import Account
from wuwei.accounts.timeline import TimelineEntry, at_noon, register_timeline_source
from wuwei.people.selectors.activities import account_activities


def activity_entries(user: Any, account: Account, limit: int) -> Iterable[TimelineEntry]:
    url = reverse("people:activities") + f"?account={account.pk}"
    for activity in account_activities(user=user, account=account, limit=limit):
        contacts = ", ".join(c.name for c in activity.contacts.all())
        yield TimelineEntry(
            when=at_noon(activity.occurred_on),
            kind="activity",
            title=f"{activity.get_kind_display()}: {activity.subject}",
            who=activity.owner,
            details=(contacts,) if contacts else (),
            url=url,
        )


def register() -> None:
    register_timeline_source(activity_entries)
