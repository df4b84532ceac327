"""Bulk loading: COPY on PostgreSQL, batched multi-row inserts on SQLite (issue #17).

`BulkLoader.write(model, fields, rows)` takes the column list from the model (`_meta`), so no
table is spelled in SQL here: `fields` names the attributes the rows carry (`"account_id"`,
`"amount"`…), every other concrete column gets its field default once (timestamps: the load's
`now`). Rows bypass `save()`, signals and history: callers give explicit primary keys (see
`next_id`) so related rows can point at them without reading anything back, and the loader
moves the sequences past them at the end.

For a large load on PostgreSQL, `deferred_indexes(models)` drops the secondary indexes and
foreign keys of those tables first and rebuilds them after the data is in (one sort per index
instead of a B-tree insert per row, one join per foreign key instead of a trigger per row);
`finish()` resets sequences and runs ANALYZE.
"""

import gc
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models
from django.db.models import Max

SQLITE_BATCH = 5_000


def next_id(model: type[models.Model]) -> int:
    """The first free primary key of `model` (rows are written with explicit ids)."""
    top = model._default_manager.using(connection.alias).aggregate(top=Max("pk"))["top"]
    return int(top or 0) + 1


class BulkLoader:
    """Writes rows table by table in the current transaction; counts what it wrote."""

    def __init__(self, *, now: datetime, log: Callable[[str], None] | None = None) -> None:
        self.now = now
        self.log = log or (lambda message: None)
        self.counts: dict[str, int] = {}
        self.seconds: dict[str, float] = {}
        self.models: list[type[models.Model]] = []
        self.vendor = connection.vendor

    def write(
        self,
        model: type[models.Model],
        fields: Sequence[str],
        rows: Iterable[Sequence[Any]],
        *,
        ignore_conflicts: bool = False,
    ) -> int:
        """Write `rows` (values of `fields`, in that order); returns how many were written.
        With `ignore_conflicts`, a row that collides with a unique constraint is skipped
        (ON CONFLICT DO NOTHING, through a temporary table on PostgreSQL, so that a concurrent
        writer of the same rows waits and skips instead of failing) and the count is of the
        rows inserted."""
        meta = model._meta
        by_attname = {f.attname: f for f in meta.concrete_fields}
        given = [by_attname[name] for name in fields]
        missing = [
            f
            for f in meta.concrete_fields
            if f.attname not in fields and not (f is meta.pk and isinstance(f, models.AutoField))
        ]
        constants = tuple(self._default(f) for f in missing)
        columns = [f.column for f in given] + [f.column for f in missing]
        start = time.perf_counter()
        if self.vendor == "postgresql" and ignore_conflicts:
            count = self._copy_ignoring(meta.db_table, columns, given, missing, constants, rows)
        elif self.vendor == "postgresql":
            count = self._copy(meta.db_table, columns, given, missing, constants, rows)
        else:
            count = self._insert(
                meta.db_table, columns, given, missing, constants, rows, ignore_conflicts
            )
        elapsed = time.perf_counter() - start
        self.counts[meta.label] = self.counts.get(meta.label, 0) + count
        self.seconds[meta.label] = self.seconds.get(meta.label, 0.0) + elapsed
        if model not in self.models:
            self.models.append(model)
        self.log(f"  {meta.label:<40} {count:>10,} rows {elapsed:7.1f} s")
        return count

    def _default(self, field: models.Field) -> Any:  # type: ignore[type-arg]
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            value: Any = self.now
        elif field.has_default():
            value = field.get_default()
        elif field.null:
            value = None
        elif isinstance(field, models.BooleanField):
            value = False
        else:
            value = ""
        return value

    def _copy(
        self,
        table: str,
        columns: list[str],
        given: list[models.Field[Any, Any]],
        missing: list[models.Field[Any, Any]],
        constants: tuple[Any, ...],
        rows: Iterable[Sequence[Any]],
    ) -> int:
        prepared = tuple(
            f.get_db_prep_save(v, connection) for f, v in zip(missing, constants, strict=True)
        )
        json_at = [i for i, f in enumerate(given) if isinstance(f, models.JSONField)]
        quote = connection.ops.quote_name
        sql = f"COPY {quote(table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
        count = 0
        with connection.cursor() as wrapper, wrapper.cursor.copy(sql) as copy:
            write = copy.write_row
            if json_at:
                for row in rows:
                    values = list(row)
                    for i in json_at:
                        values[i] = given[i].get_db_prep_save(values[i], connection)
                    write((*values, *prepared))
                    count += 1
            elif prepared:
                for row in rows:
                    write((*row, *prepared))
                    count += 1
            else:
                for row in rows:
                    write(row)
                    count += 1
        return count

    def _copy_ignoring(
        self,
        table: str,
        columns: list[str],
        given: list[models.Field[Any, Any]],
        missing: list[models.Field[Any, Any]],
        constants: tuple[Any, ...],
        rows: Iterable[Sequence[Any]],
    ) -> int:
        quote = connection.ops.quote_name
        names = ", ".join(quote(c) for c in columns)
        staging = quote(f"wuwei_bulk_{table}")
        with connection.cursor() as cursor:
            cursor.execute(
                f"CREATE TEMPORARY TABLE {staging} AS "
                f"SELECT {names} FROM {quote(table)} WITH NO DATA"
            )
            try:
                self._copy(f"wuwei_bulk_{table}", columns, given, missing, constants, rows)
                cursor.execute(
                    f"INSERT INTO {quote(table)} ({names}) SELECT {names} FROM {staging} "
                    "ON CONFLICT DO NOTHING"
                )
                return int(cursor.rowcount)
            finally:
                cursor.execute(f"DROP TABLE {staging}")

    def _insert(
        self,
        table: str,
        columns: list[str],
        given: list[models.Field[Any, Any]],
        missing: list[models.Field[Any, Any]],
        constants: tuple[Any, ...],
        rows: Iterable[Sequence[Any]],
        ignore_conflicts: bool = False,
    ) -> int:
        prepared = tuple(
            f.get_db_prep_save(v, connection) for f, v in zip(missing, constants, strict=True)
        )
        # Only the types sqlite3 cannot bind as they are go through the field.
        convert = [
            i
            for i, f in enumerate(given)
            if isinstance(f, models.DateTimeField | models.JSONField | models.DecimalField)
        ]
        quote = connection.ops.quote_name
        sql = (
            f"INSERT {'OR IGNORE ' if ignore_conflicts else ''}INTO {quote(table)} "
            f"({', '.join(quote(c) for c in columns)}) VALUES ({', '.join(['%s'] * len(columns))})"
        )
        count = 0
        with connection.cursor() as cursor:
            for batch in _batches(rows, SQLITE_BATCH):
                if convert:
                    out = []
                    for row in batch:
                        values = list(row)
                        for i in convert:
                            values[i] = given[i].get_db_prep_save(values[i], connection)
                        out.append((*values, *prepared))
                else:
                    out = [(*row, *prepared) for row in batch]
                cursor.executemany(sql, out)
                count += cursor.rowcount if ignore_conflicts else len(out)
        return count

    def finish(self) -> None:
        """Move the id sequences past the explicit ids and refresh the planner statistics."""
        statements = connection.ops.sequence_reset_sql(no_style(), self.models)
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
            if self.vendor == "postgresql":
                for model in self.models:
                    cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
            else:
                cursor.execute("ANALYZE")


def _batches(rows: Iterable[Sequence[Any]], size: int) -> Iterator[list[Sequence[Any]]]:
    batch: list[Sequence[Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


@contextmanager
def gc_paused() -> Iterator[None]:
    """The cyclic garbage collector off while a batch builds hundreds of thousands of small
    objects it keeps until the end (the nightly risk run's facts, findings and notices): each
    full collection walks all of them again, which was half the run's CPU (8.4 s → 4.4 s for
    50k deals). Reference counting still frees everything as usual; cycles made meanwhile are
    collected once it is back on."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


@contextmanager
def sqlite_load_pragmas() -> Iterator[None]:
    """Fewer syncs and a bigger page cache while SQLite takes a bulk load; restored after."""
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        yield  # (the safety level cannot change inside a transaction)
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA synchronous")
        synchronous = cursor.fetchone()[0]
        cursor.execute("PRAGMA cache_size")
        cache_size = cursor.fetchone()[0]
        cursor.execute("PRAGMA synchronous = OFF")
        cursor.execute("PRAGMA cache_size = -200000")
        cursor.execute("PRAGMA temp_store = MEMORY")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA synchronous = {int(synchronous)}")
            cursor.execute(f"PRAGMA cache_size = {int(cache_size)}")


@contextmanager
def deferred_indexes(
    tables: Iterable[type[models.Model]], log: Callable[[str], None] | None = None
) -> Iterator[None]:
    """PostgreSQL: drop the secondary indexes and foreign keys of these tables for the load and
    rebuild them afterwards (primary keys and unique constraints stay); their own triggers
    (running totals, which the loader counts again afterwards) are off meanwhile. No-op
    elsewhere."""
    names = [model._meta.db_table for model in tables]
    if connection.vendor != "postgresql" or not names:
        yield
        return
    log = log or (lambda message: None)
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
            FROM pg_index i
            WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
            """,
            [names],
        )
        indexes = cursor.fetchall()
        cursor.execute(
            """
            SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)
            FROM pg_constraint WHERE contype = 'f' AND conrelid = ANY(%s::regclass[])
            """,
            [names],
        )
        foreign_keys = cursor.fetchall()
        quote = connection.ops.quote_name
        for table, name, _definition in foreign_keys:
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {quote(name)}")
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {name}")
        for table in names:
            cursor.execute(f"ALTER TABLE {quote(table)} DISABLE TRIGGER USER")
    yield
    start = time.perf_counter()
    with connection.cursor() as cursor:
        for table in names:
            cursor.execute(f"ALTER TABLE {quote(table)} ENABLE TRIGGER USER")
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        for _name, definition in indexes:
            cursor.execute(definition)
        log(f"  {len(indexes)} indexes rebuilt in {time.perf_counter() - start:.1f} s")
        start = time.perf_counter()
        for table, name, definition in foreign_keys:
            cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {quote(name)} {definition}")
        log(f"  {len(foreign_keys)} foreign keys checked in {time.perf_counter() - start:.1f} s")
