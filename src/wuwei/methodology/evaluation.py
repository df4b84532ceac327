"""Annual evaluation of the three core functions of key-account management (§2.7, 三作用)."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from wuwei.methodology.explain import Reason

__all__ = [
    "CoreFunctionScores",
    "EnteredScores",
    "EvaluationConfig",
    "EvaluationFacts",
    "evaluate_core_functions",
]


@dataclass(frozen=True, slots=True)
class EvaluationConfig:
    """Points an incubated opportunity earns (capped at 100)."""

    points_per_opportunity: int = 25


@dataclass(frozen=True, slots=True)
class EvaluationFacts:
    """What the data of the year says: closeness at the first and last monitoring record
    (None without records) and the opportunities created on the account in the year."""

    closeness_start: Decimal | None
    closeness_end: Decimal | None
    opportunities_incubated: int


@dataclass(frozen=True, slots=True)
class EnteredScores:
    """What the evaluator entered, 0-100 each; None when left blank."""

    relationship: int | None
    solution: int | None
    incubation: int | None


@dataclass(frozen=True, slots=True)
class CoreFunctionScores:
    relationship: int
    solution: int
    incubation: int
    relationship_is_computed: bool
    incubation_is_computed: bool
    closeness_change: Decimal | None
    reasons: tuple[Reason, ...]


def _whole(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def evaluate_core_functions(
    facts: EvaluationFacts, entered: EnteredScores, config: EvaluationConfig | None = None
) -> CoreFunctionScores:
    """Scores 0-100 for relationships built, solution advantage built and opportunities
    incubated (METHOD.md §2.7): computed where the data exists, entered where it does not.

    - relationship: the closeness index at the year's last monitoring record (§3.4 scale
      0-100), when there is one; else the entered score;
    - solution: always entered (no data measures it yet);
    - incubation: `min(100, points_per_opportunity x opportunities)` when any opportunity was
      created on the account in the year; else the entered score.
    A score that is neither computable nor entered raises ValueError.
    """
    config = config or EvaluationConfig()
    for name, value in (
        ("relationship", entered.relationship),
        ("solution", entered.solution),
        ("incubation", entered.incubation),
    ):
        if value is not None and (isinstance(value, bool) or not 0 <= value <= 100):
            raise ValueError(f"{name} must be between 0 and 100, got {value!r}")
    reasons: list[Reason] = []
    change = None
    if facts.closeness_start is not None and facts.closeness_end is not None:
        change = facts.closeness_end - facts.closeness_start
    if facts.closeness_end is not None:
        relationship = _whole(facts.closeness_end)
        reasons.append(Reason("relationship_from_closeness", {"closeness": facts.closeness_end}))
    elif entered.relationship is not None:
        relationship = entered.relationship
        reasons.append(Reason("relationship_entered", {"score": relationship}))
    else:
        raise ValueError("relationship: no monitoring record this year; enter a score")
    if entered.solution is None:
        raise ValueError("solution: enter a score")
    if facts.opportunities_incubated > 0:
        incubation = min(100, config.points_per_opportunity * facts.opportunities_incubated)
        reasons.append(
            Reason("incubation_from_opportunities", {"count": facts.opportunities_incubated})
        )
    elif entered.incubation is not None:
        incubation = entered.incubation
        reasons.append(Reason("incubation_entered", {"score": incubation}))
    else:
        incubation = 0
        reasons.append(Reason("incubation_none", {"count": 0}))
    return CoreFunctionScores(
        relationship=relationship,
        solution=entered.solution,
        incubation=incubation,
        relationship_is_computed=facts.closeness_end is not None,
        incubation_is_computed=facts.opportunities_incubated > 0,
        closeness_change=change,
        reasons=tuple(reasons),
    )
