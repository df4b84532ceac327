"""Competitive strategy of a deal (§4.7) and the value-proposition comparison (§4.8).

METHOD.md names the five TAS strategies but gives no rule for choosing one; the suggestion
below is Wuwei's reading of TAS (a product decision, configurable cut points):
- frontal 正面: attack head-on — only with a clear advantage;
- flanking 侧翼: move the evaluation criteria to where we are strong;
- fragment 分割: split the deal and win the part we can;
- defend 防御: protect the position of the incumbent;
- develop 发展: no winnable position now — build relationships and needs for later.
"""

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from wuwei.methodology.config import CompetitiveStrategyConfig
from wuwei.methodology.enums import CompetitiveStrategy
from wuwei.methodology.explain import Reason

__all__ = [
    "CompetitivePosition",
    "CompetitiveStrategy",
    "CompetitiveSuggestion",
    "Standing",
    "standing",
    "suggest_competitive_strategy",
]


@dataclass(frozen=True, slots=True)
class CompetitivePosition:
    """Where we stand on one deal.

    `win_rate` None = not rated (§4.6 rule 1). `rank` is our place among the parties of the
    newest questionnaire (1 = strongest, ties: us below), None without a questionnaire;
    `strength` is ours and `leader_strength` the strongest competitor's (None when no
    competitor was scored). `is_incumbent`: we already sell to this customer. `product_lines`:
    how many product lines the deal covers (a scope of two or more can be split).
    """

    win_rate: int | None
    rank: int | None
    strength: Decimal = Decimal(0)
    leader_strength: Decimal | None = None
    is_incumbent: bool = False
    product_lines: int = 1


@dataclass(frozen=True, slots=True)
class CompetitiveSuggestion:
    strategy: CompetitiveStrategy
    reasons: tuple[Reason, ...]


def suggest_competitive_strategy(
    position: CompetitivePosition, *, top_n: int, config: CompetitiveStrategyConfig
) -> CompetitiveSuggestion:
    """First matching rule wins:

    1. not rated (no confirmed compelling event) → develop;
    2. no questionnaire, so no rank → develop;
    3. not in the top `top_n` (win rate 0) → develop;
    4. rank 1 and we are the incumbent → defend;
    5. rank 1 and win rate ≥ `frontal_min_win_rate` (50) → frontal;
    6. rank 1 with a narrower lead → flanking (widen it on our own ground);
    7. behind the leader by at most `flanking_max_gap` (3) points → flanking;
    8. further behind and the scope has ≥ `fragment_min_product_lines` (2) lines → fragment;
    9. further behind, scope cannot be split → develop.
    """
    if position.win_rate is None:
        return _suggest(CompetitiveStrategy.DEVELOP, "not_rated", {})
    if position.rank is None:
        return _suggest(CompetitiveStrategy.DEVELOP, "no_questionnaire", {})
    rank = position.rank
    if rank > top_n:
        return _suggest(
            CompetitiveStrategy.DEVELOP, "outside_top_n", {"rank": rank, "top_n": top_n}
        )
    if rank == 1:
        return _leading(position, config)
    gap = (position.leader_strength or Decimal(0)) - position.strength
    params: dict[str, int | Decimal] = {"rank": rank, "gap": gap}
    if gap <= config.flanking_max_gap:
        return _suggest(
            CompetitiveStrategy.FLANKING, "close_behind", {**params, "max": config.flanking_max_gap}
        )
    params["max"] = config.flanking_max_gap
    if position.product_lines >= config.fragment_min_product_lines:
        params["lines"] = position.product_lines
        return _suggest(CompetitiveStrategy.FRAGMENT, "far_behind_divisible", params)
    return _suggest(CompetitiveStrategy.DEVELOP, "far_behind", params)


def _leading(
    position: CompetitivePosition, config: CompetitiveStrategyConfig
) -> CompetitiveSuggestion:
    win_rate = position.win_rate or 0
    lead = position.strength - (position.leader_strength or Decimal(0))
    if position.is_incumbent:
        return _suggest(CompetitiveStrategy.DEFEND, "incumbent_leading", {"lead": lead})
    params: dict[str, int | Decimal] = {
        "win_rate": win_rate,
        "min": config.frontal_min_win_rate,
        "lead": lead,
    }
    if win_rate >= config.frontal_min_win_rate:
        return _suggest(CompetitiveStrategy.FRONTAL, "clear_lead", params)
    return _suggest(CompetitiveStrategy.FLANKING, "narrow_lead", params)


def _suggest(
    strategy: CompetitiveStrategy, code: str, params: dict[str, int | Decimal]
) -> CompetitiveSuggestion:
    return CompetitiveSuggestion(strategy=strategy, reasons=(Reason(code, params),))


class Standing(StrEnum):
    """How we compare with one competitor on one dimension of the value proposition."""

    LEAD = "lead"
    EVEN = "even"
    LAG = "lag"


def standing(ours: int | None, theirs: int | None) -> Standing | None:
    """Our rating against theirs (1–5 each); None when either is not rated."""
    if ours is None or theirs is None:
        return None
    if ours > theirs:
        return Standing.LEAD
    if ours < theirs:
        return Standing.LAG
    return Standing.EVEN
