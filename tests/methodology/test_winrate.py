from decimal import Decimal

import pytest

from wuwei.methodology.config import WinRateConfig
from wuwei.methodology.explain import Reason
from wuwei.methodology.winrate import (
    CompetitorScore,
    CompetitorStrength,
    PartyScore,
    calculate_win_rate,
    win_rate_change_event,
)

DEFAULT = WinRateConfig()


def competitors(*scores: tuple[int, int]) -> list[CompetitorScore]:
    return [
        CompetitorScore(competitor_id=index, fit=fit, closeness=closeness)
        for index, (fit, closeness) in enumerate(scores, start=1)
    ]


@pytest.mark.parametrize(
    ("event", "coach", "us", "others", "config", "win_rate", "rank"),
    [
        # 1. no confirmed compelling event: not rated, whatever the scores
        (False, True, (8, 7), [(5, 0)], DEFAULT, None, None),
        # no competitors: strength(us) > 0 gives 1.0, discounted without a coach
        (True, True, (6, 4), [], DEFAULT, 100, 1),
        (True, True, (10, 10), [], DEFAULT, 100, 1),
        (True, False, (6, 4), [], DEFAULT, 70, 1),
        # one competitor: 15 / (15 + 5) = 75 %; without coach 52.5 rounds half up to 53
        (True, True, (8, 7), [(3, 2)], DEFAULT, 75, 1),
        (True, False, (8, 7), [(3, 2)], DEFAULT, 53, 1),
        # two competitors, us second: 10 / (10 + 12 + 8) = 33.3 %; x 0.7 = 23.3 %
        (True, True, (5, 5), [(6, 6), (4, 4)], DEFAULT, 33, 2),
        (True, False, (5, 5), [(6, 6), (4, 4)], DEFAULT, 23, 2),
        # 4 parties, us third: only the 2 strongest competitors count: 10 / 33 = 30.3 %
        (True, True, (5, 5), [(6, 6), (6, 5), (5, 4)], DEFAULT, 30, 3),
        # 4 parties, tie for third goes against us: rank 4 → 0
        (True, True, (5, 5), [(6, 6), (6, 5), (5, 5)], DEFAULT, 0, 4),
        # 5 parties, us fourth → 0
        (True, True, (4, 4), [(8, 7), (7, 7), (5, 4), (2, 1)], DEFAULT, 0, 4),
        # 5 parties, us second: 14 / (14 + 15 + 9) = 36.8 %
        (True, True, (7, 7), [(8, 7), (5, 4), (4, 4), (2, 1)], DEFAULT, 37, 2),
        # tie at rank 3 keeps us in the top 3: 10 / (10 + 12 + 10) = 31.25 %
        (True, True, (5, 5), [(6, 6), (5, 5), (3, 2)], DEFAULT, 31, 3),
        # tie at rank 1 puts us second: 10 / 20 = 50 %; x 0.7 = 35 %
        (True, True, (5, 5), [(4, 6)], DEFAULT, 50, 2),
        (True, False, (5, 5), [(4, 6)], DEFAULT, 35, 2),
        # all strengths 0 → 0 (rank 3 of 3)
        (True, True, (0, 0), [(0, 0), (0, 0)], DEFAULT, 0, 3),
        (True, True, (0, 0), [], DEFAULT, 0, 1),
        # all zero with 4 parties: ranked last → 0 by the top-3 rule
        (True, True, (0, 0), [(0, 0), (0, 0), (0, 0)], DEFAULT, 0, 4),
        # we score 0, the competitor does not: 0 / 5 = 0
        (True, True, (0, 0), [(3, 2)], DEFAULT, 0, 2),
        # raw 1 / 8 = 12.5 % rounds half up to 13
        (True, True, (1, 0), [(2, 2), (2, 1)], DEFAULT, 13, 3),
        # raw 5 / 20 = 25 %; x 0.7 = 17.5 % rounds half up to 18
        (True, False, (2, 3), [(5, 5), (3, 2)], DEFAULT, 18, 3),
        # weights changed: fit counts double: 18 vs 15 → 18 / 33 = 54.5 % (default: 45 %)
        (True, True, (8, 2), [(3, 9)], WinRateConfig(fit_weight=Decimal(2)), 55, 1),
        (True, True, (8, 2), [(3, 9)], DEFAULT, 45, 2),
        # top_n changed: third place is out of a top 2, fourth place is inside a top 4
        (True, True, (5, 5), [(6, 6), (6, 5), (5, 4)], WinRateConfig(top_n=2), 0, 3),
        (True, True, (5, 5), [(6, 6), (6, 5), (5, 5)], WinRateConfig(top_n=4), 30, 4),
        # three competitors in the formula: 14 / (14 + 15 + 9 + 8) = 30.4 %
        (
            True,
            True,
            (7, 7),
            [(8, 7), (5, 4), (4, 4), (2, 1)],
            WinRateConfig(competitors_in_formula=3),
            30,
            2,
        ),
        # coach discount changed to 0.5: 75 % x 0.5 = 37.5 % → 38
        (
            True,
            False,
            (8, 7),
            [(3, 2)],
            WinRateConfig(no_inside_source_factor=Decimal("0.5")),
            38,
            1,
        ),
    ],
)
def test_calculate_win_rate(
    event: bool,
    coach: bool,
    us: tuple[int, int],
    others: list[tuple[int, int]],
    config: WinRateConfig,
    win_rate: int | None,
    rank: int | None,
) -> None:
    result = calculate_win_rate(
        has_confirmed_compelling_event=event,
        has_inside_source=coach,
        us=PartyScore(fit=us[0], closeness=us[1]),
        competitors=competitors(*others),
        config=config,
    )

    assert (result.win_rate, result.rank) == (win_rate, rank)


@pytest.mark.parametrize(
    ("event", "coach", "us", "others", "codes"),
    [
        (False, True, (8, 7), [(3, 2)], ("no_compelling_event",)),
        (True, True, (4, 4), [(8, 7), (7, 7), (5, 4)], ("strength", "not_in_top_n")),
        (True, True, (6, 4), [], ("strength", "no_competitors", "raw_share", "win_rate_rounded")),
        (
            True,
            True,
            (0, 0),
            [(0, 0)],
            ("strength", "compared_with_competitor", "all_strengths_zero"),
        ),
        (
            True,
            False,
            (5, 5),
            [(6, 6), (4, 4)],
            (
                "strength",
                "compared_with_competitor",
                "compared_with_competitor",
                "raw_share",
                "no_inside_source",
                "win_rate_rounded",
            ),
        ),
    ],
)
def test_win_rate_reason_codes(
    event: bool,
    coach: bool,
    us: tuple[int, int],
    others: list[tuple[int, int]],
    codes: tuple[str, ...],
) -> None:
    result = calculate_win_rate(
        has_confirmed_compelling_event=event,
        has_inside_source=coach,
        us=PartyScore(fit=us[0], closeness=us[1]),
        competitors=competitors(*others),
        config=DEFAULT,
    )

    assert tuple(reason.code for reason in result.reasons) == codes


def test_win_rate_explains_every_number() -> None:
    result = calculate_win_rate(
        has_confirmed_compelling_event=True,
        has_inside_source=False,
        us=PartyScore(fit=8, closeness=7),
        competitors=[CompetitorScore(competitor_id=41, fit=3, closeness=2)],
        config=DEFAULT,
    )

    assert result.strength == Decimal(15)
    assert result.competitors == (CompetitorStrength(competitor_id=41, strength=Decimal(5)),)
    assert result.reasons == (
        Reason("strength", {"strength": Decimal(15), "rank": 1, "parties": 2}),
        Reason(
            "compared_with_competitor",
            {"position": 1, "competitor_id": 41, "strength": Decimal(5)},
        ),
        Reason(
            "raw_share",
            {"strength": Decimal(15), "total": Decimal(20), "raw": Decimal("0.7500")},
        ),
        Reason("no_inside_source", {"factor": Decimal("0.7")}),
        Reason("win_rate_rounded", {"percent": Decimal("52.5000"), "win_rate": 53}),
    )


def test_competitors_are_listed_strongest_first() -> None:
    result = calculate_win_rate(
        has_confirmed_compelling_event=True,
        has_inside_source=True,
        us=PartyScore(fit=5, closeness=5),
        competitors=[
            CompetitorScore(competitor_id=7, fit=1, closeness=1),
            CompetitorScore(competitor_id=8, fit=9, closeness=9),
            CompetitorScore(competitor_id=9, fit=5, closeness=5),
        ],
        config=DEFAULT,
    )

    assert [c.competitor_id for c in result.competitors] == [8, 9, 7]


@pytest.mark.parametrize(
    ("us", "others"),
    [
        ((11, 0), []),
        ((0, -1), []),
        ((5, 5), [(5, 11)]),
    ],
)
def test_answers_outside_0_to_10_are_rejected(
    us: tuple[int, int], others: list[tuple[int, int]]
) -> None:
    with pytest.raises(ValueError, match="between 0 and 10"):
        calculate_win_rate(
            has_confirmed_compelling_event=True,
            has_inside_source=True,
            us=PartyScore(fit=us[0], closeness=us[1]),
            competitors=competitors(*others),
            config=DEFAULT,
        )


def test_a_competitor_scored_twice_is_rejected() -> None:
    with pytest.raises(ValueError, match="only once"):
        calculate_win_rate(
            has_confirmed_compelling_event=True,
            has_inside_source=True,
            us=PartyScore(fit=5, closeness=5),
            competitors=[CompetitorScore(3, 5, 5), CompetitorScore(3, 6, 6)],
            config=DEFAULT,
        )


@pytest.mark.parametrize(
    ("previous", "current", "config", "expected"),
    [
        (50, 60, DEFAULT, True),
        (60, 50, DEFAULT, True),
        (50, 59, DEFAULT, False),
        (50, 41, DEFAULT, False),
        (0, 10, DEFAULT, True),
        (100, 0, DEFAULT, True),
        (50, 50, DEFAULT, False),
        (None, 50, DEFAULT, False),
        (50, None, DEFAULT, False),
        (None, None, DEFAULT, False),
        (50, 55, WinRateConfig(change_event_points=5), True),
        (50, 54, WinRateConfig(change_event_points=5), False),
    ],
)
def test_win_rate_change_event(
    previous: int | None, current: int | None, config: WinRateConfig, expected: bool
) -> None:
    assert win_rate_change_event(previous, current, config=config) is expected
