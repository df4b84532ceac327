from decimal import Decimal

import pytest

from wuwei.methodology.config import GradingConfig, OpportunityGradeConfig, Thresholds
from wuwei.methodology.explain import Reason
from wuwei.methodology.grading import (
    AccountGradeLetter,
    AccountScores,
    OpportunityGrade,
    Track,
    grade_account,
    grade_opportunity,
    track_for_grade,
)

DEFAULT = GradingConfig()
RETAIL = GradingConfig(
    industry_thresholds={"retail": Thresholds(Decimal(70), Decimal(50), Decimal(30))}
)
UNEVEN_WEIGHTS = GradingConfig(revenue_weight=Decimal("0.405"), potential_weight=Decimal("0.295"))


@pytest.mark.parametrize(
    ("scores", "industry", "config", "score", "grade"),
    [
        ((100, 100, 100, 100), None, DEFAULT, "100.00", "A"),
        ((0, 0, 0, 0), None, DEFAULT, "0.00", "D"),
        ((80, 80, 80, 80), None, DEFAULT, "80.00", "A"),
        ((79, 80, 80, 80), None, DEFAULT, "79.60", "B"),
        ((60, 60, 60, 60), None, DEFAULT, "60.00", "B"),
        ((59, 60, 60, 60), None, DEFAULT, "59.60", "C"),
        ((40, 40, 40, 40), None, DEFAULT, "40.00", "C"),
        ((40, 40, 40, 39), None, DEFAULT, "39.85", "D"),
        ((90, 50, 70, 30), None, DEFAULT, "66.00", "B"),
        ((73, 81, 55, 97), None, DEFAULT, "76.30", "B"),
        ((1, 0, 0, 0), None, DEFAULT, "0.40", "D"),
        ((0, 0, 0, 1), None, DEFAULT, "0.15", "D"),
        # per-industry thresholds: 70 is A in retail, B elsewhere
        ((70, 70, 70, 70), "retail", RETAIL, "70.00", "A"),
        ((70, 70, 70, 70), "energy", RETAIL, "70.00", "B"),
        ((70, 70, 70, 70), None, RETAIL, "70.00", "B"),
        ((30, 30, 30, 30), "retail", RETAIL, "30.00", "C"),
        ((29, 30, 30, 30), "retail", RETAIL, "29.60", "D"),
        # 0.405 rounds half up to 0.41
        ((1, 0, 0, 0), None, UNEVEN_WEIGHTS, "0.41", "D"),
        # 80 * 0.405 + 79 * 0.295 + 80 * 0.15 + 80 * 0.15 = 79.705 → 79.71, below A
        ((80, 79, 80, 80), None, UNEVEN_WEIGHTS, "79.71", "B"),
    ],
)
def test_grade_account(
    scores: tuple[int, int, int, int],
    industry: str | None,
    config: GradingConfig,
    score: str,
    grade: str,
) -> None:
    result = grade_account(AccountScores(*scores), industry=industry, config=config)

    assert (str(result.score), result.grade) == (score, grade)


def test_grade_account_reports_thresholds_and_reasons() -> None:
    result = grade_account(AccountScores(70, 70, 70, 70), industry="retail", config=RETAIL)

    assert result.thresholds == Thresholds(Decimal(70), Decimal(50), Decimal(30))
    assert result.is_industry_thresholds is True
    assert result.reasons == (
        Reason("grade_dimension", {"dimension": "revenue", "score": 70, "weight": Decimal("0.40")}),
        Reason(
            "grade_dimension", {"dimension": "potential", "score": 70, "weight": Decimal("0.30")}
        ),
        Reason(
            "grade_dimension",
            {"dimension": "demonstration", "score": 70, "weight": Decimal("0.15")},
        ),
        Reason(
            "grade_dimension",
            {"dimension": "can_win_deliver", "score": 70, "weight": Decimal("0.15")},
        ),
        Reason(
            "grade_threshold_met",
            {
                "score": Decimal("70.00"),
                "grade": AccountGradeLetter.A,
                "threshold": Decimal(70),
                "industry": "retail",
            },
        ),
    )


def test_grade_d_explains_the_lowest_threshold() -> None:
    result = grade_account(AccountScores(10, 10, 10, 10), industry=None, config=DEFAULT)

    assert result.is_industry_thresholds is False
    assert result.reasons[-1] == Reason(
        "grade_below_thresholds",
        {"score": Decimal("10.00"), "grade": "D", "threshold": Decimal(40), "industry": None},
    )


@pytest.mark.parametrize(
    "scores",
    [(101, 0, 0, 0), (-1, 0, 0, 0), (0, 101, 0, 0), (0, 0, -5, 0), (0, 0, 0, 1000)],
)
def test_grade_account_rejects_scores_outside_0_to_100(
    scores: tuple[int, int, int, int],
) -> None:
    with pytest.raises(ValueError, match="between 0 and 100"):
        grade_account(AccountScores(*scores), industry=None, config=DEFAULT)


def test_grade_account_rejects_weights_not_summing_to_1() -> None:
    config = GradingConfig(revenue_weight=Decimal("0.50"))

    with pytest.raises(ValueError, match="sum to 1"):
        grade_account(AccountScores(50, 50, 50, 50), industry=None, config=config)


@pytest.mark.parametrize(
    ("amount", "config", "grade"),
    [
        ("5000000", OpportunityGradeConfig(), "A"),
        ("80000000", OpportunityGradeConfig(), "A"),
        ("4999999.99", OpportunityGradeConfig(), "B"),
        ("1000000", OpportunityGradeConfig(), "B"),
        ("999999.99", OpportunityGradeConfig(), "C"),
        ("200000", OpportunityGradeConfig(), "C"),
        ("199999.99", OpportunityGradeConfig(), "D"),
        ("0", OpportunityGradeConfig(), "D"),
        ("3000000", OpportunityGradeConfig(a_min=Decimal(3_000_000)), "A"),
        ("150000", OpportunityGradeConfig(c_min=Decimal(100_000)), "C"),
    ],
)
def test_grade_opportunity(amount: str, config: OpportunityGradeConfig, grade: str) -> None:
    assert grade_opportunity(Decimal(amount), config) == grade


def test_grade_opportunity_rejects_negative_amounts() -> None:
    with pytest.raises(ValueError, match="negative"):
        grade_opportunity(Decimal("-0.01"), OpportunityGradeConfig())


@pytest.mark.parametrize(
    ("grade", "is_partner_led", "track"),
    [
        (OpportunityGrade.A, False, Track.BIG_PROJECT),
        (OpportunityGrade.B, False, Track.BIG_PROJECT),
        (OpportunityGrade.C, False, Track.FAST_TRACK),
        (OpportunityGrade.D, False, Track.FAST_TRACK),
        (OpportunityGrade.E, False, Track.PARTNER),
        (OpportunityGrade.A, True, Track.PARTNER),
        (OpportunityGrade.D, True, Track.PARTNER),
    ],
)
def test_track_for_grade(grade: OpportunityGrade, is_partner_led: bool, track: Track) -> None:
    assert track_for_grade(grade, is_partner_led=is_partner_led) is track
