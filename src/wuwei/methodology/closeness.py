"""Relationship closeness index (§3.4)."""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from wuwei.methodology.enums import RelationshipStatus

__all__ = ["ClosenessEntry", "closeness_index"]

_TENTH = Decimal("0.1")


@dataclass(frozen=True, slots=True)
class ClosenessEntry:
    """One mapped contact: influence 1-5 (political map) and relationship status."""

    influence: int
    status: RelationshipStatus


def closeness_index(entries: Sequence[ClosenessEntry]) -> Decimal | None:
    """`50 + 25 * Σ(influence * status) / Σ influence` on a 0-100 scale (METHOD.md §3.4).

    Status counts +2..-2 (`RelationshipStatus.score`). Rounded to one decimal, halves up
    (away from zero). None when there are no entries. Influence outside 1-5 raises ValueError.
    Use the same function for us and for each competitor whose statuses are recorded.
    """
    if not entries:
        return None
    for entry in entries:
        if isinstance(entry.influence, bool) or not 1 <= entry.influence <= 5:
            raise ValueError(f"influence must be between 1 and 5, got {entry.influence!r}")
    weighted = sum(entry.influence * entry.status.score for entry in entries)
    total_influence = sum(entry.influence for entry in entries)
    # One division at the end keeps exact halves exact (e.g. 51.25 rounds to 51.3).
    index = Decimal(50) + Decimal(25 * weighted) / Decimal(total_influence)
    return index.quantize(_TENTH, rounding=ROUND_HALF_UP)
