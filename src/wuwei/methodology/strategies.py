"""Suggested account strategies (§2.4) and relationship strategies (§3.3)."""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from wuwei.methodology.enums import (
    AccountClass,
    AccountStatus,
    AccountStrategy,
    CompetitiveStrategy,
    RelationshipStatus,
    RelationshipStrategy,
)
from wuwei.methodology.explain import Reason

__all__ = [
    "AccountClass",
    "AccountStatus",
    "AccountStrategy",
    "CompetitiveStrategy",
    "RelationshipStatus",
    "RelationshipStrategy",
    "StrategySuggestion",
    "is_closeness_falling",
    "suggest_account_strategy",
    "suggest_relationship_strategy",
]


@dataclass(frozen=True, slots=True)
class StrategySuggestion:
    """Suggested strategy (None = no active strategy, visit management only) and why."""

    strategy: AccountStrategy | None
    reasons: tuple[Reason, ...]


def is_closeness_falling(closeness_history: Sequence[Decimal]) -> bool:
    """Whether closeness "fell at two consecutive monitoring records" (§2.4).

    `closeness_history` is oldest first. Interpretation: the last three records are strictly
    decreasing at each step (record n-2 > n-1 > n), i.e. the two latest records each fell.
    Fewer than three records never count as falling.
    """
    if len(closeness_history) < 3:
        return False
    first, middle, last = closeness_history[-3:]
    return first > middle > last


def suggest_account_strategy(
    *,
    status: AccountStatus,
    closeness_history: Sequence[Decimal],
    account_class: AccountClass | None,
) -> StrategySuggestion:
    """First matching rule wins (METHOD.md §2.4).

    1. status lost → wait_and_watch;
    2. status drifting, or closeness fell at two consecutive records → win_back;
    3. status prospect → acquire;
    4. class C → grow;  5. class A or B → retain;
    6. class D → no active strategy; no class yet → no suggestion.
    The order is literal: a prospect whose closeness keeps falling gets win_back.
    """
    if status is AccountStatus.LOST:
        return _suggest(AccountStrategy.WAIT_AND_WATCH, "account_lost", {"status": status})
    if status is AccountStatus.DRIFTING:
        return _suggest(AccountStrategy.WIN_BACK, "account_drifting", {"status": status})
    if is_closeness_falling(closeness_history):
        first, middle, last = closeness_history[-3:]
        return _suggest(
            AccountStrategy.WIN_BACK,
            "closeness_falling",
            {"first": first, "middle": middle, "last": last},
        )
    if status is AccountStatus.PROSPECT:
        return _suggest(AccountStrategy.ACQUIRE, "account_prospect", {"status": status})
    if account_class is AccountClass.C:
        return _suggest(AccountStrategy.GROW, "class_grow", {"account_class": account_class})
    if account_class in (AccountClass.A, AccountClass.B):
        return _suggest(AccountStrategy.RETAIN, "class_retain", {"account_class": account_class})
    if account_class is AccountClass.D:
        return _suggest(None, "class_minimal", {"account_class": account_class})
    return _suggest(None, "not_classified", {})


def _suggest(
    strategy: AccountStrategy | None, code: str, params: dict[str, str | Decimal | None]
) -> StrategySuggestion:
    return StrategySuggestion(strategy=strategy, reasons=(Reason(code, params),))


_RELATIONSHIP_STRATEGIES: dict[RelationshipStatus, RelationshipStrategy] = {
    RelationshipStatus.STRONG_POSITIVE: RelationshipStrategy.ENCOURAGE,
    RelationshipStatus.POSITIVE: RelationshipStrategy.HARMONIZE,
    RelationshipStatus.NEUTRAL: RelationshipStrategy.ATTACK,
    RelationshipStatus.NEGATIVE: RelationshipStrategy.DEFEND,
    RelationshipStatus.STRONG_NEGATIVE: RelationshipStrategy.SUPPRESS,
}


def suggest_relationship_strategy(status: RelationshipStatus) -> RelationshipStrategy:
    """Per-contact strategy from the per-opportunity relationship status (METHOD.md §3.3).

    strong_positive → encourage, positive → harmonize, neutral → attack,
    negative → defend, strong_negative → suppress.
    """
    return _RELATIONSHIP_STRATEGIES[status]
