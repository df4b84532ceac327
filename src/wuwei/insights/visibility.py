"""Who sees forecast adjustments: executives and administrators all of them, a manager those
of their team subtree; reps and partner users none (an adjustment is a manager's judgement
about a team, not a deal the rep owns)."""

from django.db.models import Q

from wuwei.core.visibility import Scope, internal, register
from wuwei.insights.models import ForecastAdjustment


def forecast_adjustment_rule(scope: Scope) -> Q | None:
    if scope.sees_everything:
        return None
    if scope.team_path:
        return Q(team__path__startswith=scope.team_path)
    return Q(pk__in=[])


def register_rules() -> None:
    """Called from `InsightsConfig.ready()`."""
    internal(ForecastAdjustment)
    register(ForecastAdjustment)(forecast_adjustment_rule)
