from datetime import date
from decimal import Decimal

import pytest

from wuwei.methodology.config import PresalesConfig
from wuwei.methodology.presales import (
    EffortAssignment,
    is_over_capacity,
    iso_week,
    presales_budget,
    route_presales_request,
    split_effort_by_week,
    weekly_load,
)

DEFAULT = PresalesConfig()


@pytest.mark.parametrize(
    ("amount", "grade", "config", "budget"),
    [
        ("5000000", "A", DEFAULT, "150000.00"),
        ("1000000", "B", DEFAULT, "30000.00"),
        ("999999.99", "C", DEFAULT, "15000.00"),
        ("200000", "D", DEFAULT, "3000.00"),
        ("123456.78", "E", DEFAULT, "1851.85"),
        ("0", "A", DEFAULT, "0.00"),
        ("333.33", "A", DEFAULT, "10.00"),
        ("100.50", "A", DEFAULT, "3.02"),
        # 27.50 * 0.03 = 0.825: halves go up (banker's rounding would give 0.82)
        ("27.50", "A", DEFAULT, "0.83"),
        ("1000", "A", PresalesConfig(budget_share_ab=Decimal("0.05")), "50.00"),
        ("1000", "E", PresalesConfig(budget_share_e=Decimal("0.02")), "20.00"),
        ("1000", "C", PresalesConfig(budget_share_e=Decimal("0.02")), "15.00"),
    ],
)
def test_presales_budget(amount: str, grade: str, config: PresalesConfig, budget: str) -> None:
    assert str(presales_budget(amount=Decimal(amount), grade=grade, config=config)) == budget


@pytest.mark.parametrize(("amount", "grade"), [("-1", "A"), ("1000", "F"), ("1000", "a")])
def test_presales_budget_rejects_bad_input(amount: str, grade: str) -> None:
    with pytest.raises(ValueError):
        presales_budget(amount=Decimal(amount), grade=grade, config=DEFAULT)


@pytest.mark.parametrize(
    ("grade", "has_local_office", "queue"),
    [
        ("A", True, "delivery_center"),
        ("A", False, "delivery_center"),
        ("B", False, "delivery_center"),
        ("C", True, "local_office"),
        ("C", False, "hotline"),
        ("D", True, "local_office"),
        ("D", False, "hotline"),
        ("E", True, "local_office"),
        ("E", False, "hotline"),
    ],
)
def test_route_presales_request(grade: str, has_local_office: bool, queue: str) -> None:
    assert route_presales_request(grade=grade, has_local_office=has_local_office) == queue


def test_route_presales_request_rejects_unknown_grades() -> None:
    with pytest.raises(ValueError, match="grade"):
        route_presales_request(grade="X", has_local_office=True)


@pytest.mark.parametrize(
    ("day", "week"),
    [
        (date(2027, 1, 18), "2027-W03"),
        (date(2027, 1, 4), "2027-W01"),
        (date(2027, 1, 1), "2026-W53"),
        (date(2024, 12, 30), "2025-W01"),
    ],
)
def test_iso_week(day: date, week: str) -> None:
    assert iso_week(day) == week


@pytest.mark.parametrize(
    ("start", "end", "days", "holidays", "weeks"),
    [
        # Monday to Friday
        (date(2027, 1, 4), date(2027, 1, 8), "5", (), {"2027-W01": "5.00"}),
        (date(2027, 1, 4), date(2027, 1, 8), "2.5", (), {"2027-W01": "2.50"}),
        (date(2027, 1, 4), date(2027, 1, 8), "0", (), {"2027-W01": "0.00"}),
        # Wednesday to Tuesday: 3 + 2 working days
        (date(2027, 1, 6), date(2027, 1, 12), "5", (), {"2027-W01": "3.00", "2027-W02": "2.00"}),
        # the weekend is skipped: Saturday to Tuesday is Monday and Tuesday
        (date(2027, 1, 2), date(2027, 1, 5), "2", (), {"2027-W01": "2.00"}),
        # across the new year: 2027-01-01 is in ISO week 2026-W53
        (date(2026, 12, 28), date(2027, 1, 8), "10", (), {"2026-W53": "5.00", "2027-W01": "5.00"}),
        # 2 + 5 working days over 2024-W52 and 2025-W01: 3 * 2 / 7 = 0.857 → 0.86
        (date(2024, 12, 26), date(2025, 1, 3), "3", (), {"2024-W52": "0.86", "2025-W01": "2.14"}),
        # 1 day over 1 + 5 + 1 working days; cumulative rounding keeps the total at 1.00
        (
            date(2027, 1, 8),
            date(2027, 1, 18),
            "1",
            (),
            {"2027-W01": "0.14", "2027-W02": "0.72", "2027-W03": "0.14"},
        ),
        # National Day holidays (Oct 1 and 4-7) are not working days
        (
            date(2027, 9, 27),
            date(2027, 10, 8),
            "5",
            (
                date(2027, 10, 1),
                date(2027, 10, 4),
                date(2027, 10, 5),
                date(2027, 10, 6),
                date(2027, 10, 7),
            ),
            {"2027-W39": "4.00", "2027-W40": "1.00"},
        ),
    ],
)
def test_split_effort_by_week(
    start: date, end: date, days: str, holidays: tuple[date, ...], weeks: dict[str, str]
) -> None:
    split = split_effort_by_week(start, end, Decimal(days), holidays)

    assert {week: str(effort) for week, effort in split.items()} == weeks
    assert list(split) == sorted(weeks)
    assert sum(split.values()) == Decimal(days)


@pytest.mark.parametrize(
    ("start", "end", "days", "message"),
    [
        (date(2027, 1, 9), date(2027, 1, 10), "1", "no working day"),
        (date(2027, 1, 8), date(2027, 1, 4), "1", "before start"),
        (date(2027, 1, 4), date(2027, 1, 8), "-1", "negative"),
    ],
)
def test_split_effort_by_week_rejects_bad_periods(
    start: date, end: date, days: str, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        split_effort_by_week(start, end, Decimal(days))


@pytest.mark.parametrize(
    ("assignments", "capacity", "load"),
    [
        ([], "5", {}),
        ([(date(2027, 1, 4), date(2027, 1, 8), "5")], "5", {"2027-W01": "100.00"}),
        ([(date(2027, 1, 4), date(2027, 1, 8), "3")], "4", {"2027-W01": "75.00"}),
        # overlapping assignments add up: W01 3 + 3 days, W02 2 days
        (
            [(date(2027, 1, 4), date(2027, 1, 8), "3"), (date(2027, 1, 6), date(2027, 1, 12), "5")],
            "5",
            {"2027-W01": "120.00", "2027-W02": "40.00"},
        ),
        # across the new year, plus half a day on Friday 2027-01-01 (2026-W53)
        (
            [
                (date(2026, 12, 28), date(2027, 1, 8), "10"),
                (date(2027, 1, 1), date(2027, 1, 1), "0.5"),
            ],
            "5",
            {"2026-W53": "110.00", "2027-W01": "100.00"},
        ),
        # 0.14 / 3 = 4.666… % → 4.67 %
        (
            [(date(2027, 1, 8), date(2027, 1, 18), "1")],
            "3",
            {"2027-W01": "4.67", "2027-W02": "24.00", "2027-W03": "4.67"},
        ),
    ],
)
def test_weekly_load(
    assignments: list[tuple[date, date, str]], capacity: str, load: dict[str, str]
) -> None:
    result = weekly_load(
        [EffortAssignment(start, end, Decimal(days)) for start, end, days in assignments],
        Decimal(capacity),
    )

    assert {week: str(percent) for week, percent in result.items()} == load
    assert list(result) == sorted(load)


def test_weekly_load_needs_a_positive_capacity() -> None:
    with pytest.raises(ValueError, match="capacity"):
        weekly_load([], Decimal(0))


@pytest.mark.parametrize(
    ("load", "config", "over"),
    [
        ("0", DEFAULT, False),
        ("99.99", DEFAULT, False),
        ("100", DEFAULT, False),
        ("100.00", DEFAULT, False),
        ("100.01", DEFAULT, True),
        ("150", DEFAULT, True),
        ("80", PresalesConfig(weekly_capacity_percent=Decimal(80)), False),
        ("80.01", PresalesConfig(weekly_capacity_percent=Decimal(80)), True),
    ],
)
def test_is_over_capacity(load: str, config: PresalesConfig, over: bool) -> None:
    assert is_over_capacity(Decimal(load), config=config) is over


def test_is_over_capacity_defaults_to_100_percent() -> None:
    assert (is_over_capacity(Decimal(100)), is_over_capacity(Decimal("100.01"))) == (False, True)
