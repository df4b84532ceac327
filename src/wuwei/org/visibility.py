"""Who sees which teams and users: the organisation is open inside the company; a partner
user sees only their own partner team and its people."""

from typing import Any

from django.db.models import Q, QuerySet

from wuwei.core.visibility import InIds, Scope, register
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


def in_subtree(path: str, *, team: str = "team_id", owner: str = "owner_id") -> Q:
    """Rows a manager of the team at `path` oversees: owned by, or owned in, a team of that
    subtree. The ids of its teams and of their people (small sets) are looked up in the
    indexed `team` and `owner` columns (`InIds`): a BitmapOr of index scans, no join and never
    a scan of every row (issue #17)."""
    return Q(InIds(team, subtree_teams(path))) | Q(InIds(owner, subtree_people(path)))


def register_rules() -> None:
    """Called from `OrgConfig.ready()`."""
    register(Team)(team_rule)
    register(User)(user_rule)
