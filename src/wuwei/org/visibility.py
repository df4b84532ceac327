"""Who sees which teams and users: the organisation is open inside the company; a partner
user sees only their own partner team and its people."""

from typing import Any

from django.db.models import Q, QuerySet

from wuwei.core.visibility import Scope, register
from wuwei.org.models import Team, User


def team_rule(scope: Scope) -> Q | None:
    if scope.is_partner:
        return Q(members__id=scope.user_id)
    return None


def user_rule(scope: Scope) -> Q | None:
    if scope.is_partner:
        return Q(pk=scope.user_id)
    return None


def subtree_teams(path: str) -> QuerySet[Any, Any]:
    """The ids of the teams of the subtree at `path` (a prefix match on the indexed path), for
    `team_id__in=` — a subquery on a small table instead of a join per row."""
    return Team.objects.filter(path__startswith=path).order_by().values("pk")


def subtree_people(path: str) -> QuerySet[Any, Any]:
    """The ids of the people whose team is in the subtree at `path`, for `owner_id__in=`."""
    return User.objects.filter(team_id__in=subtree_teams(path)).order_by().values("pk")


def register_rules() -> None:
    """Called from `OrgConfig.ready()`."""
    register(Team)(team_rule)
    register(User)(user_rule)
