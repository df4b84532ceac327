"""The account timeline (METHOD.md §2.1, §2.7): every change and activity, newest first.

Entries come from sources; each source is a function `(user, account, limit, before=None) ->
entries`. Another app adds its own (e.g. activities) with `register_timeline_source`, so the
assembly stays in one selector, `account_timeline`.

Entries sort newest first by (when, kind, key) — at the same moment by kind, then by the row's
id — so a page can end anywhere: `account_timeline_page` pages with a cursor that names the
last entry shown, and every source answers, in SQL, with the entries that sort after it
(`Before`). A source returns its first `limit` such entries in that order, or all of them.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wuwei.accounts.models import Account, AccountGrading, MonitoringRecord, PlanAction, Visit
from wuwei.accounts.services.tracking import MONITORED
from wuwei.core.history import history_entries, shown_value
from wuwei.core.input import INT64_MAX
from wuwei.core.pagination import check_limit, decode_cursor, encode_cursor
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
    key: int = 0  # the source row's id: orders entries of the same moment and kind

    @property
    def order(self) -> tuple[datetime, str, int]:
        return (self.when, self.kind, self.key)

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


@dataclass(frozen=True, slots=True)
class Before:
    """A page's cursor: the entries that sort after (when, kind, key), newest first."""

    when: datetime
    kind: str
    key: int

    def key_bound(self, kind: str) -> int:
        """Entries of `kind` at the cursor's moment come after it when their id is below this:
        a kind sorting before the cursor's has been shown in full, one after it not at all."""
        if kind == self.kind:
            return self.key
        return INT64_MAX if kind < self.kind else 0

    def moment(self, kind: str, column: str, key: str = "pk") -> Q:
        """Rows of a source of `kind` whose timestamp `column` sorts after the cursor."""
        return Q(**{f"{column}__lt": self.when}) | Q(
            **{column: self.when, f"{key}__lt": self.key_bound(kind)}
        )

    def day(self, kind: str, column: str, key: str = "pk") -> Q:
        """Rows of a source of `kind` whose date `column` (shown at noon) sorts after it."""
        today = timezone.localtime(self.when).date()
        noon = at_noon(today)
        if noon < self.when:
            return Q(**{f"{column}__lte": today})
        if noon > self.when:
            return Q(**{f"{column}__lt": today})
        return Q(**{f"{column}__lt": today}) | Q(
            **{column: today, f"{key}__lt": self.key_bound(kind)}
        )


TimelineSource = Callable[..., Iterable[TimelineEntry]]
_sources: list[TimelineSource] = []


def register_timeline_source(source: TimelineSource) -> TimelineSource:
    """Add a source of timeline entries (called from an `AppConfig.ready()`)."""
    if source not in _sources:
        _sources.append(source)
    return source


def newest_first(
    sources: Iterable[Callable[..., Iterable[TimelineEntry]]],
    user: Any,
    target: Any,
    limit: int,
    before: Before | None = None,
) -> list[TimelineEntry]:
    """Entries of every source about `target`, newest first; each source contributes at most
    `limit`. Serves the account timeline and the deal timeline alike."""
    extra = {} if before is None else {"before": before}
    entries = [entry for source in sources for entry in source(user, target, limit, **extra)]
    entries.sort(key=lambda entry: entry.order, reverse=True)
    return entries[:limit]


def account_timeline(*, user: Any, account: Account, limit: int = 100) -> list[TimelineEntry]:
    """Entries of every source, newest first; each source contributes at most `limit`."""
    return newest_first(_sources, user, account, limit)


_CURSOR_FIELDS: list[Any] = [
    models.DateTimeField(),
    models.CharField(max_length=40),
    models.BigIntegerField(),
]


def account_timeline_page(
    *, user: Any, account: Account, limit: int, cursor: str | None
) -> tuple[list[TimelineEntry], str | None]:
    """One page of the timeline after `cursor` (API.md "Lists"), and the next page's cursor."""
    check_limit(limit)
    before = None
    if cursor:
        when, kind, key = decode_cursor(cursor, _CURSOR_FIELDS)
        if timezone.is_naive(when):
            when = timezone.make_aware(when)
        before = Before(when, kind, key)
    entries = newest_first(_sources, user, account, limit + 1, before)
    if len(entries) <= limit:
        return entries, None
    last = entries[limit - 1]
    return entries[:limit], encode_cursor([last.when.isoformat(), last.kind, last.key])


def _label(field: Any, name: str) -> str:
    return str(field.verbose_name) if field is not None else name


def at_noon(day: Any) -> datetime:
    """A date-only event sorts among the day's changes at noon (local time)."""
    return timezone.make_aware(datetime.combine(day, time(12, 0)))


def _history(
    user: Any, account: Account, limit: int, before: Before | None = None
) -> Iterable[TimelineEntry]:
    # Some records are shown by their own entries, so read on until `limit` are shown.
    bound = None if before is None else (before.when, before.key_bound("change"))
    shown = 0
    while True:
        records = history_entries(account, limit=limit, before=bound)
        for entry in records:
            item = _history_item(entry)
            if item is not None:
                yield item
                shown += 1
                if shown == limit:
                    return
        if len(records) < limit:
            return
        bound = (records[-1].when, records[-1].key)


def _history_item(entry: Any) -> TimelineEntry | None:
    if entry.reason in ("grading", "monitoring"):
        return None  # shown by the grading / monitoring entries themselves
    changes = tuple(
        f"{c.field}: {c.old} → {c.new}" for c in entry.changes if c.field not in HIDDEN_FIELDS
    )
    if entry.kind == "~" and not changes and not entry.reason:
        return None
    title = {
        "+": _("Account created"),
        "-": _("Account deleted"),
    }.get(entry.kind) or {
        "archive": _("Account archived"),
        "restore": _("Account restored"),
    }.get(entry.reason, _("Account changed"))
    return TimelineEntry(entry.when, "change", title, entry.who, changes, key=entry.key)


def _gradings(
    user: Any, account: Account, limit: int, before: Before | None = None
) -> Iterable[TimelineEntry]:
    rows = visible(AccountGrading, user).filter(account=account)
    if before is not None:
        rows = rows.filter(before.moment("grading", "created_at"))
    rows = rows.select_related("graded_by").order_by("-created_at", "-id")[:limit]
    for grading in rows:
        yield TimelineEntry(
            grading.created_at,
            "grading",
            _("Graded %(grade)s (score %(score)s), nine-box class %(cls)s")
            % {"grade": grading.grade, "score": grading.score, "cls": grading.account_class},
            grading.graded_by,
            key=grading.pk,
        )


def _monitoring(
    user: Any, account: Account, limit: int, before: Before | None = None
) -> Iterable[TimelineEntry]:
    rows = visible(MonitoringRecord, user).filter(account=account, archived_at__isnull=True)
    if before is not None:
        rows = rows.filter(before.day("monitoring", "recorded_on"))
    rows = rows.select_related("created_by").order_by("-recorded_on", "-id")[:limit]
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
            at_noon(record.recorded_on),
            "monitoring",
            title,
            record.created_by,
            details,
            key=record.pk,
        )


def _visits(
    user: Any, account: Account, limit: int, before: Before | None = None
) -> Iterable[TimelineEntry]:
    rows = (
        visible(Visit, user)
        .filter(account=account, archived_at__isnull=True)
        .annotate(day=Coalesce("visited_on", "planned_on"))
    )
    if before is not None:
        rows = rows.filter(before.day("visit", "day"))
    rows = rows.select_related("owner", "opportunity").order_by("-day", "-id")[:limit]
    for visit in rows:
        day: date = visit.day
        title = _("Visit (%(status)s): %(purpose)s") % {
            "status": visit.get_status_display(),
            "purpose": visit.purpose,
        }
        details: tuple[str, ...] = (visit.outcome,) if visit.outcome else ()
        if visit.opportunity:
            details += (_("Opportunity found: %(name)s") % {"name": visit.opportunity.name},)
        yield TimelineEntry(at_noon(day), "visit", title, visit.owner, details, key=visit.pk)


def _actions(
    user: Any, account: Account, limit: int, before: Before | None = None
) -> Iterable[TimelineEntry]:
    rows = visible(PlanAction, user).filter(plan__account=account, archived_at__isnull=True)
    if before is not None:
        rows = rows.filter(before.moment("action", "updated_at"))
    rows = rows.select_related("owner", "plan").order_by("-updated_at", "-id")[:limit]
    for action in rows:
        title = _("Plan %(year)s action (%(status)s): %(title)s") % {
            "year": action.plan.year,
            "status": action.get_status_display(),
            "title": action.title,
        }
        due = (_("due %(date)s") % {"date": action.due},) if action.due else ()
        yield TimelineEntry(action.updated_at, "action", title, action.owner, due, key=action.pk)


def register_builtin_sources() -> None:
    """The account's own entries; called from `AccountsConfig.ready()`."""
    for source in (_history, _gradings, _monitoring, _visits, _actions):
        register_timeline_source(source)
