"""The account timeline (METHOD.md §2.1, §2.7): every change and activity, newest first.

Entries come from sources; each source is a function `(user, account, limit) -> entries`.
Another app adds its own (e.g. activities) with `register_timeline_source`, so the
assembly stays in one selector, `account_timeline`.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, time
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wuwei.accounts.models import Account, AccountGrading, MonitoringRecord, PlanAction, Visit
from wuwei.accounts.services.tracking import MONITORED
from wuwei.core.history import history_entries, shown_value
from wuwei.core.visibility import visible

# Fields whose history is shown by their own entries (a grading, a derived value).
HIDDEN_FIELDS = {"current grading", "current_grading"}


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    when: datetime
    kind: str  # "change", "grading", "monitoring", "visit", "action", … (a source's slug)
    title: str
    who: Any = None
    details: tuple[str, ...] = field(default_factory=tuple)
    url: str = ""

    @property
    def kind_label(self) -> str:
        """The badge people read; a source's slug is only a data attribute."""
        return str(KIND_LABELS.get(self.kind, self.kind))


KIND_LABELS = {
    "change": gettext_lazy("Change"),
    "grading": gettext_lazy("Grading"),
    "monitoring": gettext_lazy("Monitoring"),
    "visit": gettext_lazy("Visit"),
    "action": gettext_lazy("Plan action"),
    "activity": gettext_lazy("Activity"),
    "coaching": gettext_lazy("Coaching"),
    "risk_override": gettext_lazy("Gate override"),
}

TimelineSource = Callable[[Any, Account, int], Iterable[TimelineEntry]]
_sources: list[TimelineSource] = []


def register_timeline_source(source: TimelineSource) -> TimelineSource:
    """Add a source of timeline entries (called from an `AppConfig.ready()`)."""
    if source not in _sources:
        _sources.append(source)
    return source


def newest_first(
    sources: Iterable[Callable[[Any, Any, int], Iterable[TimelineEntry]]],
    user: Any,
    target: Any,
    limit: int,
) -> list[TimelineEntry]:
    """Entries of every source about `target`, newest first; each source contributes at most
    `limit`. Serves the account timeline and the deal timeline alike."""
    entries = [entry for source in sources for entry in source(user, target, limit)]
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries[:limit]


def account_timeline(*, user: Any, account: Account, limit: int = 100) -> list[TimelineEntry]:
    """Entries of every source, newest first; each source contributes at most `limit`."""
    return newest_first(_sources, user, account, limit)


def _label(field: Any, name: str) -> str:
    return str(field.verbose_name) if field is not None else name


def at_noon(day: Any) -> datetime:
    """A date-only event sorts among the day's changes at noon (local time)."""
    return timezone.make_aware(datetime.combine(day, time(12, 0)))


def _history(user: Any, account: Account, limit: int) -> Iterable[TimelineEntry]:
    for entry in history_entries(account, limit=limit):
        if entry.reason in ("grading", "monitoring"):
            continue  # shown by the grading / monitoring entries themselves
        changes = tuple(
            f"{c.field}: {c.old} → {c.new}" for c in entry.changes if c.field not in HIDDEN_FIELDS
        )
        if entry.kind == "~" and not changes and not entry.reason:
            continue
        title = {
            "+": _("Account created"),
            "-": _("Account deleted"),
        }.get(entry.kind) or {
            "archive": _("Account archived"),
            "restore": _("Account restored"),
        }.get(entry.reason, _("Account changed"))
        yield TimelineEntry(entry.when, "change", title, entry.who, changes)


def _gradings(user: Any, account: Account, limit: int) -> Iterable[TimelineEntry]:
    rows = (
        visible(AccountGrading, user)
        .filter(account=account)
        .select_related("graded_by")
        .order_by("-created_at")[:limit]
    )
    for grading in rows:
        yield TimelineEntry(
            grading.created_at,
            "grading",
            _("Graded %(grade)s (score %(score)s), nine-box class %(cls)s")
            % {"grade": grading.grade, "score": grading.score, "cls": grading.account_class},
            grading.graded_by,
        )


def _monitoring(user: Any, account: Account, limit: int) -> Iterable[TimelineEntry]:
    rows = (
        visible(MonitoringRecord, user)
        .filter(account=account, archived_at__isnull=True)
        .select_related("created_by")
        .order_by("-recorded_on", "-id")[:limit]
    )
    fields = {f.name: f for f in MonitoringRecord._meta.fields}
    for record in rows:
        changes = record.changes or {}
        # In the order of MONITORED: jsonb does not keep key order.
        details = tuple(
            f"{_label(fields.get(name), name)}: {shown_value(fields.get(name), changes[name][0])}"
            f" → {shown_value(fields.get(name), changes[name][1])}"
            for name in MONITORED
            if name in changes
        )
        title = _("Monitoring: importance %(importance)s, closeness %(closeness)s") % {
            "importance": record.importance,
            "closeness": record.closeness if record.closeness is not None else "—",
        }
        yield TimelineEntry(
            at_noon(record.recorded_on), "monitoring", title, record.created_by, details
        )


def _visits(user: Any, account: Account, limit: int) -> Iterable[TimelineEntry]:
    rows = (
        visible(Visit, user)
        .filter(account=account, archived_at__isnull=True)
        .select_related("owner", "opportunity")
        .order_by("-planned_on", "-id")[:limit]
    )
    for visit in rows:
        day = visit.visited_on or visit.planned_on
        title = _("Visit (%(status)s): %(purpose)s") % {
            "status": visit.get_status_display(),
            "purpose": visit.purpose,
        }
        details: tuple[str, ...] = (visit.outcome,) if visit.outcome else ()
        if visit.opportunity:
            details += (_("Opportunity found: %(name)s") % {"name": visit.opportunity.name},)
        yield TimelineEntry(at_noon(day), "visit", title, visit.owner, details)


def _actions(user: Any, account: Account, limit: int) -> Iterable[TimelineEntry]:
    rows = (
        visible(PlanAction, user)
        .filter(plan__account=account, archived_at__isnull=True)
        .select_related("owner", "plan")
        .order_by("-updated_at")[:limit]
    )
    for action in rows:
        title = _("Plan %(year)s action (%(status)s): %(title)s") % {
            "year": action.plan.year,
            "status": action.get_status_display(),
            "title": action.title,
        }
        due = (_("due %(date)s") % {"date": action.due},) if action.due else ()
        yield TimelineEntry(action.updated_at, "action", title, action.owner, due)


def register_builtin_sources() -> None:
    """The account's own entries; called from `AccountsConfig.ready()`."""
    for source in (_history, _gradings, _monitoring, _visits, _actions):
        register_timeline_source(source)
