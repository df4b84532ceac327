"""Trigram indexes for substring search (issue #17): on PostgreSQL a `pg_trgm` GIN index lets
`icontains` / `contains` — which Django writes `UPPER(col::text) LIKE UPPER('%text%')` and
`col::text LIKE '%text%'` — be answered from the index instead of a scan of every row, so a
search costs what it finds, not the size of the table. The queries do not change (the same
lookups, the same matches); only the plan does. SQLite has no such index: there the search
stays a scan, and the migration does nothing.

The index lives outside Django's model state (a GIN index with an operator class cannot be
created on SQLite, and a table rebuild there would try): `trigram_index(...)` is a migration
operation that creates it on PostgreSQL only. `core.bulk.deferred_indexes` drops and rebuilds
it around a bulk load like every other secondary index.
"""

from typing import Any

from django.db import migrations


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def trigram_index(
    table: str, name: str, *, upper: tuple[str, ...] = (), exact: tuple[str, ...] = ()
) -> migrations.RunPython:
    """One multi-column GIN index `name` on `table`: `upper` columns indexed as
    `UPPER(col::text)` (what `icontains`, `istartswith` and `iexact` compare), `exact` columns
    as they are (what `contains` compares). PostgreSQL BitmapOrs scans of its columns for a
    condition that ORs lookups on several of them."""
    keys = [f"UPPER(({_quote(c)})::text) gin_trgm_ops" for c in upper]
    keys += [f"{_quote(c)} gin_trgm_ops" for c in exact]
    columns = ", ".join(keys)
    create = f"CREATE INDEX IF NOT EXISTS {_quote(name)} ON {_quote(table)} USING gin ({columns})"

    def forwards(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            schema_editor.execute(create)

    def backwards(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"DROP INDEX IF EXISTS {_quote(name)}")

    return migrations.RunPython(forwards, backwards, elidable=False)
