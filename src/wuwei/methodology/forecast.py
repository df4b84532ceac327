"""Forecast categories and weighted amounts (§8)."""

from decimal import ROUND_HALF_UP, Decimal

from wuwei.methodology.config import ForecastConfig
from wuwei.methodology.enums import ForecastBucket

__all__ = ["ForecastBucket", "forecast_bucket", "weighted_amount"]

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
