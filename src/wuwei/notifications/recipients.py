"""Who hears about a hand-off: the people the event concerns, never the person who acted,
never a partner user, never anyone who cannot see the record the notification links to."""

from collections.abc import Iterable

from django.db import models

from wuwei.core.visibility import visible
from wuwei.org.models import Role, User


def ancestor_paths(path: str) -> list[str]:
    """`/1/4/9/` → [`/1/4/9/`, `/1/4/`, `/1/`]: the team and every team above it."""
    parts = [part for part in path.split("/") if part]
    return ["/" + "/".join(parts[:n]) + "/" for n in range(len(parts), 0, -1)]


def users_with_role_above(path: str, role: str) -> dict[str, list[User]]:
    """Active users with `role` whose team is the team at `path` or above it, by team path."""
    found: dict[str, list[User]] = {}
    users = User.objects.filter(
        is_active=True, role_links__role=role, team__path__in=ancestor_paths(path)
    ).select_related("team")
    for user in users.distinct():
        assert user.team is not None
        found.setdefault(user.team.path, []).append(user)
    return found


def nearest_with_role(path: str, role: str, *, exclude: Iterable[int] = ()) -> list[User]:
    """The users with `role` of the nearest team, from `path` up the tree, that has one other
    than the excluded people (an actor or owner hears about it with their own manager)."""
    excluded = set(exclude)
    by_path = users_with_role_above(path, role)
    for team_path in ancestor_paths(path):
        found = [u for u in by_path.get(team_path, []) if u.pk not in excluded]
        if found:
            return found
    return []


def managers_covering(paths: Iterable[str]) -> list[User]:
    """Every active manager whose subtree holds one of the team `paths` (the teams a record
    belongs to): exactly the managers who see the record through their team."""
    wanted = {p for path in paths if path for p in ancestor_paths(path)}
    if not wanted:
        return []
    return list(
        User.objects.filter(is_active=True, role_links__role=Role.MANAGER, team__path__in=wanted)
        .distinct()
        .order_by("pk")
    )


def audience(
    users: Iterable[User | None],
    *,
    actor: User | None,
    record: models.Model | None = None,
) -> list[User]:
    """The distinct active internal users of `users` other than `actor`; with `record`, only
    those who can see it (one small query each: hand-offs have a handful of recipients)."""
    kept: dict[int, User] = {}
    for user in users:
        if user is None or not user.is_active or user.pk in kept:
            continue
        if actor is not None and user.pk == actor.pk:
            continue
        if Role.PARTNER_USER in user.role_slugs and not user.sees_everything:
            continue
        if record is not None and not visible(type(record), user).filter(pk=record.pk).exists():
            continue
        kept[user.pk] = user
    return list(kept.values())
