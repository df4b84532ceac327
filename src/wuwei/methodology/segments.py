"""Segment targets (METHOD.md §7.2, seed 003): SMB lead-to-deal conversion against ≈ 15 % with a
standard process, KA project success against ≥ 50 %."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

SMB_CONVERSION_REFERENCE = Decimal(15)
KA_SUCCESS_REFERENCE = Decimal(50)


@dataclass(frozen=True, slots=True)
class SegmentRate:
    """`rate` in percent with one decimal, None when nothing closed; `gap` = rate − reference
    in points; `meets_reference` is None without a rate."""

    won: int
    closed: int
    rate: Decimal | None
    reference: Decimal
    gap: Decimal | None
    meets_reference: bool | None


def segment_rate(*, won: int, closed: int, reference: Decimal) -> SegmentRate:
    """rate = won ÷ closed × 100 (closed = won + lost in the period), rounded half up to one
    decimal; it meets the reference when rate ≥ reference."""
    if won < 0 or closed < 0 or won > closed:
        raise ValueError("0 ≤ won ≤ closed")
    if closed == 0:
        return SegmentRate(won, closed, None, reference, None, None)
    rate = (Decimal(won) * 100 / Decimal(closed)).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return SegmentRate(won, closed, rate, reference, rate - reference, rate >= reference)
