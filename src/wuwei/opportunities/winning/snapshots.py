"""Weekly win-rate snapshots (METHOD.md §4.6 "snapshotted weekly for every open opportunity").

`snapshot_week` writes one `WinRateSnapshot` per open, non-archived deal that has none for the
ISO week yet — one INSERT … SELECT, in one transaction — then records the week's change events
(`changes.change_events_for`). Running it again the same week creates nothing and notifies
no one, so the CLI, cron and the in-process scheduler may all run it.

The row holds the deal's current win rate when taken; a questionnaire submitted later in the
week updates that week's row (`win_rate_refresh`), so a week's row ends as its last value.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime

from django.db import connection, transaction
from django.db.models import DateField, DateTimeField, Exists, OuterRef, Value
from django.utils import timezone

from wuwei.opportunities.models import WinRateSnapshot
from wuwei.opportunities.winning.changes import change_events_for, pending_change_events
from wuwei.opportunities.winning.selectors import open_deals, week_monday

DEFAULT_BATCH = 500  # change events recorded and notified per chunk
# Serialises concurrent runs on PostgreSQL (SQLite's IMMEDIATE transactions already do).
_ADVISORY_LOCK = 0x57696E52  # "WinR"
_COLUMNS = ("opportunity_id", "week", "win_rate", "stage", "taken_at", "owner_id")
_WEEK_LABEL = re.compile(r"^(\d{4})-W(\d{2})$")


@dataclass(frozen=True, slots=True)
class SnapshotResult:
    week: date
    created: int
    already_present: int
    change_events: int


def parse_week(label: str) -> date:
    """`2027-W03` → that week's Monday; ValueError when it is not an ISO week."""
    match = _WEEK_LABEL.match(label.strip())
    if not match:
        raise ValueError(f"not an ISO week like 2027-W03: {label!r}")
    return date.fromisocalendar(int(match[1]), int(match[2]), 1)


def _lock() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_ADVISORY_LOCK])


def _insert_missing(week: date, taken_at: datetime) -> int:
    """One set-based statement: INSERT … SELECT every open deal, ON CONFLICT DO NOTHING.

    The unique (opportunity, week) index skips the deals that have their row (a questionnaire
    this week wrote a newer one), which makes reruns and concurrent runs harmless; the count
    is the database's. No NOT EXISTS here on purpose: PostgreSQL may plan an anti-join
    against the very table being filled as a nested loop (57 s instead of 1.5 s at 100k).
    The SELECT is the ORM's own, so quoting and parameters suit SQLite and PostgreSQL."""
    select = (
        open_deals()
        .order_by()
        .annotate(
            snapshot_week=Value(week, output_field=DateField()),
            snapshot_taken_at=Value(taken_at, output_field=DateTimeField()),
        )
        .values_list("pk", "snapshot_week", "win_rate", "stage", "snapshot_taken_at", "owner_id")
    )
    sql, params = select.query.sql_with_params()
    quote = connection.ops.quote_name
    columns = ", ".join(quote(c) for c in _COLUMNS)
    table = quote(WinRateSnapshot._meta.db_table)
    with connection.cursor() as cursor:
        # The SELECT always has a WHERE clause, which SQLite needs before ON CONFLICT.
        cursor.execute(f"INSERT INTO {table} ({columns}) {sql} ON CONFLICT DO NOTHING", params)
        return max(cursor.rowcount, 0)


@transaction.atomic
def snapshot_week(*, as_of: date, batch_size: int = DEFAULT_BATCH) -> SnapshotResult:
    """Snapshot every open deal for the ISO week holding `as_of`, then record and notify the
    week's win-rate change events. Idempotent within the week."""
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    week = week_monday(as_of)
    _lock()
    has_row = WinRateSnapshot.objects.filter(week=week, opportunity_id=OuterRef("pk"))
    present = open_deals().filter(Exists(has_row)).count()
    created = _insert_missing(week, timezone.now())
    events = change_events_for(week=week, batch_size=batch_size)
    return SnapshotResult(week=week, created=created, already_present=present, change_events=events)


def snapshot_needed(*, as_of: date) -> bool:
    """Read-only and cheap: does an open deal lack this week's row, or has a deal moved
    without its change event recorded yet?"""
    week = week_monday(as_of)
    has_row = WinRateSnapshot.objects.filter(week=week, opportunity_id=OuterRef("pk"))
    return open_deals().filter(~Exists(has_row)).exists() or pending_change_events(week=week) > 0


def scheduled_snapshot(now: datetime) -> SnapshotResult | None:
    """The scheduler's hourly job: snapshot the current local week when something is missing."""
    as_of = timezone.localdate(now)
    if not snapshot_needed(as_of=as_of):
        return None
    return snapshot_week(as_of=as_of)
