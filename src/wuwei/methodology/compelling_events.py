"""Compelling events (METHOD.md §4.3): when an event is looked at again."""

from datetime import date, timedelta

__all__ = ["is_due_for_reevaluation", "reevaluate_on_default"]


def reevaluate_on_default(*, event_date: date | None, today: date, days: int) -> date:
    """§4.3 "re-evaluated continuously": `days` (30) after today, or the event's own date
    when it falls before that (a go-live deadline next week is looked at then). A date today
    or in the past (e.g. "budget approved last year") does not bring the review forward."""
    later = today + timedelta(days=days)
    if event_date is not None and today < event_date < later:
        return event_date
    return later


def is_due_for_reevaluation(reevaluate_on: date | None, today: date) -> bool:
    return reevaluate_on is not None and reevaluate_on <= today
