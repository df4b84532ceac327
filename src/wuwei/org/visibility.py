"""Who sees which teams and users: the organisation is open inside the company; a partner
user sees only their own partner team and its people."""

from django.db.models import Q

from wuwei.core.visibility import Scope, register
from wuwei.org.models import Team, User


@register(Team)
def team_rule(scope: Scope) -> Q | None:
    if scope.is_partner:
        return Q(members__id=scope.user_id)
    return None


@register(User)
def user_rule(scope: Scope) -> Q | None:
    if scope.is_partner:
        return Q(pk=scope.user_id)
    return None
