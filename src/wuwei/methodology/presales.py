"""Presales budget, routing and capacity (§5.1, §5.2)."""

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from wuwei.methodology.config import PresalesConfig
from wuwei.methodology.enums import Queue

__all__ = [
    "EffortAssignment",
    "Queue",
    "is_over_capacity",
    "iso_week",
    "presales_budget",
    "route_presales_request",
    "split_effort_by_week",
    "weekly_load",
    "working_days",
]

_CENT = Decimal("0.01")
_HUNDRED = Decimal(100)
_DEFAULT_CONFIG = PresalesConfig()


def _grade_group(grade: str) -> str:
    groups = {"A": "AB", "B": "AB", "C": "CD", "D": "CD", "E": "E"}
    if grade not in groups:
        raise ValueError(f"grade must be one of A, B, C, D, E, got {grade!r}")
    return groups[grade]


def presales_budget(*, amount: Decimal, grade: str, config: PresalesConfig) -> Decimal:
    """`amount * share(grade)` to 2 places, halves up (METHOD.md §5.2).

    Shares: AB 3 %, CD 1.5 %, E 1.5 % (E is not named in §5.2; it takes the CD share by
    default, configurable on its own).
    """
    if amount < 0:
        raise ValueError(f"amount must not be negative, got {amount}")
    share = {
        "AB": config.budget_share_ab,
        "CD": config.budget_share_cd,
        "E": config.budget_share_e,
    }[_grade_group(grade)]
    return (amount * share).quantize(_CENT, rounding=ROUND_HALF_UP)


def route_presales_request(*, grade: str, has_local_office: bool) -> Queue:
    """Tiered presales routing (METHOD.md §5.1).

    AB → the delivery centre owns presales end to end; CDE → the local office when the deal's
    team has one, else the remote hotline queue.
    """
    if _grade_group(grade) == "AB":
        return Queue.DELIVERY_CENTER
    return Queue.LOCAL_OFFICE if has_local_office else Queue.HOTLINE


def iso_week(day: date) -> str:
    """ISO 8601 week label, e.g. `2027-W03` (the ISO year, which can differ at new year)."""
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def working_days(start: date, end: date, holidays: Collection[date] = ()) -> list[date]:
    """Monday-Friday dates from `start` to `end` inclusive, minus `holidays`."""
    if end < start:
        raise ValueError(f"end {end} is before start {start}")
    days = (start + timedelta(days=offset) for offset in range((end - start).days + 1))
    return [day for day in days if day.weekday() < 5 and day not in holidays]


def split_effort_by_week(
    start: date, end: date, days: Decimal, holidays: Collection[date] = ()
) -> dict[str, Decimal]:
    """Spread `days` of effort evenly over the working days, summed per ISO week (§5.1).

    Each week gets its share to 2 places. Rounding is cumulative (week k gets
    round(cumulative share up to k) - round(cumulative share up to k-1)), so the weeks always
    add up to `days` exactly. Raises ValueError for negative effort or no working day.
    """
    if days < 0:
        raise ValueError(f"effort must not be negative, got {days}")
    dates = working_days(start, end, holidays)
    if not dates:
        raise ValueError(f"no working day between {start} and {end}")
    day_counts: dict[str, int] = {}
    for day in dates:
        day_counts[iso_week(day)] = day_counts.get(iso_week(day), 0) + 1
    result: dict[str, Decimal] = {}
    counted = 0
    allocated = Decimal("0.00")
    for week, count in day_counts.items():
        counted += count
        cumulative = (days * counted / len(dates)).quantize(_CENT, rounding=ROUND_HALF_UP)
        result[week] = cumulative - allocated
        allocated = cumulative
    return result


@dataclass(frozen=True, slots=True)
class EffortAssignment:
    """Effort in days assigned to one person over a period (both ends inclusive)."""

    start: date
    end: date
    days: Decimal


def weekly_load(
    assignments: Iterable[EffortAssignment], capacity_days_per_week: Decimal
) -> dict[str, Decimal]:
    """Load per ISO week in percent of capacity, 2 places halves up (§5.1), weeks in order.

    `load = Σ effort in the week / capacity_days_per_week * 100`, from `split_effort_by_week`.
    """
    if capacity_days_per_week <= 0:
        raise ValueError(f"capacity must be above 0, got {capacity_days_per_week}")
    totals: dict[str, Decimal] = {}
    for assignment in assignments:
        split = split_effort_by_week(assignment.start, assignment.end, assignment.days)
        for week, effort in split.items():
            totals[week] = totals.get(week, Decimal(0)) + effort
    return {
        week: (totals[week] * _HUNDRED / capacity_days_per_week).quantize(
            _CENT, rounding=ROUND_HALF_UP
        )
        for week in sorted(totals)
    }


def is_over_capacity(load_percent: Decimal, *, config: PresalesConfig = _DEFAULT_CONFIG) -> bool:
    """No double booking beyond capacity (METHOD.md §5.1): exactly 100 % is allowed."""
    return load_percent > config.weekly_capacity_percent
