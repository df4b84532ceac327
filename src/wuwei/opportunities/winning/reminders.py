"""Re-evaluation reminders (METHOD.md §4.3: the compelling event is re-evaluated
continuously). When an event of an open deal reaches its `reevaluate_on` date, the deal owner
is told once — the key holds the date, so an event re-evaluated and due again reminds again."""

from datetime import date
from functools import partial
from itertools import islice

from django.urls import reverse
from django.utils.translation import gettext

from wuwei.notifications.services import Draft, notify_many
from wuwei.opportunities.models import OPEN_STAGES, CompellingEvent

KIND = "compelling_event_due"
_CHUNK = 500


def _title(deal: str) -> str:
    return gettext("Re-evaluate the compelling event: %(deal)s") % {"deal": deal}


def _body(deal: str, event: str, day: date) -> str:
    return gettext(
        "The compelling event “%(event)s” of %(deal)s was due for re-evaluation on %(day)s: "
        "is it still true, and is it confirmed?"
    ) % {"event": event, "deal": deal, "day": day.isoformat()}


def _draft(event: CompellingEvent) -> Draft:
    deal = event.opportunity
    assert event.reevaluate_on is not None
    return Draft(
        recipients=[deal.owner],
        kind=KIND,
        title=partial(_title, deal.name),
        body=partial(_body, deal.name, event.description[:80], event.reevaluate_on),
        url=reverse("opportunities:detail", args=[deal.pk]) + "#events",
        key=f"{KIND}:{event.pk}:{event.reevaluate_on.isoformat()}",
        opportunity_id=deal.pk,
    )


def reevaluation_reminders(*, as_of: date) -> int:
    """Notify the owners of every due event not reminded yet; returns how many were new.
    A fixed number of queries per 500 due events."""
    due = (
        CompellingEvent.objects.filter(
            archived_at__isnull=True,
            reevaluate_on__lte=as_of,
            opportunity__stage__in=OPEN_STAGES,
            opportunity__archived_at__isnull=True,
            opportunity__owner__is_active=True,
        )
        .select_related("opportunity__owner")
        .order_by("pk")
        .iterator(chunk_size=_CHUNK)
    )
    created = 0
    while chunk := list(islice(due, _CHUNK)):
        created += notify_many([_draft(event) for event in chunk])
    return created
