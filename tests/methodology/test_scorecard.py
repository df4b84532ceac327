"""The scorecard's pure calculations (METHOD.md §8), one table per function."""

from decimal import Decimal

import pytest

from wuwei.methodology.scorecard import (
    CloseFacts,
    CoreFunctionFacts,
    Movement,
    RadarFacts,
    ScorecardConfig,
    collection_rate,
    core_functions,
    nine_box_movement,
    percent,
    presales_return,
    radar,
    use_summary,
    uses_at_close,
    weighted_forecast,
)

D = Decimal


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [
        (1, 3, D("33.3")),
        (2, 3, D("66.7")),
        (1, 8, D("12.5")),
        (0, 5, D("0.0")),
        (5, 5, D("100.0")),
        (0, 0, None),  # nothing counted: no data, never 0
    ],
)
def test_percent(part, whole, expected):
    assert percent(part, whole) == expected


def test_percent_refuses_negative_counts():
    with pytest.raises(ValueError):
        percent(-1, 3)


@pytest.mark.parametrize(
    ("won", "cost", "expected"),
    [
        (D(1_000_000), D(30_000), D("33.33")),  # spent exactly the AB budget of 3 %
        (D(0), D(10_000), D("0.00")),
        (D(500_000), D(0), None),  # nothing spent: no return
    ],
)
def test_presales_return(won, cost, expected):
    assert presales_return(won, cost) == expected


@pytest.mark.parametrize(
    ("collected", "contracted", "expected"),
    [
        (D(300_000), D(1_000_000), D("30.0")),
        (D(1_000_000), D(1_000_000), D("100.0")),
        (D(0), D(800_000), D("0.0")),
        (D(100), D(0), None),
    ],
)
def test_collection_rate(collected, contracted, expected):
    assert collection_rate(collected, contracted) == expected


@pytest.mark.parametrize(
    ("deals", "expected"),
    [
        ([(D(1_000_000), 50), (D(200_000), 25)], (D("550000.00"), 0)),
        ([(D(1_000_000), None), (D(300_000), 0)], (D("0.00"), 1)),  # unrated apart
        ([(D("333.33"), 33)], (D("110.00"), 0)),
        ([], (D("0.00"), 0)),
    ],
)
def test_weighted_forecast(deals, expected):
    assert weighted_forecast(deals) == expected


@pytest.mark.parametrize(
    ("pairs", "expected"),
    [
        (
            [("C", "A", 1), ("B", "B", 4), ("A", "D", 2)],
            Movement(improved=1, declined=2, held=4, new=0),
        ),
        (
            [(None, "C", 3), ("D", "C", 1), ("C", None, 5)],
            Movement(improved=1, declined=0, held=0, new=3),
        ),
        ([], Movement(0, 0, 0, 0)),
    ],
)
def test_nine_box_movement(pairs, expected):
    assert nine_box_movement(pairs) == expected


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        (
            CoreFunctionFacts(
                closeness=[(D("50.0"), D("62.5")), (D("70.0"), D("65.0")), (None, D("80"))],
                deciders=4,
                deciders_positive=3,
                ka_accounts=3,
                ka_ahead=1,
                incubated_count=2,
                incubated_amount=D("1250000.5"),
            ),
            (D("3.8"), 2, D("75.0"), D("33.3"), 2, D("1250000.50")),
        ),
        (
            CoreFunctionFacts(
                closeness=[],
                deciders=0,
                deciders_positive=0,
                ka_accounts=0,
                ka_ahead=0,
                incubated_count=0,
                incubated_amount=D(0),
            ),
            (None, 0, None, None, 0, D("0.00")),
        ),
    ],
)
def test_core_functions(facts, expected):
    result = core_functions(facts)
    assert (
        result.closeness_change,
        result.accounts_measured,
        result.decider_coverage,
        result.solution_ahead,
        result.incubated_count,
        result.incubated_amount,
    ) == expected


def test_core_functions_refuse_a_part_above_its_whole():
    with pytest.raises(ValueError):
        core_functions(CoreFunctionFacts([], 1, 2, 0, 0, 0, D(0)))


POSITIVE_DECIDERS = (("approver", "positive"), ("decision_maker", "strong_positive"))
AHEAD_TWICE = {
    "solution": (5, (3, 4)),
    "relationships": (4, (3, None)),
    "hardware": (3, (3, 2)),  # level with one: not ahead
    "software": (None, (2, 2)),
}


def _close(**changes):
    base = {
        "has_inside_source": True,
        "has_connected_contact": False,
        "deciders": POSITIVE_DECIDERS,
        "ratings": AHEAD_TWICE,
        "blocking_overridden": False,
        "high_open": False,
    }
    return CloseFacts(**{**base, **changes})


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        (_close(), (True, True, True, 2)),
        # a connection instead of an inside source counts the same
        (_close(has_inside_source=False, has_connected_contact=True), (True, True, True, 2)),
        # neither reached: connections not used, whatever the deciders
        (_close(has_inside_source=False), (False, True, True, 2)),
        # the approver is neutral: not used
        (
            _close(deciders=(("approver", "neutral"), ("decision_maker", "positive"))),
            (False, True, True, 2),
        ),
        # no approver mapped at all
        (_close(deciders=(("decision_maker", "positive"),)), (False, True, True, 2)),
        # ahead on one dimension only
        (_close(ratings={"solution": (5, (4, 4)), "hardware": (2, (3,))}), (True, False, True, 1)),
        # a dimension nobody else was rated on does not count as ahead
        (_close(ratings={"solution": (5, ()), "software": (4, (None,))}), (True, False, True, 0)),
        (_close(blocking_overridden=True), (True, True, False, 2)),
        (_close(high_open=True), (True, True, False, 2)),
    ],
)
def test_uses_at_close(facts, expected):
    uses = uses_at_close(facts)
    assert (uses.connections, uses.solution, uses.rules, uses.dimensions_ahead) == expected


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        # 3 of 4 won deals used it; with it 3/4 won, without 1/4: lift 50 points
        ((3, 1, 1, 3), (4, 3, D("75.0"), D("75.0"), D("25.0"), D("50.0"))),
        # nothing closed without it: no lift
        ((2, 0, 1, 0), (2, 2, D("100.0"), D("66.7"), None, None)),
        ((0, 0, 0, 0), (0, 0, None, None, None, None)),
    ],
)
def test_use_summary(counts, expected):
    won_using, won_without, lost_using, lost_without = counts
    result = use_summary(
        won_using=won_using,
        won_without=won_without,
        lost_using=lost_using,
        lost_without=lost_without,
    )
    assert (
        result.won,
        result.won_using,
        result.share_of_won,
        result.win_rate_using,
        result.win_rate_without,
        result.lift,
    ) == expected


def _radar_facts(**changes):
    base = {
        "classified": 4,
        "declined": 1,
        "won": 1,
        "closed": 4,
        "deciders": 5,
        "deciders_connected": 2,
        "won_amount": D(1_000_000),
        "presales_cost": D(60_000),
        "closed_recorded": 4,
        "closed_rules_used": 3,
    }
    return RadarFacts(**{**base, **changes})


@pytest.mark.parametrize(
    ("facts", "config", "expected"),
    [
        (
            _radar_facts(),
            None,
            [D("75.0"), D("25.0"), D("40.0"), D("50.1"), D("75.0")],  # return 16.67 of 33.3
        ),
        # a return above the reference is capped at 100
        (
            _radar_facts(presales_cost=D(10_000)),
            None,
            [D("75.0"), D("25.0"), D("40.0"), D(100), D("75.0")],
        ),
        # 律 counts only the closes whose uses were recorded (1 of 2 kept the rules)
        (
            _radar_facts(closed_recorded=2, closed_rules_used=1),
            None,
            [D("75.0"), D("25.0"), D("40.0"), D("50.1"), D("50.0")],
        ),
        # the reference is configuration
        (
            _radar_facts(),
            ScorecardConfig(return_reference=D("20")),
            [D("75.0"), D("25.0"), D("40.0"), D("83.4"), D("75.0")],
        ),
        (
            _radar_facts(
                classified=0,
                declined=0,
                won=0,
                closed=0,
                deciders=0,
                deciders_connected=0,
                won_amount=D(0),
                presales_cost=D(0),
                closed_recorded=0,
                closed_rules_used=0,
            ),
            None,
            [None, None, None, None, None],
        ),
    ],
)
def test_radar(facts, config, expected):
    assert radar(facts, config).as_list() == expected
