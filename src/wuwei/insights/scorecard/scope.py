"""Whose scorecard a user may read (METHOD.md §1): a rep their own row, a manager the reps of
their team subtree, executives and administrators every team; partner users nothing. A team
outside the user's reach is absent (404), like any hidden record."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from wuwei.core.errors import NotFound
from wuwei.core.visibility import scope_for, visible
from wuwei.org.models import Team, TeamKind, User


@dataclass(frozen=True, slots=True)
class Period:
    date_from: date
    date_to: date


#: The years a scorecard period may span (beyond them day arithmetic would overflow).
EARLIEST = date(1900, 1, 1)
LATEST = date(2999, 12, 31)


def period_errors(date_from: date, date_to: date) -> list[tuple[str, str]]:
    """What is wrong with a period, as (field, message) pairs; empty when it is valid."""
    errors = []
    for field, value in (("from", date_from), ("to", date_to)):
        if not EARLIEST <= value <= LATEST:
            errors.append((field, _("must be between 1900 and 2999")))
    if not errors and date_from > date_to:
        errors.append(("from", _("must not be after “to”")))
    return errors


@dataclass(frozen=True, slots=True)
class Reach:
    """The team shown and the reps whose rows the viewer reads. `everyone`: the reps are a
    whole company's (an executive or administrator at a top team, or without a team), so the
    scorecard may read every visible record and keep the reps' rows instead of naming a
    thousand owners in each query (the same numbers either way)."""

    team: Team | None
    reps: list[User]
    everyone: bool = False


def scorecard_teams(user: Any) -> QuerySet[Team]:
    """The teams the team picker offers: every internal team for an executive or
    administrator, the manager's subtree, or the rep's own team."""
    scope = scope_for(user)
    if scope.is_partner or scope.user_id == 0:
        return Team.objects.none()
    teams = (
        visible(Team, user)
        .filter(archived_at__isnull=True)
        .exclude(kind=TeamKind.PARTNER)
        .order_by("path")
    )
    if scope.sees_everything:
        return teams
    if scope.team_path:
        return teams.filter(path__startswith=scope.team_path)
    return teams.filter(pk=user.team_id) if user.team_id else teams.none()


REP_FIELDS = (
    "id",
    "username",
    "first_name",
    "last_name",
    "display_name",
    "team_id",
    "team__id",
    "team__name",
    "team__path",
    "team__kind",
    "team__parent_id",
)


def scorecard_reach(*, user: Any, team_id: int | None) -> Reach:
    """The team (the user's own when none is asked for) and its reps, or NotFound."""
    scope = scope_for(user)
    if scope.is_partner or scope.user_id == 0:
        raise NotFound(_("Not found."))
    teams = scorecard_teams(user)
    team = None
    if team_id is not None:
        team = teams.filter(pk=team_id).first()
        if team is None:
            raise NotFound(_("Not found."))
    elif user.team_id:
        team = teams.filter(pk=user.team_id).first()
    if not scope.sees_everything and not scope.team_path:
        return Reach(team=team, reps=[user])  # a rep reads their own row only
    people = User.objects.filter(is_active=True).exclude(role_links__role="partner_user")
    if team is not None:
        people = people.filter(team__path__startswith=team.path)
    elif not scope.sees_everything:
        people = people.filter(pk=user.pk)
    # what the pages read of a rep: the key, the name shown (User.__str__) and the team path
    reps = list(
        people.filter(Q(team__isnull=False))
        .select_related("team")
        .only(*REP_FIELDS)
        .order_by("username")
    )
    everyone = scope.sees_everything and (team is None or team.parent_id is None)
    return Reach(team=team, reps=reps, everyone=everyone)
