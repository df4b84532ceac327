"""Who sees coaching records (METHOD.md §1, §4.10).

Reviews and their action items follow their deal: whoever sees the deal sees how it is being
coached (the rep reads the manager's comments and actions). They are internal: partner users
never see them. An action's owner also sees it, so one's own to-do list never loses rows.
"""

from django.db.models import Q

from wuwei.coaching.models import CoachingAction, CoachingReview
from wuwei.core.visibility import Scope, internal, register, through
from wuwei.opportunities.models import Opportunity


def _through_opportunity(scope: Scope) -> Q | None:
    return through(Opportunity, scope, "opportunity")


def review_rule(scope: Scope) -> Q | None:
    return _through_opportunity(scope)


def action_rule(scope: Scope) -> Q | None:
    condition = _through_opportunity(scope)
    return None if condition is None else condition | Q(owner_id=scope.user_id)


def register_rules() -> None:
    """Called from `CoachingConfig.ready()`."""
    internal(CoachingReview, CoachingAction)
    register(CoachingReview)(review_rule)
    register(CoachingAction)(action_rule)
