"""Win-rate change events (METHOD.md §4.6): a move of at least `change_event_points` (10)
week over week notifies the deal owner and their nearest manager(s) and points them at the
deal's strategy tab. Recorded once per deal and week (`WinRateChange`), so it is idempotent. With
`WUWEI_WIN_RATE_DIGEST` (the default) managers get one daily digest instead (`digest.py`).

`snapshot_week` checks every deal of the week; a questionnaire submitted during the week can
call `change_events_for(opportunity_ids=[id], week=...)` to notify at once.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, F, FilteredRelation, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext

from wuwei.core.config import method_config
from wuwei.methodology.presales import iso_week
from wuwei.methodology.winrate import win_rate_change_event
from wuwei.notifications.services import Draft, notify_many
from wuwei.opportunities.models import WinRateChange
from wuwei.opportunities.winning.selectors import open_deals, week_monday
from wuwei.org.models import Role, User

KIND = "win_rate_change"
_CHUNK = 500


@dataclass(frozen=True, slots=True)
class Move:
    """A deal whose rated win rate differs from the previous week's."""

    opportunity_id: int
    name: str
    owner_id: int
    previous: int
    current: int


def _moves(week: date, opportunity_ids: Iterable[int] | None) -> list[Move]:
    """One query: this week's and last week's rows joined per open deal, both rated and
    different, no event recorded yet. The threshold is the methodology's to decide."""
    qs = open_deals()
    if opportunity_ids is not None:
        qs = qs.filter(pk__in=list(opportunity_ids))
    recorded = WinRateChange.objects.filter(opportunity_id=OuterRef("pk"), week=week)
    rows = (
        qs.annotate(
            this_week=FilteredRelation(
                "win_rate_snapshots", condition=Q(win_rate_snapshots__week=week)
            ),
            last_week=FilteredRelation(
                "win_rate_snapshots",
                condition=Q(win_rate_snapshots__week=week - timedelta(days=7)),
            ),
            current=F("this_week__win_rate"),
            previous=F("last_week__win_rate"),
        )
        # Filters on the annotations (not the relations) keep it to two joins.
        .filter(~Q(current=F("previous")), current__isnull=False, previous__isnull=False)
        .filter(~Exists(recorded))
        .order_by("pk")
        .values_list("pk", "name", "owner_id", "previous", "current")
    )
    return [Move(*row) for row in rows]


def _ancestor_paths(path: str) -> list[str]:
    """`/1/4/9/` → [`/1/4/9/`, `/1/4/`, `/1/`]: the team and every team above it."""
    parts = [part for part in path.split("/") if part]
    return ["/" + "/".join(parts[:n]) + "/" for n in range(len(parts), 0, -1)]


def managers_by_team_path() -> dict[str, list[User]]:
    managers = User.objects.filter(
        is_active=True, role_links__role=Role.MANAGER, team__isnull=False
    ).select_related("team")
    by_path: dict[str, list[User]] = {}
    for manager in managers:
        assert manager.team is not None
        by_path.setdefault(manager.team.path, []).append(manager)
    return by_path


def nearest_managers(owner: User, managers_by_path: dict[str, list[User]]) -> list[User]:
    """The managers of the nearest team, from the owner's own up the tree, that has a manager
    other than the owner (a manager who owns a deal hears about it with their own manager)."""
    if owner.team is None or not owner.team.path:
        return []
    for path in _ancestor_paths(owner.team.path):
        found = [m for m in managers_by_path.get(path, []) if m.pk != owner.pk]
        if found:
            return found
    return []


def signed_points(points: int) -> str:
    return f"+{points}" if points > 0 else f"−{abs(points)}"


def _title(deal: str) -> str:
    return gettext("Win rate moved: %(deal)s") % {"deal": deal}


def _body(deal: str, previous: int, current: int, week: date) -> str:
    return gettext(
        "Win rate of %(deal)s moved from %(previous)s %% to %(current)s %% "
        "(%(change)s points) in week %(week)s: review the competitive strategy."
    ) % {
        "deal": deal,
        "previous": previous,
        "current": current,
        "change": signed_points(current - previous),
        "week": iso_week(week),
    }


def strategy_url(opportunity_id: int) -> str:
    return reverse("opportunities:detail", args=[opportunity_id]) + "#strategy"


def digest_enabled() -> bool:
    return bool(getattr(settings, "WUWEI_WIN_RATE_DIGEST", True))


def _record(moves: Sequence[Move], week: date, managers: dict[str, list[User]]) -> None:
    WinRateChange.objects.bulk_create(
        [
            WinRateChange(
                opportunity_id=m.opportunity_id, week=week, previous=m.previous, current=m.current
            )
            for m in moves
        ],
        ignore_conflicts=True,
    )
    owners = User.objects.select_related("team").in_bulk({m.owner_id for m in moves})
    digest = digest_enabled()
    drafts = []
    for move in moves:
        owner = owners[move.owner_id]
        drafts.append(
            Draft(
                # With the digest on, managers hear once a day (`manager_digest`).
                recipients=[owner] if digest else [owner, *nearest_managers(owner, managers)],
                kind=KIND,
                title=partial(_title, move.name),
                body=partial(_body, move.name, move.previous, move.current, week),
                url=strategy_url(move.opportunity_id),
                key=f"{KIND}:{move.opportunity_id}:{week.isoformat()}",
                opportunity_id=move.opportunity_id,
            )
        )
    notify_many(drafts)


def _events(moves: Sequence[Move]) -> list[Move]:
    config = method_config().win_rate
    return [m for m in moves if win_rate_change_event(m.previous, m.current, config=config)]


def pending_change_events(*, week: date) -> int:
    """How many change events of `week` are not recorded yet (read-only)."""
    moves = _moves(week_monday(week), None)
    return len(_events(moves)) if moves else 0


@transaction.atomic
def change_events_for(
    *, week: date, opportunity_ids: Iterable[int] | None = None, batch_size: int = _CHUNK
) -> int:
    """Record and notify the change events of `week` (any day of that ISO week) not recorded
    yet, for the given deals (None: every open deal). Returns how many events were recorded."""
    week = week_monday(week)  # snapshot rows name a week by its Monday
    moves = _moves(week, opportunity_ids)
    if not moves:
        return 0
    events = _events(moves)
    if not events:
        return 0
    managers = managers_by_team_path()
    size = max(1, min(batch_size, _CHUNK))
    for start in range(0, len(events), size):
        _record(events[start : start + size], week, managers)
    return len(events)
