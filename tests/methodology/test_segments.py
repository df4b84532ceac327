"""Segment targets (METHOD.md §7.2): won ÷ closed against the reference."""

from decimal import Decimal

import pytest

from wuwei.methodology.segments import KA_SUCCESS_REFERENCE, SMB_CONVERSION_REFERENCE, segment_rate


@pytest.mark.parametrize(
    ("won", "closed", "reference", "rate", "gap", "meets"),
    [
        (0, 0, SMB_CONVERSION_REFERENCE, None, None, None),
        (3, 20, SMB_CONVERSION_REFERENCE, Decimal("15.0"), Decimal("0.0"), True),
        (2, 15, SMB_CONVERSION_REFERENCE, Decimal("13.3"), Decimal("-1.7"), False),
        (1, 2, KA_SUCCESS_REFERENCE, Decimal("50.0"), Decimal("0.0"), True),
        (2, 3, KA_SUCCESS_REFERENCE, Decimal("66.7"), Decimal("16.7"), True),
        (0, 4, KA_SUCCESS_REFERENCE, Decimal("0.0"), Decimal("-50.0"), False),
    ],
)
def test_segment_rate(won, closed, reference, rate, gap, meets):
    result = segment_rate(won=won, closed=closed, reference=reference)
    assert (result.rate, result.gap, result.meets_reference) == (rate, gap, meets)
    assert (result.won, result.closed, result.reference) == (won, closed, reference)


@pytest.mark.parametrize(("won", "closed"), [(-1, 2), (3, 2), (0, -1)])
def test_segment_rate_refuses_impossible_counts(won, closed):
    with pytest.raises(ValueError):
        segment_rate(won=won, closed=closed, reference=Decimal(15))
