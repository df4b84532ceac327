"""Grading an account (§2.2) and placing it on the nine-box (§2.3): facts → methodology →
saved as a new grading row (grade history) and the account's current grade."""

from collections.abc import Mapping

from django.db import transaction
from django.utils.translation import gettext as _

from wuwei.accounts.models import Account, AccountGrading
from wuwei.accounts.services.archive import (
    apply_strategy,
    lock_account,
    require_creator,
    save_derived,
)
from wuwei.core import services as core_services
from wuwei.core.config import method_config
from wuwei.core.errors import ValidationFailed
from wuwei.methodology.grading import AccountScores, grade_account
from wuwei.methodology.ninebox import classify_ninebox
from wuwei.org.models import User

DIMENSIONS = ("revenue", "potential", "demonstration", "can_win_deliver")


def _check_scores(scores: AccountScores) -> None:
    errors = [
        (name, _("must be an integer between 0 and 100"))
        for name in DIMENSIONS
        if not isinstance(getattr(scores, name), int) or not 0 <= getattr(scores, name) <= 100
    ]
    if errors:
        raise ValidationFailed(_("Each dimension is scored 0-100."), errors)


@transaction.atomic
def account_grade(
    *,
    user: User,
    account: Account,
    scores: AccountScores,
    justifications: Mapping[str, str] | None = None,
) -> AccountGrading:
    """Grade with the configured weights and the account industry's thresholds, classify on
    the nine-box from potential and revenue contribution, and re-suggest the strategy."""
    require_creator(user)
    _check_scores(scores)
    config = method_config()
    try:
        result = grade_account(scores, industry=account.industry, config=config.grading)
    except ValueError as exc:  # misconfigured weights: refuse rather than grade wrongly
        raise ValidationFailed(str(exc), [("weights", str(exc))]) from None
    box = classify_ninebox(
        potential=scores.potential, contribution=scores.revenue, config=config.ninebox
    )
    locked = lock_account(account)
    locked.grade = str(result.grade)
    locked.account_class = str(box.account_class)
    apply_strategy(locked)
    why = justifications or {}
    grading = AccountGrading(
        account=locked,
        revenue=scores.revenue,
        potential=scores.potential,
        demonstration=scores.demonstration,
        can_win_deliver=scores.can_win_deliver,
        score=result.score,
        grade=str(result.grade),
        potential_level=str(box.potential_level),
        contribution_level=str(box.contribution_level),
        account_class=str(box.account_class),
        suggested_strategy=locked.strategy_suggested,
        graded_by=user,
        **{f"{name}_justification": (why.get(name) or "").strip()[:500] for name in DIMENSIONS},
    )
    core_services.save_new(grading, user=user)
    locked.current_grading = grading
    save_derived(locked, user=user, reason="grading")
    return grading
