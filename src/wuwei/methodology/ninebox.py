"""Nine-box classification of accounts (§2.3)."""

from dataclasses import dataclass

from wuwei.methodology.config import NineBoxConfig
from wuwei.methodology.enums import AccountClass, AccountStrategy, Level

__all__ = ["AccountClass", "Level", "NineBox", "classify_ninebox", "level_for_score"]


@dataclass(frozen=True, slots=True)
class NineBox:
    """Cell of the nine-box; `default_strategy` None means minimal investment (class D)."""

    potential_level: Level
    contribution_level: Level
    account_class: AccountClass
    default_strategy: AccountStrategy | None


def level_for_score(score: int, config: NineBoxConfig) -> Level:
    """Axis level (METHOD.md §2.3): `≥ high_cut` high, `≥ medium_cut` medium, else low."""
    if isinstance(score, bool) or not 0 <= score <= 100:
        raise ValueError(f"score must be an integer between 0 and 100, got {score!r}")
    if score >= config.high_cut:
        return Level.HIGH
    if score >= config.medium_cut:
        return Level.MEDIUM
    return Level.LOW


def classify_ninebox(*, potential: int, contribution: int, config: NineBoxConfig) -> NineBox:
    """Class and default strategy from the matrix cell `[potential][contribution]` (§2.3).

    `potential` is the potential dimension score and `contribution` the revenue-contribution
    dimension score of the account grading (§2.2), each 0-100.
    """
    potential_level = level_for_score(potential, config)
    contribution_level = level_for_score(contribution, config)
    cell = config.matrix[potential_level][contribution_level]
    return NineBox(
        potential_level=potential_level,
        contribution_level=contribution_level,
        account_class=cell.account_class,
        default_strategy=cell.strategy,
    )
