from datetime import date

import pytest

from wuwei.methodology.config import InteractionConfig
from wuwei.methodology.interaction import ActivityFact, derive_interaction_level

AS_OF = date(2027, 6, 30)  # 180 days back: 2027-01-01; 90 days back: 2027-04-01
DEFAULT = InteractionConfig()


def calls(count: int, on: date = date(2027, 5, 10)) -> list[ActivityFact]:
    return [ActivityFact(occurred_on=on, kind="call") for _ in range(count)]


@pytest.mark.parametrize(
    ("activities", "config", "level"),
    [
        ([], DEFAULT, "none"),
        (calls(1), DEFAULT, "occasional"),
        (calls(2), DEFAULT, "occasional"),
        (calls(3), DEFAULT, "multiple"),
        (calls(5), DEFAULT, "multiple"),
        (calls(6), DEFAULT, "deep"),
        (calls(9), DEFAULT, "deep"),
        # the window includes as_of and the day exactly 180 days back
        (calls(1, on=AS_OF), DEFAULT, "occasional"),
        (calls(1, on=date(2027, 1, 1)), DEFAULT, "occasional"),
        (calls(1, on=date(2026, 12, 31)), DEFAULT, "none"),
        (calls(6, on=date(2026, 12, 31)), DEFAULT, "none"),
        (calls(5) + calls(1, on=date(2026, 12, 31)), DEFAULT, "multiple"),
        (calls(5) + calls(1, on=date(2027, 1, 1)), DEFAULT, "deep"),
        # activities after as_of have not happened yet
        (calls(1, on=date(2027, 7, 1)), DEFAULT, "none"),
        (calls(2) + calls(4, on=date(2027, 7, 1)), DEFAULT, "occasional"),
        # one deep-kind activity in the last 90 days (inclusive) is enough
        ([ActivityFact(date(2027, 4, 1), "site_visit")], DEFAULT, "deep"),
        ([ActivityFact(date(2027, 6, 1), "executive_meeting")], DEFAULT, "deep"),
        ([ActivityFact(AS_OF, "workshop")], DEFAULT, "deep"),
        ([ActivityFact(date(2027, 3, 31), "site_visit")], DEFAULT, "occasional"),
        ([ActivityFact(date(2027, 1, 1), "workshop"), *calls(2)], DEFAULT, "multiple"),
        ([ActivityFact(date(2027, 7, 1), "workshop")], DEFAULT, "none"),
        ([ActivityFact(date(2027, 6, 1), "meeting")], DEFAULT, "occasional"),
        # configuration: other deep kinds, windows and counts
        (
            [ActivityFact(date(2027, 6, 1), "dinner")],
            InteractionConfig(deep_kinds=("dinner",)),
            "deep",
        ),
        (
            [ActivityFact(date(2027, 6, 1), "site_visit")],
            InteractionConfig(deep_kinds=()),
            "occasional",
        ),
        (
            calls(1, on=date(2027, 5, 31)),
            InteractionConfig(window_days=30, deep_window_days=30),
            "occasional",
        ),
        (
            calls(1, on=date(2027, 5, 30)),
            InteractionConfig(window_days=30, deep_window_days=30),
            "none",
        ),
        (calls(4), InteractionConfig(deep_min_activities=4), "deep"),
    ],
)
def test_derive_interaction_level(
    activities: list[ActivityFact], config: InteractionConfig, level: str
) -> None:
    assert derive_interaction_level(activities, as_of=AS_OF, config=config) == level
