"""The forecast's running totals on PostgreSQL (issue #14 item 9: the executive's grid at 200k
deals in < 300 ms; issue #17: < 1 s at 1M).

`ForecastCell` holds, per month of the expected close, the deal's own team (0: none) and its
owner, the grid's sums (METHOD.md §8, as `selectors._both_weeks` adds them up): this week's over
the open deals, last week's over the deals with last ISO week's snapshot, weighed with the rate
of that snapshot. `ForecastCellBasis` (one row) names what they were counted for: that last
week and the commit and best-case thresholds.

The database keeps them. Statement triggers on the deals add the rows a statement wrote and
subtract the rows as they were (one INSERT … ON CONFLICT in key order), so every write path —
services, queryset updates, imports, loaders, the shell — keeps them and no Python can forget
one. A statement that writes a snapshot of the basis's week deletes the basis instead.
`recount` counts everything again under a lock of the deals and snapshots that writers and
other recounts wait for (about a second at 200k); the scheduler runs it when the basis no
longer matches (a new week, other thresholds), checked every hour.

Readers (`selectors.forecast_grid`) take the cells only for someone who sees every deal (the
visibility rule imposes no condition), for whole months, and while the basis matches their
last week and the configuration in force; in every other case they add up the deals, as before.
Both give the same figures (tests/insights/test_forecast_cells.py). On SQLite there are no
triggers and no basis: the deals are always added up (a small database does it quickly)."""

from collections.abc import Sequence
from dataclasses import fields
from datetime import date, datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from wuwei.core.config import method_config
from wuwei.insights.forecast.models import ForecastCell, ForecastCellBasis
from wuwei.methodology.config import ForecastConfig
from wuwei.methodology.forecast import ForecastSums, PeriodKind
from wuwei.opportunities.models import Opportunity, WinRateSnapshot
from wuwei.opportunities.winning.selectors import week_monday

CELLS = ForecastCell._meta.db_table
BASIS = ForecastCellBasis._meta.db_table
DEALS = Opportunity._meta.db_table
SNAPSHOTS = WinRateSnapshot._meta.db_table
KEY = ("month", "team_key", "owner_key")
#: the deal columns a cell depends on
RATED = (
    "id",
    "expected_close",
    "team_id",
    "owner_id",
    "archived_at",
    "stage",
    "amount",
    "win_rate",
)
#: the cell's columns: this week's and last week's ForecastSums, field by field (`_sums` order)
SUM_NAMES = [f"{prefix}{f.name}" for prefix in ("now_", "before_") for f in fields(ForecastSums)]


def _sums(counted: str, rate: str) -> list[str]:
    """The ForecastSums of the rows `counted`, field by field, weighed with `rate` as
    `selectors._sum_annotations` weighs them; each row signed by `d.s` (+1 as it is now, -1 as
    it was)."""

    def total(value: str, condition: str) -> str:
        return f"COALESCE(SUM({value}) FILTER (WHERE {counted}{condition}), 0)"

    commit = f" AND {rate} >= b.commit_min"
    best = f" AND {rate} >= b.best_case_min"
    return [
        total("d.s", ""),
        total("d.s * d.amount", ""),
        total(f"d.s * d.amount * {rate}", f" AND {rate} IS NOT NULL"),
        total("d.s * d.amount", commit),
        total("d.s", commit),
        total("d.s * d.amount", best),
        total("d.s", best),
        total("d.s * d.amount", f" AND {rate} IS NULL"),
        total("d.s", f" AND {rate} IS NULL"),
    ]


def _cells_of(rows: str) -> str:
    """The signed cells of the deal rows `rows` (columns RATED and `s`), as the basis counts
    them, but those that add nothing (an UPDATE's rows as they were and as they are, when no
    counted column changed): nothing at all when there is no basis."""
    opened = "d.stage NOT IN ('won', 'lost')"
    sums = [*_sums(opened, "d.win_rate"), *_sums("l.id IS NOT NULL", "l.win_rate")]
    named = ", ".join(f"{total} AS {name}" for total, name in zip(sums, SUM_NAMES, strict=True))
    zeros = ", ".join("0" for _name in SUM_NAMES)
    return (
        f"SELECT * FROM (SELECT date_trunc('month', d.expected_close)::date AS month,"
        f" COALESCE(d.team_id, 0) AS team_key, d.owner_id AS owner_key, {named}"
        f" FROM ({rows}) d CROSS JOIN {BASIS} b"
        f" LEFT JOIN {SNAPSHOTS} l ON l.opportunity_id = d.id AND l.week = b.last_week"
        f" WHERE d.archived_at IS NULL AND d.expected_close IS NOT NULL"
        f" AND ({opened} OR l.id IS NOT NULL)"
        f" GROUP BY 1, 2, 3) x WHERE ({', '.join(SUM_NAMES)}) <> ({zeros}) ORDER BY 1, 2, 3"
    )


def _add(rows: str) -> str:
    """Add the signed cells of `rows` to the cells (ON CONFLICT in key order: concurrent
    writers lock the cells they share in one order)."""
    columns = ", ".join((*KEY, *SUM_NAMES))
    added = ", ".join(f"{n} = {CELLS}.{n} + EXCLUDED.{n}" for n in SUM_NAMES)
    return (
        f"INSERT INTO {CELLS} ({columns}) {_cells_of(rows)}"
        f" ON CONFLICT ({', '.join(KEY)}) DO UPDATE SET {added}"
    )


def _select(table: str, sign: int) -> str:
    return f"SELECT {', '.join(f'r.{c}' for c in RATED)}, {sign} AS s FROM {table} r"


def _forget(table: str) -> str:
    """Delete the basis when a statement wrote a snapshot of its week."""
    return (
        f"DELETE FROM {BASIS} b WHERE EXISTS (SELECT 1 FROM {table} r WHERE r.week = b.last_week)"
    )


def _triggers() -> list[tuple[str, str, str, str, str]]:
    """(name, event, table, transition tables, body) of each trigger and its function."""
    both = "OLD TABLE AS old_rows NEW TABLE AS new_rows"
    updated = f"{_select('new_rows', 1)} UNION ALL {_select('old_rows', -1)}"
    return [
        (
            "wuwei_cells_insert",
            "INSERT",
            DEALS,
            "NEW TABLE AS new_rows",
            _add(_select("new_rows", 1)),
        ),
        ("wuwei_cells_update", "UPDATE", DEALS, both, _add(updated)),
        (
            "wuwei_cells_delete",
            "DELETE",
            DEALS,
            "OLD TABLE AS old_rows",
            _add(_select("old_rows", -1)),
        ),
        (
            "wuwei_cells_snap_insert",
            "INSERT",
            SNAPSHOTS,
            "NEW TABLE AS new_rows",
            _forget("new_rows"),
        ),
        (
            "wuwei_cells_snap_update",
            "UPDATE",
            SNAPSHOTS,
            both,
            f"{_forget('new_rows')}; {_forget('old_rows')}",
        ),
        (
            "wuwei_cells_snap_delete",
            "DELETE",
            SNAPSHOTS,
            "OLD TABLE AS old_rows",
            _forget("old_rows"),
        ),
    ]


def install(schema_editor: Any) -> None:
    """Create the functions and triggers that keep the cells (a migration's RunPython; nothing
    on SQLite)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, event, table, referencing, body in _triggers():
        schema_editor.execute(
            f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$"
            f" BEGIN {body}; RETURN NULL; END $$"
        )
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        schema_editor.execute(
            f"CREATE TRIGGER {name} AFTER {event} ON {table} REFERENCING {referencing}"
            f" FOR EACH STATEMENT EXECUTE FUNCTION {name}()"
        )


def uninstall(schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _event, table, _referencing, _body in _triggers():
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {name}()")


def last_week_of(today: date) -> date:
    return week_monday(today) - timedelta(days=7)


def matches(basis: Any, last_week: date, config: ForecastConfig) -> bool:
    return basis is not None and (basis.last_week, basis.commit_min, basis.best_case_min) == (
        last_week,
        config.commit_min,
        config.best_case_min,
    )


def basis_in_force() -> ForecastCellBasis | None:
    """The basis row, or None (SQLite: never counted)."""
    if connection.vendor != "postgresql":
        return None
    return ForecastCellBasis.objects.first()


@transaction.atomic
def recount(*, as_of: date | None = None) -> int:
    """Count every cell again for `as_of`'s last week and the thresholds in force; returns the
    number of cells (0 on SQLite, which keeps none)."""
    if connection.vendor != "postgresql":
        return 0
    config = method_config().forecast
    with connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {DEALS}, {SNAPSHOTS} IN SHARE ROW EXCLUSIVE MODE")
        cursor.execute(f"DELETE FROM {BASIS}")
        cursor.execute(f"DELETE FROM {CELLS}")
        cursor.execute(
            f"INSERT INTO {BASIS} (last_week, commit_min, best_case_min, counted_at)"
            f" VALUES (%s, %s, %s, %s)",
            [
                last_week_of(as_of or timezone.localdate()),
                config.commit_min,
                config.best_case_min,
                timezone.now(),
            ],
        )
        cursor.execute(_add(_select(DEALS, 1)))
        return max(cursor.rowcount, 0)


def scheduled_recount(now: datetime) -> int | None:
    """The scheduler's job: count again when the basis no longer matches today."""
    if connection.vendor != "postgresql":
        return None
    today = timezone.localdate(now)
    if matches(basis_in_force(), last_week_of(today), method_config().forecast):
        return None
    return recount(as_of=today)


def grid_source(*, kind: PeriodKind, date_from: date, date_to: date) -> tuple[str, Sequence[Any]]:
    """The cells of [from, to] (whole months) as the grid's grouped deal rows: period_, team_id,
    owner_id and the sums (`selectors._regrouped` adds them up by row)."""
    period = "c.month" if kind == PeriodKind.MONTH else "date_trunc('quarter', c.month)::date"
    sums = ", ".join(f"c.{n}" for n in SUM_NAMES)
    return (
        f"SELECT {period} AS period_, NULLIF(c.team_key, 0) AS team_id, c.owner_key AS owner_id,"
        f" {sums} FROM {CELLS} c WHERE c.month >= %s AND c.month <= %s",
        [date_from, date_to],
    )
