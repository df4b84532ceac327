"""Forecast adjustments (METHOD.md §8): a manager's own figures for a team and a period, with
the comment behind them, kept beside the computed forecast. Only a manager of that team (or of
a team above it) may adjust; every change is versioned and audited (BaseModel's history)."""

from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from wuwei.core.errors import Conflict, NotAllowed, ValidationFailed
from wuwei.core.services import archive, save_new, update_fields
from wuwei.core.visibility import scope_for
from wuwei.insights.models import ForecastAdjustment
from wuwei.methodology.forecast import parse_period
from wuwei.org.models import Team

FIGURES = ("weighted", "commit", "best_case")


def may_adjust(user: Any, team: Team) -> bool:
    """A manager whose team subtree holds the team: the team's own manager or one above."""
    return may_adjust_path(user, team.path)


def may_adjust_path(user: Any, path: str) -> bool:
    """`may_adjust` of the team at `path` (a grid's rows carry paths, not teams)."""
    mine = scope_for(user).team_path
    return mine is not None and mine != "" and path.startswith(mine)


def _require(user: Any, team: Team) -> None:
    if not may_adjust(user, team):
        raise NotAllowed(_("Only a manager of this team may adjust its forecast."))


def _check(period: str, figures: dict[str, Decimal | None], comment: str) -> str:
    errors: list[tuple[str, str]] = []
    try:
        label = parse_period(period).label
    except ValueError:
        label = ""
        errors.append(("period", _("a month like 2027-03 or a quarter like 2027-Q1")))
    if all(figures.get(name) is None for name in FIGURES):
        errors.append(("weighted", _("give at least one figure")))
    for name in FIGURES:
        value = figures.get(name)
        if value is not None and value < 0:
            errors.append((name, _("must be ≥ 0")))
    if not comment.strip():
        errors.append(("comment", _("say why the figure differs from the computed one")))
    if errors:
        raise ValidationFailed(_("Please correct the errors below."), errors)
    return label


@transaction.atomic
def forecast_adjustment_create(
    *,
    user: Any,
    team: Team,
    period: str,
    comment: str,
    weighted: Decimal | None = None,
    commit: Decimal | None = None,
    best_case: Decimal | None = None,
) -> ForecastAdjustment:
    _require(user, team)
    figures = {"weighted": weighted, "commit": commit, "best_case": best_case}
    label = _check(period, figures, comment)
    if ForecastAdjustment.objects.filter(
        team=team, period=label, archived_at__isnull=True
    ).exists():
        raise Conflict(
            _("This team's forecast for %(period)s is already adjusted; change that adjustment.")
            % {"period": label},
            [("period", _("already adjusted"))],
        )
    adjustment = ForecastAdjustment(team=team, period=label, comment=comment.strip(), **figures)
    try:
        with transaction.atomic():
            return save_new(adjustment, user=user)
    except IntegrityError:  # a concurrent adjustment of the same team and period
        raise Conflict(
            _("This team's forecast for %(period)s is already adjusted; change that adjustment.")
            % {"period": label},
            [("period", _("already adjusted"))],
        ) from None


def forecast_adjustment_update(
    *, user: Any, adjustment: ForecastAdjustment, changes: dict[str, Any], expected_version: int
) -> ForecastAdjustment:
    _require(user, adjustment.team)
    allowed = {k: v for k, v in changes.items() if k in (*FIGURES, "comment")}
    figures = {name: allowed.get(name, getattr(adjustment, name)) for name in FIGURES}
    comment = allowed.get("comment", adjustment.comment)
    if comment is None:
        comment = ""
    _check(adjustment.period, figures, comment)
    if "comment" in allowed:
        allowed["comment"] = comment.strip()
    return update_fields(adjustment, user=user, changes=allowed, expected_version=expected_version)


def forecast_adjustment_archive(
    *, user: Any, adjustment: ForecastAdjustment, expected_version: int | None = None
) -> ForecastAdjustment:
    _require(user, adjustment.team)
    if expected_version is not None and adjustment.version != expected_version:
        raise Conflict(
            _(
                "Someone else changed this record (version %(current)s, you sent %(expected)s). "
                "Reload and try again."
            )
            % {"current": adjustment.version, "expected": expected_version},
            [("version", _("stale"))],
        )
    return archive(adjustment, user=user)
