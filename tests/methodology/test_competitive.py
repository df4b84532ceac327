"""Suggested competitive strategy (§4.7; Wuwei's documented reading of TAS) and the
value-proposition standing (§4.8)."""

from decimal import Decimal

import pytest

from wuwei.methodology.competitive import (
    CompetitivePosition,
    Standing,
    standing,
    suggest_competitive_strategy,
)
from wuwei.methodology.config import CompetitiveStrategyConfig, ConfigError, MethodConfig
from wuwei.methodology.explain import Reason

DEFAULT = CompetitiveStrategyConfig()
D = Decimal


@pytest.mark.parametrize(
    ("position", "strategy", "reason"),
    [
        # 1. not rated (no confirmed compelling event) → develop, whatever else holds
        (
            CompetitivePosition(None, 1, D(18), D(5), is_incumbent=True),
            "develop",
            Reason("not_rated"),
        ),
        (CompetitivePosition(None, None), "develop", Reason("not_rated")),
        # 2. rated, but no questionnaire to rank us
        (CompetitivePosition(40, None), "develop", Reason("no_questionnaire")),
        # 3. outside the top 3 → develop
        (
            CompetitivePosition(0, 4, D(6), D(15), product_lines=3),
            "develop",
            Reason("outside_top_n", {"rank": 4, "top_n": 3}),
        ),
        # 4. first and incumbent → defend, even with a low win rate
        (
            CompetitivePosition(30, 1, D(14), D(12), is_incumbent=True),
            "defend",
            Reason("incumbent_leading", {"lead": D(2)}),
        ),
        # 5. first with a win rate of at least 50 → frontal (boundary: exactly 50)
        (
            CompetitivePosition(50, 1, D(16), D(10)),
            "frontal",
            Reason("clear_lead", {"win_rate": 50, "min": 50, "lead": D(6)}),
        ),
        (
            CompetitivePosition(100, 1, D(9), None),
            "frontal",
            Reason("clear_lead", {"win_rate": 100, "min": 50, "lead": D(9)}),
        ),
        # 6. first, narrower lead → flanking
        (
            CompetitivePosition(49, 1, D(12), D(12)),
            "flanking",
            Reason("narrow_lead", {"win_rate": 49, "min": 50, "lead": D(0)}),
        ),
        # 7. behind by at most 3 points → flanking (boundary: exactly 3)
        (
            CompetitivePosition(30, 2, D(11), D(14), product_lines=4),
            "flanking",
            Reason("close_behind", {"rank": 2, "gap": D(3), "max": D(3)}),
        ),
        (
            CompetitivePosition(20, 3, D(12), D(12)),
            "flanking",
            Reason("close_behind", {"rank": 3, "gap": D(0), "max": D(3)}),
        ),
        # 8. further behind, scope of 2+ product lines → fragment
        (
            CompetitivePosition(25, 2, D(10), D(14), product_lines=2),
            "fragment",
            Reason("far_behind_divisible", {"rank": 2, "gap": D(4), "max": D(3), "lines": 2}),
        ),
        # 9. further behind, a single product line → develop
        (
            CompetitivePosition(18, 3, D(7), D(16), product_lines=1),
            "develop",
            Reason("far_behind", {"rank": 3, "gap": D(9), "max": D(3)}),
        ),
        # incumbency does not protect a deal we are behind on
        (
            CompetitivePosition(25, 2, D(10), D(15), is_incumbent=True, product_lines=1),
            "develop",
            Reason("far_behind", {"rank": 2, "gap": D(5), "max": D(3)}),
        ),
    ],
)
def test_suggestion_table(position: CompetitivePosition, strategy: str, reason: Reason) -> None:
    result = suggest_competitive_strategy(position, top_n=3, config=DEFAULT)

    assert (result.strategy, result.reasons) == (strategy, (reason,))


def test_cut_points_come_from_the_configuration() -> None:
    position = CompetitivePosition(45, 2, D(10), D(15), product_lines=1)
    config = CompetitiveStrategyConfig(flanking_max_gap=D(5), frontal_min_win_rate=40)

    assert suggest_competitive_strategy(position, top_n=3, config=DEFAULT).strategy == "develop"
    assert suggest_competitive_strategy(position, top_n=3, config=config).strategy == "flanking"
    leading = CompetitivePosition(45, 1, D(15), D(10))
    assert suggest_competitive_strategy(leading, top_n=3, config=config).strategy == "frontal"
    assert suggest_competitive_strategy(leading, top_n=3, config=DEFAULT).strategy == "flanking"
    outside = CompetitivePosition(10, 4, D(5), D(15))
    assert suggest_competitive_strategy(outside, top_n=4, config=DEFAULT).strategy == "develop"
    assert suggest_competitive_strategy(outside, top_n=4, config=DEFAULT).reasons[0].code == (
        "far_behind"
    )


def test_configuration_defaults_round_trip_and_checks() -> None:
    assert MethodConfig().competitive_strategy == CompetitiveStrategyConfig(50, D(3), 2)
    assert MethodConfig().to_dict()["competitive_strategy"] == {
        "frontal_min_win_rate": 50,
        "flanking_max_gap": "3",
        "fragment_min_product_lines": 2,
    }
    loaded = MethodConfig.from_dict({"competitive_strategy": {"flanking_max_gap": "2.5"}})
    assert loaded.competitive_strategy.flanking_max_gap == D("2.5")
    bad = CompetitiveStrategyConfig(
        frontal_min_win_rate=101, flanking_max_gap=D(-1), fragment_min_product_lines=1
    )
    assert bad.check("competitive_strategy") == [
        ("competitive_strategy.frontal_min_win_rate", "must be between 0 and 100"),
        ("competitive_strategy.flanking_max_gap", "must be at least 0"),
        ("competitive_strategy.fragment_min_product_lines", "must be at least 2"),
    ]
    with pytest.raises(ConfigError):
        MethodConfig.from_dict({"competitive_strategy": {"fragment_min_lines": 3}})


@pytest.mark.parametrize(
    ("ours", "theirs", "expected"),
    [
        (5, 3, Standing.LEAD),
        (3, 3, Standing.EVEN),
        (1, 2, Standing.LAG),
        (None, 3, None),
        (4, None, None),
    ],
)
def test_standing(ours: int | None, theirs: int | None, expected: Standing | None) -> None:
    assert standing(ours, theirs) == expected
