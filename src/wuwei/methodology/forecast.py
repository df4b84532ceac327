"""Forecast categories and weighted amounts (§8)."""

import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from wuwei.methodology.config import ForecastConfig
from wuwei.methodology.enums import ForecastBucket

__all__ = [
    "ForecastBucket",
    "ForecastChange",
    "ForecastFigures",
    "ForecastSums",
    "Period",
    "PeriodKind",
    "adjusted_figure",
    "conversion_rate",
    "forecast_bucket",
    "forecast_change",
    "forecast_figures",
    "parse_period",
    "period_of",
    "periods_between",
    "weighted_amount",
    "win_rate_band",
]

_CENT = Decimal("0.01")


def forecast_bucket(win_rate: int | None, config: ForecastConfig) -> ForecastBucket:
    """Category by win rate (METHOD.md §8): `commit ≥ 70`, `best_case ≥ 40`, else pipeline.

    A deal without a win rate is `unrated`: shown apart, never counted as 0 or 100.
    """
    if win_rate is None:
        return ForecastBucket.UNRATED
    if win_rate >= config.commit_min:
        return ForecastBucket.COMMIT
    if win_rate >= config.best_case_min:
        return ForecastBucket.BEST_CASE
    return ForecastBucket.PIPELINE


def weighted_amount(amount: Decimal, win_rate: int | None) -> Decimal | None:
    """`amount * win_rate / 100` to 2 places, halves up (METHOD.md §8); None when unrated."""
    if win_rate is None:
        return None
    if isinstance(win_rate, bool) or not 0 <= win_rate <= 100:
        raise ValueError(f"win rate must be between 0 and 100, got {win_rate!r}")
    return (amount * win_rate / Decimal(100)).quantize(_CENT, rounding=ROUND_HALF_UP)


# --- Periods, figures and changes of the forecast grid (METHOD.md §8) -----------------------


class PeriodKind(StrEnum):
    """How the forecast cuts time: by calendar month or quarter of the expected close date."""

    MONTH = "month"
    QUARTER = "quarter"


@dataclass(frozen=True, slots=True, order=True)
class Period:
    """One month or quarter: `start` and `end` inclusive; `label` is `2027-03` or `2027-Q1`."""

    start: date
    end: date
    kind: PeriodKind

    @property
    def label(self) -> str:
        if self.kind == PeriodKind.QUARTER:
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        return f"{self.start.year}-{self.start.month:02d}"


_PERIOD_LABEL = re.compile(r"^(\d{4})-(?:Q([1-4])|(0[1-9]|1[0-2]))$")


def _month_end(year: int, month: int) -> date:
    if month == 12:  # also the last month there is (9999-12)
        return date(year, 12, 31)
    return date.fromordinal(date(year, month + 1, 1).toordinal() - 1)


def period_of(day: date, kind: PeriodKind) -> Period:
    """The month or calendar quarter a close date falls in."""
    if kind == PeriodKind.QUARTER:
        first = (day.month - 1) // 3 * 3 + 1
        return Period(date(day.year, first, 1), _month_end(day.year, first + 2), kind)
    return Period(date(day.year, day.month, 1), _month_end(day.year, day.month), kind)


def parse_period(label: str) -> Period:
    """`2027-Q1` or `2027-03` → the period; ValueError for anything else."""
    match = _PERIOD_LABEL.match(label.strip()) if isinstance(label, str) else None
    if not match or not 1 <= int(match[1]) <= 9998:
        raise ValueError(f"not a period like 2027-Q1 or 2027-03: {label!r}")
    year = int(match[1])
    if match[2]:
        return period_of(date(year, (int(match[2]) - 1) * 3 + 1, 1), PeriodKind.QUARTER)
    return period_of(date(year, int(match[3]), 1), PeriodKind.MONTH)


def periods_between(start: date, end: date, kind: PeriodKind) -> list[Period]:
    """Every period touching [start, end], in order (empty when start is after end)."""
    periods: list[Period] = []
    if start > end:
        return periods
    current = period_of(start, kind)
    while current.start <= end:
        periods.append(current)
        if current.end >= date.max - timedelta(days=1):
            break
        current = period_of(current.end + timedelta(days=1), kind)
    return periods


@dataclass(frozen=True, slots=True)
class ForecastSums:
    """What one GROUP BY row of open deals adds up (the facts the database computes).

    `rate_amount` is Σ amount × win rate over the rated deals (percent points, not yet ÷ 100),
    so rounding happens once per cell rather than once per deal."""

    deals: int = 0
    pipeline: Decimal = Decimal(0)
    rate_amount: Decimal = Decimal(0)
    commit: Decimal = Decimal(0)
    commit_deals: int = 0
    best_case: Decimal = Decimal(0)
    best_case_deals: int = 0
    unrated: Decimal = Decimal(0)
    unrated_deals: int = 0

    def __add__(self, other: "ForecastSums") -> "ForecastSums":
        return ForecastSums(*(getattr(self, name) + getattr(other, name) for name in _SUM_FIELDS))


_SUM_FIELDS = (
    "deals",
    "pipeline",
    "rate_amount",
    "commit",
    "commit_deals",
    "best_case",
    "best_case_deals",
    "unrated",
    "unrated_deals",
)


@dataclass(frozen=True, slots=True)
class ForecastFigures:
    """The figures of one cell of the grid (METHOD.md §8).

    - `weighted` = Σ amount × current win rate over the *rated* deals;
    - `commit` = Σ amount of the deals at or above `commit_min` (70 %);
    - `best_case` = Σ amount of the deals at or above `best_case_min` (40 %), commit included
      (best case is what closes if every likely deal goes our way);
    - `pipeline` = Σ amount of every open deal, rated or not;
    - `unrated` = Σ amount of the deals without a win rate, shown apart: they are in the
      pipeline but never weighted as 0 % or 100 %."""

    deals: int
    pipeline: Decimal
    weighted: Decimal
    commit: Decimal
    commit_deals: int
    best_case: Decimal
    best_case_deals: int
    unrated: Decimal
    unrated_deals: int


def forecast_figures(sums: ForecastSums) -> ForecastFigures:
    """Sums of a cell → its figures: `weighted = Σ(amount × win rate) / 100`, 2 places, halves
    up (METHOD.md §8); every other figure is the sum itself to the cent."""
    return ForecastFigures(
        deals=sums.deals,
        pipeline=Decimal(sums.pipeline).quantize(_CENT),
        weighted=(Decimal(sums.rate_amount) / Decimal(100)).quantize(_CENT, ROUND_HALF_UP),
        commit=Decimal(sums.commit).quantize(_CENT),
        commit_deals=sums.commit_deals,
        best_case=Decimal(sums.best_case).quantize(_CENT),
        best_case_deals=sums.best_case_deals,
        unrated=Decimal(sums.unrated).quantize(_CENT),
        unrated_deals=sums.unrated_deals,
    )


@dataclass(frozen=True, slots=True)
class ForecastChange:
    """Now against last week's snapshot: the change of each headline figure (None when there
    was no snapshot last week to compare with)."""

    weighted: Decimal | None
    commit: Decimal | None
    best_case: Decimal | None


def forecast_change(current: ForecastFigures, previous: ForecastFigures | None) -> ForecastChange:
    """`current − previous` for weighted, commit and best case (METHOD.md §8 with the §4.6
    weekly snapshot as "last week")."""
    if previous is None:
        return ForecastChange(None, None, None)
    return ForecastChange(
        weighted=current.weighted - previous.weighted,
        commit=current.commit - previous.commit,
        best_case=current.best_case - previous.best_case,
    )


def adjusted_figure(computed: Decimal, adjustment: Decimal | None) -> Decimal:
    """The figure a manager stands behind: their adjustment when they made one, else the
    computed figure (both stay visible side by side)."""
    return computed if adjustment is None else adjustment


def win_rate_band(win_rate: int | None, width: int = 10) -> int | None:
    """The lower edge of the distribution band a win rate falls in (0, 10, …, 90; 100 joins
    the top band); None for unrated deals, which the distribution shows apart."""
    if win_rate is None:
        return None
    if not 0 <= win_rate <= 100 or not 1 <= width <= 100:
        raise ValueError(f"win rate must be between 0 and 100, got {win_rate!r}")
    return min(win_rate // width * width, (100 - 1) // width * width)


def conversion_rate(entered: int, advanced: int) -> Decimal | None:
    """Stage conversion in percent, one place: deals that went on to a later stage (or won)
    ÷ deals that entered the stage; None when none entered."""
    if entered <= 0:
        return None
    return (Decimal(advanced) * 100 / Decimal(entered)).quantize(Decimal("0.1"), ROUND_HALF_UP)
