from datetime import date
from decimal import Decimal

import pytest

from wuwei.methodology.config import ForecastConfig
from wuwei.methodology.forecast import (
    ForecastSums,
    PeriodKind,
    adjusted_figure,
    conversion_rate,
    forecast_bucket,
    forecast_change,
    forecast_figures,
    parse_period,
    period_of,
    periods_between,
    weighted_amount,
    win_rate_band,
)

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


# --- periods, figures, changes (METHOD.md §8) ----------------------------------------------

M, Q = PeriodKind.MONTH, PeriodKind.QUARTER


@pytest.mark.parametrize(
    ("day", "kind", "label", "start", "end"),
    [
        (date(2027, 1, 1), Q, "2027-Q1", date(2027, 1, 1), date(2027, 3, 31)),
        (date(2027, 3, 31), Q, "2027-Q1", date(2027, 1, 1), date(2027, 3, 31)),
        (date(2027, 4, 1), Q, "2027-Q2", date(2027, 4, 1), date(2027, 6, 30)),
        (date(2027, 12, 31), Q, "2027-Q4", date(2027, 10, 1), date(2027, 12, 31)),
        (date(2028, 2, 10), M, "2028-02", date(2028, 2, 1), date(2028, 2, 29)),
        (date(2027, 2, 10), M, "2027-02", date(2027, 2, 1), date(2027, 2, 28)),
        (date(2027, 12, 5), M, "2027-12", date(2027, 12, 1), date(2027, 12, 31)),
        (date(9998, 12, 31), Q, "9998-Q4", date(9998, 10, 1), date(9998, 12, 31)),
    ],
)
def test_period_of(day, kind, label, start, end):
    period = period_of(day, kind)

    assert (period.label, period.start, period.end) == (label, start, end)
    assert parse_period(label) == period


@pytest.mark.parametrize("label", ["2027-Q5", "2027-13", "2027-00", "27-Q1", "", "2027-Q1x", 7])
def test_parse_period_refuses(label):
    with pytest.raises(ValueError, match="not a period"):
        parse_period(label)


@pytest.mark.parametrize(
    ("start", "end", "kind", "labels"),
    [
        (date(2027, 2, 15), date(2027, 7, 1), Q, ["2027-Q1", "2027-Q2", "2027-Q3"]),
        (date(2027, 11, 30), date(2028, 1, 1), M, ["2027-11", "2027-12", "2028-01"]),
        (date(2027, 5, 1), date(2027, 5, 1), M, ["2027-05"]),
        (date(2027, 5, 2), date(2027, 5, 1), M, []),
        (date(9999, 12, 30), date(9999, 12, 31), Q, ["9999-Q4"]),
    ],
)
def test_periods_between(start, end, kind, labels):
    assert [p.label for p in periods_between(start, end, kind)] == labels


def _sums(**values):
    return ForecastSums(**{k: Decimal(v) if isinstance(v, str) else v for k, v in values.items()})


@pytest.mark.parametrize(
    ("sums", "weighted", "pipeline", "unrated"),
    [
        (_sums(), "0.00", "0.00", "0.00"),
        # 1,000,000 × 70 + 500,000 × 39 = 89,500,000 percent-yuan → 895,000.00
        (
            _sums(deals=3, pipeline="1800000", rate_amount="89500000", unrated="300000"),
            "895000.00",
            "1800000.00",
            "300000.00",
        ),
        # halves up once per cell: 123.45 × 33 + 0.05 × 1 = 4073.90 → 40.7390 → 40.74
        (_sums(deals=2, pipeline="123.50", rate_amount="4073.90"), "40.74", "123.50", "0.00"),
        (_sums(rate_amount="0.5"), "0.01", "0.00", "0.00"),
    ],
)
def test_forecast_figures(sums, weighted, pipeline, unrated):
    figures = forecast_figures(sums)

    assert (str(figures.weighted), str(figures.pipeline), str(figures.unrated)) == (
        weighted,
        pipeline,
        unrated,
    )


def test_sums_add_every_field():
    a = _sums(deals=1, pipeline="10", rate_amount="700", commit="10", commit_deals=1)
    b = _sums(deals=2, pipeline="5", unrated="5", unrated_deals=1, best_case="3")

    assert a + b == _sums(
        deals=3,
        pipeline="15",
        rate_amount="700",
        commit="10",
        commit_deals=1,
        best_case="3",
        unrated="5",
        unrated_deals=1,
    )


@pytest.mark.parametrize(
    ("now", "before", "change"),
    [
        (("100", "50", "80"), ("60", "50", "90"), ("40.00", "0.00", "-10.00")),
        (("100", "50", "80"), None, (None, None, None)),
    ],
)
def test_forecast_change(now, before, change):
    def figures(triple):
        if triple is None:
            return None
        w, c, b = triple
        return forecast_figures(_sums(rate_amount=Decimal(w) * 100, commit=c, best_case=b))

    result = forecast_change(figures(now), figures(before))

    assert (
        tuple(
            None if v is None else str(v)
            for v in (result.weighted, result.commit, result.best_case)
        )
        == change
    )


@pytest.mark.parametrize(
    ("computed", "adjustment", "shown"),
    [("100", None, "100"), ("100", "80", "80"), ("100", "0", "0")],
)
def test_adjusted_figure(computed, adjustment, shown):
    value = adjusted_figure(Decimal(computed), None if adjustment is None else Decimal(adjustment))

    assert value == Decimal(shown)


@pytest.mark.parametrize(
    ("win_rate", "band"),
    [
        (None, None),
        (0, 0),
        (9, 0),
        (10, 10),
        (39, 30),
        (40, 40),
        (69, 60),
        (70, 70),
        (99, 90),
        (100, 90),
    ],
)
def test_win_rate_band(win_rate, band):
    assert win_rate_band(win_rate) == band


def test_win_rate_band_refuses_impossible_rates():
    with pytest.raises(ValueError, match="between 0 and 100"):
        win_rate_band(101)


@pytest.mark.parametrize(
    ("entered", "advanced", "rate"),
    [(0, 0, None), (3, 1, Decimal("33.3")), (3, 2, Decimal("66.7")), (4, 4, Decimal("100.0"))],
)
def test_conversion_rate(entered, advanced, rate):
    assert conversion_rate(entered, advanced) == rate
