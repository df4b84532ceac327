"""What changed on a deal since its last coaching review (METHOD.md §4.10).

The coaching queue asks every registered *change source* about all candidate deals at once.
A source is a function `source(windows, as_of) -> {deal id: [Change, ...]}`: it receives one
`DealWindow` per deal (the deal's current win rate and stage, its last review if any, and
`since`, the moment after which a change counts) and answers with the deals that changed and
why. It must cost a fixed number of queries whatever the number of deals (one query over all
the ids, never one per deal), and leaves out deals without a change.

Built in: `win_rate`, `stage` and `compelling_event`. PRM adds its risk rules later with
`register_change_source("risk", source)`; registering a key again replaces that source.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils.translation import gettext as _

from wuwei.opportunities.models import (
    CompellingEvent,
    Opportunity,
    Stage,
    StageHistory,
    WinRateSnapshot,
)


@dataclass(frozen=True, slots=True)
class Change:
    """One reason a deal is in the queue. `kind` is the source's key; `old`/`new` are the
    values before and after where that makes sense (e.g. win rate 40 → 55)."""

    kind: str
    message: str
    at: datetime | None = None
    old: Any = None
    new: Any = None


@dataclass(frozen=True, slots=True)
class LastReview:
    reviewed_at: datetime
    win_rate: int | None
    stage: str


@dataclass(frozen=True, slots=True)
class DealWindow:
    """A candidate deal as the queue sees it: changes after `since` count."""

    opportunity_id: int
    since: datetime
    win_rate: int | None
    stage: str
    last_review: LastReview | None = None


class DealWindows(list[DealWindow]):
    """The queue's windows with `deals`, the query of their deal ids: sources filter with it
    as a subquery rather than a list of thousands of ids (cheaper to build and to run)."""

    def __init__(self, windows: Iterable[DealWindow], deals: Any) -> None:
        super().__init__(windows)
        self.deals = deals


def window_deals(windows: Sequence[DealWindow]) -> Any:
    """For `opportunity_id__in=`: the windows' subquery when they carry one, else their ids.
    A subquery may name a deal created since the windows were read: sources skip ids they
    have no window for."""
    deals = getattr(windows, "deals", None)
    return deals if deals is not None else [w.opportunity_id for w in windows]


ChangeSource = Callable[[Sequence[DealWindow], datetime], Mapping[int, list[Change]]]
_sources: dict[str, ChangeSource] = {}


def register_change_source(key: str, source: ChangeSource) -> None:
    """Add (or replace, by key) a source of changes. Apps call this from AppConfig.ready()."""
    _sources[key] = source


def collect_changes(windows: Sequence[DealWindow], as_of: datetime) -> dict[int, list[Change]]:
    """Every source's changes per deal, oldest first (changes without a time last)."""
    found: dict[int, list[Change]] = defaultdict(list)
    if not windows:
        return {}
    for source in _sources.values():
        for deal_id, changes in source(windows, as_of).items():
            found[deal_id].extend(changes)
    for changes in found.values():
        changes.sort(key=lambda c: (c.at is None, c.at or as_of))
    return {deal_id: changes for deal_id, changes in found.items() if changes}


def _rate(value: int | None) -> str:
    return _("not rated") if value is None else f"{value} %"


def _stage_label(value: str | None) -> str:
    return str(Stage(value).label) if value in Stage.values else (value or "—")


# ----------------------------------------------------------------------------------------
# win rate (§4.6)


def _win_rate_baselines(windows: Sequence[DealWindow]) -> dict[int, int | None]:
    """For deals never reviewed: the win rate of the newest weekly snapshot taken before
    `since` (the rate when the look-back window opened). Deals without one are left out."""
    never = [w for w in windows if w.last_review is None]
    if not never:
        return {}
    since = min(w.since for w in never)  # one look-back for all never-reviewed deals
    before = WinRateSnapshot.objects.filter(opportunity_id=OuterRef("pk"), taken_at__lte=since)
    rows = (
        Opportunity.objects.filter(pk__in=[w.opportunity_id for w in never])
        .annotate(
            has_baseline=Exists(before),
            baseline=Subquery(before.order_by("-week").values("win_rate")[:1]),
        )
        .filter(has_baseline=True)
        .values_list("pk", "baseline")
    )
    return dict(rows)


def win_rate_changes(windows: Sequence[DealWindow], as_of: datetime) -> dict[int, list[Change]]:
    """The current win rate against the one the reviewer saw (never reviewed: the snapshot
    before the look-back window). Becoming rated or not rated counts as a move."""
    baselines = _win_rate_baselines(windows)
    found: dict[int, list[Change]] = {}
    for window in windows:
        if window.last_review is not None:
            old = window.last_review.win_rate
        elif window.opportunity_id in baselines:
            old = baselines[window.opportunity_id]
        else:
            continue
        if old == window.win_rate:
            continue
        message = _("Win rate moved from %(old)s to %(new)s") % {
            "old": _rate(old),
            "new": _rate(window.win_rate),
        }
        found[window.opportunity_id] = [
            Change("win_rate", message, None, old=old, new=window.win_rate)
        ]
    return found


# ----------------------------------------------------------------------------------------
# stage (§4.1)


def stage_changes(windows: Sequence[DealWindow], as_of: datetime) -> dict[int, list[Change]]:
    """Stage stays entered after `since`, summed up as one change: from the stage the
    reviewer saw (or the one the deal was in when the window opened) to the current one."""
    by_id = {w.opportunity_id: w for w in windows}
    earliest = min(w.since for w in windows)
    rows = (
        StageHistory.objects.filter(opportunity_id__in=window_deals(windows))
        .filter(Q(entered_at__gt=earliest) | Q(left_at__gt=earliest))
        .order_by("opportunity_id", "entered_at", "id")
        .values_list("opportunity_id", "stage", "entered_at", "left_at")
    )
    stays: dict[int, list[tuple[str, datetime, datetime | None]]] = defaultdict(list)
    for deal_id, stage, entered_at, left_at in rows:
        if deal_id in by_id:
            stays[deal_id].append((stage, entered_at, left_at))
    found: dict[int, list[Change]] = {}
    for deal_id, deal_stays in stays.items():
        window = by_id[deal_id]
        entered = [s for s in deal_stays if s[1] > window.since]
        if not entered:
            continue
        if window.last_review is not None:
            old: str | None = window.last_review.stage
        else:
            before = [s for s in deal_stays if s[1] <= window.since]
            old = before[-1][0] if before else None
        new, at = entered[-1][0], entered[-1][1]
        found[deal_id] = [Change("stage", _stage_message(old, new), at, old=old, new=new)]
    return found


def _stage_message(old: str | None, new: str) -> str:
    if old is None:
        return _("New deal, in stage %(stage)s") % {"stage": _stage_label(new)}
    if old == new:
        return _("Stage moved and came back to %(stage)s") % {"stage": _stage_label(new)}
    return _("Stage moved from %(old)s to %(new)s") % {
        "old": _stage_label(old),
        "new": _stage_label(new),
    }


# ----------------------------------------------------------------------------------------
# compelling events (§4.3)


def _event_change(event: Any, since: datetime) -> Change:
    """`event`: a compelling event's row (the fields read here, as `values_list(named=True)`)."""
    text = event.description[:80]
    if event.created_at > since:
        message, at = _("Compelling event added: %(event)s") % {"event": text}, event.created_at
    elif event.archived_at is not None and event.archived_at > since:
        message, at = _("Compelling event removed: %(event)s") % {"event": text}, event.archived_at
    elif event.is_confirmed and event.confirmed_at is not None and event.confirmed_at > since:
        message, at = _("Compelling event confirmed: %(event)s") % {"event": text}, event.updated_at
    else:
        message, at = _("Compelling event changed: %(event)s") % {"event": text}, event.updated_at
    return Change("compelling_event", message, at)


_EVENT_FIELDS = (
    "opportunity_id",
    "description",
    "created_at",
    "updated_at",
    "archived_at",
    "is_confirmed",
    "confirmed_at",
)


def compelling_event_changes(
    windows: Sequence[DealWindow], as_of: datetime
) -> dict[int, list[Change]]:
    """Compelling events added, edited, confirmed or removed after `since`."""
    by_id = {w.opportunity_id: w for w in windows}
    earliest = min(w.since for w in windows)
    events = (
        CompellingEvent.objects.filter(
            opportunity_id__in=window_deals(windows), updated_at__gt=earliest
        )
        .order_by("updated_at", "id")
        .values_list(*_EVENT_FIELDS, named=True)
    )
    found: dict[int, list[Change]] = defaultdict(list)
    for event in events:
        window = by_id.get(event.opportunity_id)
        if window is not None and event.updated_at > window.since:
            since = window.since
            found[event.opportunity_id].append(_event_change(event, since))
    return dict(found)


def register_builtin_sources() -> None:
    register_change_source("win_rate", win_rate_changes)
    register_change_source("stage", stage_changes)
    register_change_source("compelling_event", compelling_event_changes)
