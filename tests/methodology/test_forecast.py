from decimal import Decimal

import pytest

from wuwei.methodology.config import ForecastConfig
from wuwei.methodology.forecast import forecast_bucket, weighted_amount

DEFAULT = ForecastConfig()
STRICT = ForecastConfig(commit_min=80, best_case_min=50)


@pytest.mark.parametrize(
    ("win_rate", "config", "bucket"),
    [
        (None, DEFAULT, "unrated"),
        (0, DEFAULT, "pipeline"),
        (39, DEFAULT, "pipeline"),
        (40, DEFAULT, "best_case"),
        (69, DEFAULT, "best_case"),
        (70, DEFAULT, "commit"),
        (100, DEFAULT, "commit"),
        (79, STRICT, "best_case"),
        (80, STRICT, "commit"),
        (49, STRICT, "pipeline"),
        (None, STRICT, "unrated"),
    ],
)
def test_forecast_bucket(win_rate: int | None, config: ForecastConfig, bucket: str) -> None:
    assert forecast_bucket(win_rate, config) == bucket


@pytest.mark.parametrize(
    ("amount", "win_rate", "weighted"),
    [
        ("1000000", 70, "700000.00"),
        ("1000000", None, None),
        ("0", 50, "0.00"),
        ("5000000", 0, "0.00"),
        ("5000000", 100, "5000000.00"),
        ("123.45", 33, "40.74"),
        ("100.10", 5, "5.01"),
    ],
)
def test_weighted_amount(amount: str, win_rate: int | None, weighted: str | None) -> None:
    result = weighted_amount(Decimal(amount), win_rate)

    assert (None if result is None else str(result)) == weighted


@pytest.mark.parametrize("win_rate", [-1, 101])
def test_weighted_amount_rejects_impossible_win_rates(win_rate: int) -> None:
    with pytest.raises(ValueError, match="between 0 and 100"):
        weighted_amount(Decimal(100), win_rate)
