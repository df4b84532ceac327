from decimal import Decimal

import pytest

from wuwei.methodology.evaluation import (
    EnteredScores,
    EvaluationConfig,
    EvaluationFacts,
    evaluate_core_functions,
)


@pytest.mark.parametrize(
    ("facts", "entered", "expected"),
    [
        # closeness known: relationship computed (rounded half up), entered value ignored
        ((Decimal("50"), Decimal("64.5"), 0), (10, 70, None), (65, 70, 0, True, False, "14.5")),
        # no monitoring record: the entered score stands
        ((None, None, 0), (40, 70, 30), (40, 70, 30, False, False, None)),
        # opportunities created in the year: 25 points each, capped at 100
        ((None, Decimal("60"), 2), (None, 50, 5), (60, 50, 50, True, True, None)),
        ((None, Decimal("60"), 7), (None, 50, None), (60, 50, 100, True, True, None)),
    ],
)
def test_evaluate_core_functions(facts, entered, expected):
    result = evaluate_core_functions(EvaluationFacts(*facts), EnteredScores(*entered))
    change = None if result.closeness_change is None else str(result.closeness_change)
    assert (
        result.relationship,
        result.solution,
        result.incubation,
        result.relationship_is_computed,
        result.incubation_is_computed,
        change,
    ) == expected


@pytest.mark.parametrize(
    ("facts", "entered", "message"),
    [
        ((None, None, 0), (None, 50, None), "relationship"),
        ((None, Decimal(50), 0), (None, None, None), "solution"),
        ((None, Decimal(50), 0), (None, 101, None), "between 0 and 100"),
    ],
)
def test_missing_or_bad_scores_raise(facts, entered, message):
    with pytest.raises(ValueError, match=message):
        evaluate_core_functions(EvaluationFacts(*facts), EnteredScores(*entered))


def test_points_per_opportunity_is_configuration():
    result = evaluate_core_functions(
        EvaluationFacts(None, Decimal(50), 3),
        EnteredScores(None, 50, None),
        EvaluationConfig(points_per_opportunity=10),
    )
    assert result.incubation == 30
