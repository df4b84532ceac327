from datetime import date

import pytest

from wuwei.methodology.compelling_events import is_due_for_reevaluation, reevaluate_on_default

TODAY = date(2027, 1, 13)


@pytest.mark.parametrize(
    ("event_date", "days", "expected"),
    [
        (None, 30, date(2027, 2, 12)),  # no date: 30 days on
        (date(2027, 1, 20), 30, date(2027, 1, 20)),  # a deadline next week: then
        (date(2027, 2, 11), 30, date(2027, 2, 11)),
        (date(2027, 2, 12), 30, date(2027, 2, 12)),  # the same day either way
        (date(2027, 6, 30), 30, date(2027, 2, 12)),  # far away: 30 days on
        (TODAY, 30, date(2027, 2, 12)),  # today's date does not make it due at once
        (date(2026, 3, 1), 30, date(2027, 2, 12)),  # past ("budget approved last year")
        (date(2027, 1, 20), 5, date(2027, 1, 18)),  # configured period
    ],
)
def test_reevaluate_on_default(event_date, days, expected):
    assert reevaluate_on_default(event_date=event_date, today=TODAY, days=days) == expected


@pytest.mark.parametrize(
    ("reevaluate_on", "due"),
    [(None, False), (date(2027, 1, 12), True), (TODAY, True), (date(2027, 1, 14), False)],
)
def test_is_due_for_reevaluation(reevaluate_on, due):
    assert is_due_for_reevaluation(reevaluate_on, TODAY) is due
