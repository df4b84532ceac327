from decimal import Decimal

import pytest

from wuwei.methodology.closeness import ClosenessEntry, closeness_index
from wuwei.methodology.enums import RelationshipStatus

SP = RelationshipStatus.STRONG_POSITIVE
P = RelationshipStatus.POSITIVE
N = RelationshipStatus.NEUTRAL
NG = RelationshipStatus.NEGATIVE
SN = RelationshipStatus.STRONG_NEGATIVE


@pytest.mark.parametrize(
    ("entries", "index"),
    [
        ([], None),
        ([(3, SP)], "100.0"),
        ([(5, SN)], "0.0"),
        ([(1, N)], "50.0"),
        ([(2, P)], "75.0"),
        ([(4, NG)], "25.0"),
        # 50 + 25 * (5 - 2) / 6 = 62.5
        ([(5, P), (1, SN)], "62.5"),
        # 50 + 25 * 3 / 7 = 60.71…
        ([(3, P), (4, N)], "60.7"),
        # 50 + 25 * 1 / 20 = 51.25, half up
        ([(5, N), (5, N), (5, N), (4, N), (1, P)], "51.3"),
        # 50 - 25 * 1 / 20 = 48.75, half up
        ([(5, N), (5, N), (5, N), (4, N), (1, NG)], "48.8"),
        # 50 + 25 * (-2 + 1) / 3 = 41.66…
        ([(2, NG), (1, P)], "41.7"),
        # 50 + 25 * (8 - 2 - 2) / 7 = 64.28…
        ([(4, SP), (2, NG), (1, SN)], "64.3"),
    ],
)
def test_closeness_index(entries: list[tuple[int, RelationshipStatus]], index: str | None) -> None:
    result = closeness_index([ClosenessEntry(influence, status) for influence, status in entries])

    assert result == (None if index is None else Decimal(index))
    assert str(result) == str(index)


@pytest.mark.parametrize("influence", [0, 6, -1])
def test_influence_outside_1_to_5_is_rejected(influence: int) -> None:
    with pytest.raises(ValueError, match="between 1 and 5"):
        closeness_index([ClosenessEntry(influence, RelationshipStatus.POSITIVE)])
