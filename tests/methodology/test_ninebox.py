import pytest

from wuwei.methodology.config import NineBoxConfig
from wuwei.methodology.ninebox import classify_ninebox, level_for_score

DEFAULT = NineBoxConfig()


@pytest.mark.parametrize(
    ("potential", "contribution", "config", "levels", "account_class", "strategy"),
    [
        (67, 67, DEFAULT, ("high", "high"), "A", "retain"),
        (100, 100, DEFAULT, ("high", "high"), "A", "retain"),
        (67, 34, DEFAULT, ("high", "medium"), "B", "retain"),
        (67, 33, DEFAULT, ("high", "low"), "C", "grow"),
        (100, 0, DEFAULT, ("high", "low"), "C", "grow"),
        (66, 67, DEFAULT, ("medium", "high"), "A", "retain"),
        (34, 34, DEFAULT, ("medium", "medium"), "B", "retain"),
        (34, 33, DEFAULT, ("medium", "low"), "C", "grow"),
        (33, 67, DEFAULT, ("low", "high"), "B", "retain"),
        (33, 66, DEFAULT, ("low", "medium"), "D", None),
        (33, 34, DEFAULT, ("low", "medium"), "D", None),
        (0, 0, DEFAULT, ("low", "low"), "D", None),
        # cut points are configuration
        (79, 80, NineBoxConfig(high_cut=80, medium_cut=50), ("medium", "high"), "A", "retain"),
        (49, 50, NineBoxConfig(high_cut=80, medium_cut=50), ("low", "medium"), "D", None),
    ],
)
def test_classify_ninebox(
    potential: int,
    contribution: int,
    config: NineBoxConfig,
    levels: tuple[str, str],
    account_class: str,
    strategy: str | None,
) -> None:
    box = classify_ninebox(potential=potential, contribution=contribution, config=config)

    assert (box.potential_level, box.contribution_level) == levels
    assert box.account_class == account_class
    assert box.default_strategy == strategy


@pytest.mark.parametrize("score", [-1, 101])
def test_level_for_score_rejects_scores_outside_0_to_100(score: int) -> None:
    with pytest.raises(ValueError, match="between 0 and 100"):
        level_for_score(score, DEFAULT)
