"""`wuwei backup` / `wuwei restore`: the whole database in a portable file.

The file is a zip: `manifest.json` (format, Wuwei and Django versions, the source database's
vendor, its migration state, and the tables in dependency order with their row counts) and one
`tables/<table>.jsonl` per table — every model's table, history, many-to-many, sessions and the
job queue included — one JSON object per row, keyed by column. Values are written in Django's
portable forms (ISO dates, decimal strings, base64 bytes) and read back through each field's
`to_python`, so a backup of SQLite restores onto PostgreSQL and back.

Restore migrates the target to the backup's migration state, replaces every table's rows in one
transaction (foreign keys are checked at commit, so order and cycles do not matter), resets
PostgreSQL's sequences, then migrates forward to this version. Derived tables (running totals,
`register_derived`) are not in the file: a restore empties them first, and their owner counts
them again.
"""

import base64
import json
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID

import django
from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.duration import duration_iso_string

from wuwei.core.config import forget_method_config
from wuwei.core.errors import Conflict, ValidationFailed

FORMAT = "wuwei-backup"
FORMAT_VERSION = 1
BATCH = 1000

Progress = Callable[[str, int], None]


_derived: set[str] = set()  # labels of the tables registered by `register_derived`


def register_derived(*derived: type[models.Model]) -> None:
    """Tables that other tables fully determine (running totals) and their owner counts
    again: left out of the backup, emptied first by a restore (from an app's `ready()`)."""
    _derived.update(model._meta.label for model in derived)


def derived_models() -> list[type[models.Model]]:
    """The derived tables that exist now (a restore may have migrated to before one)."""
    tables = set(connection.introspection.table_names())
    found = [apps.get_model(label) for label in sorted(_derived)]
    return [model for model in found if model._meta.db_table in tables]


def backed_up_models() -> list[type[models.Model]]:
    """Every table Django manages but the derived ones, parents before the tables that point
    at them."""
    found = [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy and model._meta.label not in _derived
    ]
    return _dependency_order(found)


def _dependency_order(found: list[type[models.Model]]) -> list[type[models.Model]]:
    by_label = {m._meta.label: m for m in found}
    ordered: list[type[models.Model]] = []
    state: dict[str, int] = {}  # 1 visiting, 2 done

    def visit(model: type[models.Model]) -> None:
        label = model._meta.label
        if state.get(label):
            return  # done, or a cycle (checked at commit, not by order)
        state[label] = 1
        for field in model._meta.local_concrete_fields:
            target = field.related_model if field.is_relation else None
            if isinstance(target, type) and target._meta.label in by_label:
                visit(by_label[target._meta.label])
        state[label] = 2
        ordered.append(model)

    for model in sorted(found, key=lambda m: m._meta.label):
        visit(model)
    return ordered


def migration_state() -> dict[str, list[str]]:
    applied = MigrationRecorder(connection).applied_migrations()
    state: dict[str, list[str]] = {}
    for app_label, name in sorted(applied):
        state.setdefault(app_label, []).append(name)
    return state


# ---------------------------------------------------------------------------------------------
# values


def _encode(value: Any) -> Any:
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return duration_iso_string(value)
    if isinstance(value, Decimal | UUID):
        return str(value)
    if isinstance(value, bytes | memoryview | bytearray):
        return base64.b64encode(bytes(value)).decode("ascii")
    return value


def _columns(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    return list(model._meta.local_concrete_fields)


def _rows(model: type[models.Model]) -> Iterator[dict[str, Any]]:
    fields = _columns(model)
    names = [f.attname for f in fields]
    queryset = model._base_manager.order_by("pk").values_list(*names)
    for row in queryset.iterator(chunk_size=2000):
        yield {f.column: _encode(value) for f, value in zip(fields, row, strict=True)}


# ---------------------------------------------------------------------------------------------
# backup


@contextmanager
def _snapshot() -> Iterator[None]:
    """One consistent view of every table that does not hold writers back: REPEATABLE READ on
    PostgreSQL; a deferred (read) transaction on SQLite, whose WAL keeps its snapshot."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        mode = getattr(connection, "transaction_mode", None)
        connection.transaction_mode = "DEFERRED"  # type: ignore[attr-defined]
        try:
            with transaction.atomic():
                yield
        finally:
            connection.transaction_mode = mode  # type: ignore[attr-defined]
        return
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        yield


@dataclass(frozen=True)
class TableSummary:
    model: str
    table: str
    rows: int


def backup(path: Path, *, on_table: Progress | None = None) -> list[TableSummary]:
    """Write the whole database to `path` (a zip); returns what each table held."""
    summaries = []
    tmp = path.with_name(path.name + ".partial")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        with _snapshot():
            for model in backed_up_models():
                table = model._meta.db_table
                count = 0
                with archive.open(f"tables/{table}.jsonl", "w", force_zip64=True) as out:
                    for row in _rows(model):
                        out.write(json.dumps(row, ensure_ascii=False).encode() + b"\n")
                        count += 1
                summaries.append(TableSummary(model._meta.label, table, count))
                if on_table is not None:
                    on_table(model._meta.label, count)
            manifest = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "created_at": timezone.now().isoformat(),
                "django": django.get_version(),
                "vendor": connection.vendor,
                "migrations": migration_state(),
                "tables": [{"model": s.model, "table": s.table, "rows": s.rows} for s in summaries],
            }
        archive.writestr("manifest.json", json.dumps(manifest, indent=1, ensure_ascii=False))
    tmp.replace(path)
    return summaries


# ---------------------------------------------------------------------------------------------
# restore


def read_manifest(archive: zipfile.ZipFile) -> dict[str, Any]:
    try:
        manifest: dict[str, Any] = json.loads(archive.read("manifest.json"))
    except (KeyError, ValueError) as exc:
        raise ValidationFailed("This file is not a Wuwei backup (no manifest).") from exc
    if manifest.get("format") != FORMAT or manifest.get("format_version") != FORMAT_VERSION:
        raise ValidationFailed("This file is not a Wuwei backup of a known format.")
    return manifest


def holds_data() -> bool:
    """A database with user accounts is in use (what `migrate` creates by itself is not data)."""
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    if user_model._meta.db_table not in connection.introspection.table_names():
        return False  # a new, unmigrated database
    return bool(user_model._base_manager.exists())


def _migrate_to(state: dict[str, list[str]]) -> None:
    """Bring the schema to the backup's migration state (known migrations only)."""
    executor = MigrationExecutor(connection)
    graph = executor.loader.graph
    unknown = [
        f"{app}.{name}"
        for app, names in state.items()
        for name in names
        if (app, name) not in graph.nodes
    ]
    if unknown:
        raise ValidationFailed(
            "The backup comes from a newer version of Wuwei (unknown migrations: "
            + ", ".join(sorted(unknown)[:5])
            + "). Upgrade Wuwei, then restore."
        )
    targets: list[tuple[str, str | None]] = []
    for app in sorted(executor.loader.migrated_apps):
        names = state.get(app, [])
        if not names:
            targets.append((app, None))
            continue
        # the backup's latest migration of the app: the one whose plan holds all the others
        targets.append(max(((app, n) for n in names), key=lambda n: len(graph.forwards_plan(n))))
    plan = executor.migration_plan(targets)
    executor.migrate(targets, plan=plan)


def restore(
    path: Path,
    *,
    force: bool = False,
    on_table: Progress | None = None,
    migrate_forward: Callable[[], None] | None = None,
) -> list[TableSummary]:
    """Replace the database's contents with the backup's; refuses a database in use unless
    `force`. Everything is written in one transaction: a failure leaves the target as it was."""
    with zipfile.ZipFile(path) as archive:
        manifest = read_manifest(archive)
        if holds_data() and not force:
            raise Conflict(
                "This database already holds data (user accounts); restoring would replace "
                "it. Use --force to replace it."
            )
        _migrate_to(manifest["migrations"])
        known = {m._meta.db_table: m for m in backed_up_models()}
        missing = [t["table"] for t in manifest["tables"] if t["table"] not in known]
        if missing:
            raise ValidationFailed(
                "The backup has tables this version does not know: " + ", ".join(missing[:5])
            )
        summaries = []
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            for model in [*derived_models(), *reversed(list(known.values()))]:
                model._base_manager.all()._raw_delete(connection.alias)
            for entry in manifest["tables"]:
                model = known[entry["table"]]
                count = _load_table(archive, model)
                if count != entry["rows"]:
                    raise ValidationFailed(
                        f"{entry['table']}: {count} rows read, the manifest says {entry['rows']}."
                    )
                summaries.append(TableSummary(model._meta.label, entry["table"], count))
                if on_table is not None:
                    on_table(model._meta.label, count)
            _reset_sequences(list(known.values()))
            forget_method_config()  # the rows were written past the ORM's signals
    if migrate_forward is not None:
        migrate_forward()
    return summaries


def _load_table(archive: zipfile.ZipFile, model: type[models.Model]) -> int:
    fields = {f.column: f for f in _columns(model)}
    table = connection.ops.quote_name(model._meta.db_table)
    count = 0
    batch: list[list[Any]] = []
    columns: list[str] | None = None
    sql = ""
    with archive.open(f"tables/{model._meta.db_table}.jsonl") as lines, connection.cursor() as cur:
        for line in lines:
            row = json.loads(line)
            if columns is None:
                columns = list(row)
                names = ", ".join(connection.ops.quote_name(c) for c in columns)
                marks = ", ".join(["%s"] * len(columns))
                sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"
            batch.append([_decode(fields[c], row[c]) for c in columns])
            count += 1
            if len(batch) >= BATCH:
                cur.executemany(sql, batch)
                batch = []
        if batch:
            cur.executemany(sql, batch)
    return count


def _decode(field: models.Field[Any, Any], value: Any) -> Any:
    if value is None:
        return None
    if isinstance(field, models.JSONField):
        return field.get_db_prep_save(value, connection)
    if isinstance(field, models.ForeignKey):
        field = field.target_field
    return field.get_db_prep_save(field.to_python(value), connection)


def _reset_sequences(model_list: list[type[models.Model]]) -> None:
    statements = connection.ops.sequence_reset_sql(no_style(), model_list)
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
