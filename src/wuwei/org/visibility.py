"""Who sees which teams and users: the organisation is open inside the company; a partner
user sees only their own partner team and its people."""

from typing import Any

from django.db.models import Q, QuerySet
from django.db.models.signals import post_delete, post_save

from wuwei.core.visibility import Scope, register
from wuwei.org.models import Team, User

#: A manager's subtree of up to this many teams and people goes into their queries as
#: constants; a bigger one as id subqueries (`in_subtree`).
SUBTREE_CONSTANTS = 500

# Bumped whenever a team or a person is saved or deleted in this process, so a scope that
# outlives a change of the organisation (a job, a test, a request that moves people) looks
# its subtree up again. Another process's change reaches this one with its next request: a
# scope lives for one request.
_org_changes = [0]


def _org_changed(sender: Any, **kwargs: Any) -> None:
    _org_changes[0] += 1


def connect() -> None:
    """Forget looked-up subtrees when teams or people change (org's AppConfig.ready)."""
    for model in (Team, User):
        for signal in (post_save, post_delete):
            signal.connect(_org_changed, sender=model, dispatch_uid=f"subtree-{model.__name__}")


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


def subtree_teams(path: str) -> QuerySet[Any, Any]:
    """The ids of the teams of the subtree at `path` (a prefix match on the indexed path), for
    `team_id__in=` — a subquery on a small table instead of a join per row."""
    return Team.objects.filter(path__startswith=path).order_by().values("pk")


def subtree_people(path: str) -> QuerySet[Any, Any]:
    """The ids of the people whose team is in the subtree at `path`, for `owner_id__in=`."""
    return User.objects.filter(team_id__in=subtree_teams(path)).order_by().values("pk")


def in_subtree(scope: Scope, *, team: str = "team_id", owner: str = "owner_id") -> Q:
    """Rows the manager of `scope` oversees: owned by, or owned in, a team of their subtree.

    A team's subtree is small next to the data (a sales team's ten people own the same
    thousands of deals at 20k and at 1M), so its ids are looked up once per scope — one query,
    kept in `scope.memo` — and compared as constants: `team_id IN (7) OR owner_id IN (…)`.
    PostgreSQL then knows from its statistics how few rows that is and reads them from the
    `team` and `owner` indexes, where an id subquery is guessed at a tenth of the table and
    makes it walk a sort index past every row of other teams (issue #17). A subtree of more
    than `SUBTREE_CONSTANTS` teams and people sees a large share of the rows: it keeps the
    id subqueries (`subtree_teams`, `subtree_people`), one hashed pass."""
    path = scope.team_path
    if path is None:
        return Q(pk__in=[])
    generation, ids = scope.memo.get("subtree", (None, None))
    if generation != _org_changes[0]:
        rows = list(
            Team.objects.filter(path__startswith=path)
            .order_by()
            .values_list("pk", "members__pk")[: SUBTREE_CONSTANTS + 1]
        )
        ids = (
            (sorted({t for t, _p in rows}), sorted({p for _t, p in rows if p is not None}))
            if len(rows) <= SUBTREE_CONSTANTS
            else None
        )
        scope.memo["subtree"] = (_org_changes[0], ids)
    if ids is None:
        return Q(**{f"{team}__in": subtree_teams(path)}) | Q(
            **{f"{owner}__in": subtree_people(path)}
        )
    teams, people = ids
    return Q(**{f"{team}__in": teams}) | Q(**{f"{owner}__in": people})
