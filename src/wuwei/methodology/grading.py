"""Account grading (§2.2) and opportunity grade and track (§4.2)."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from wuwei.methodology.config import GradingConfig, OpportunityGradeConfig, Thresholds
from wuwei.methodology.enums import AccountGradeLetter, OpportunityGrade, Track
from wuwei.methodology.explain import Reason

__all__ = [
    "AccountGrade",
    "AccountGradeLetter",
    "AccountScores",
    "OpportunityGrade",
    "Track",
    "grade_account",
    "grade_opportunity",
    "track_for_grade",
]

_CENT = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class AccountScores:
    """The four grading dimensions, each an integer 0-100 (§2.2)."""

    revenue: int
    potential: int
    demonstration: int
    can_win_deliver: int


@dataclass(frozen=True, slots=True)
class AccountGrade:
    """Composite score (2 places), grade, the thresholds used and why."""

    score: Decimal
    grade: AccountGradeLetter
    thresholds: Thresholds
    is_industry_thresholds: bool
    reasons: tuple[Reason, ...]


def _check_score(name: str, value: int) -> None:
    if isinstance(value, bool) or not 0 <= value <= 100:
        raise ValueError(f"{name} must be an integer between 0 and 100, got {value!r}")


def _letter_for(score: Decimal, thresholds: Thresholds) -> AccountGradeLetter:
    if score >= thresholds.a:
        return AccountGradeLetter.A
    if score >= thresholds.b:
        return AccountGradeLetter.B
    if score >= thresholds.c:
        return AccountGradeLetter.C
    return AccountGradeLetter.D


def grade_account(
    scores: AccountScores, *, industry: str | None, config: GradingConfig
) -> AccountGrade:
    """Composite score `Σ weight * dimension_score` and grade by thresholds (METHOD.md §2.2).

    The score is rounded to 2 places (half up) and the rounded score is compared with the
    thresholds of `industry` when configured, else the default ones: `A ≥ a`, `B ≥ b`,
    `C ≥ c`, else D. Raises ValueError for a dimension outside 0-100 or weights not summing
    to 1.
    """
    weighted = (
        ("revenue", scores.revenue, config.revenue_weight),
        ("potential", scores.potential, config.potential_weight),
        ("demonstration", scores.demonstration, config.demonstration_weight),
        ("can_win_deliver", scores.can_win_deliver, config.can_win_deliver_weight),
    )
    for name, value, _weight in weighted:
        _check_score(name, value)
    if config.weight_sum != 1:
        raise ValueError(f"grading weights must sum to 1, got {config.weight_sum}")
    score = sum((weight * value for _name, value, weight in weighted), Decimal(0))
    score = score.quantize(_CENT, rounding=ROUND_HALF_UP)
    thresholds = config.thresholds_for(industry)
    is_industry = industry is not None and industry in config.industry_thresholds
    letter = _letter_for(score, thresholds)
    reasons = (
        *(
            Reason("grade_dimension", {"dimension": name, "score": value, "weight": weight})
            for name, value, weight in weighted
        ),
        _threshold_reason(score, letter, thresholds, industry if is_industry else None),
    )
    return AccountGrade(
        score=score,
        grade=letter,
        thresholds=thresholds,
        is_industry_thresholds=is_industry,
        reasons=reasons,
    )


def _threshold_reason(
    score: Decimal, letter: AccountGradeLetter, thresholds: Thresholds, industry: str | None
) -> Reason:
    minimum = {
        AccountGradeLetter.A: thresholds.a,
        AccountGradeLetter.B: thresholds.b,
        AccountGradeLetter.C: thresholds.c,
    }.get(letter)
    if minimum is None:
        return Reason(
            "grade_below_thresholds",
            {"score": score, "grade": letter, "threshold": thresholds.c, "industry": industry},
        )
    return Reason(
        "grade_threshold_met",
        {"score": score, "grade": letter, "threshold": minimum, "industry": industry},
    )


def grade_opportunity(amount: Decimal, config: OpportunityGradeConfig) -> OpportunityGrade:
    """Grade by amount (METHOD.md §4.2): `A ≥ a_min`, `B ≥ b_min`, `C ≥ c_min`, else D.

    E (partner-led) is not an amount grade; see `track_for_grade`. Negative amounts raise
    ValueError.
    """
    if amount < 0:
        raise ValueError(f"amount must not be negative, got {amount}")
    if amount >= config.a_min:
        return OpportunityGrade.A
    if amount >= config.b_min:
        return OpportunityGrade.B
    if amount >= config.c_min:
        return OpportunityGrade.C
    return OpportunityGrade.D


def track_for_grade(grade: OpportunityGrade, *, is_partner_led: bool) -> Track:
    """Process track (METHOD.md §4.2): AB → big_project, CD → fast_track, E → partner.

    A partner-led pursuit is the partner track (grade E) whatever its amount grade.
    """
    if is_partner_led or grade is OpportunityGrade.E:
        return Track.PARTNER
    if grade in (OpportunityGrade.A, OpportunityGrade.B):
        return Track.BIG_PROJECT
    return Track.FAST_TRACK
