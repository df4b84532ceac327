"""First start builds an empty database from the models (`core.schema`, issue #17): the result
must be the database the migrations build — the migrated test database is the reference."""

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import connection

from tests.core.probe_schema import describe
from tests.core.processes import REPO, environment, finish, kill_all, start
from wuwei.core import schema

DEADLINE = 300
PROBE = REPO / "tests" / "core" / "probe_schema.py"


@contextmanager
def scratch_database(tmp_path: Path) -> Iterator[str]:
    """An empty database beside the test database: a file on SQLite, a database on the same
    PostgreSQL server (dropped afterwards)."""
    if connection.vendor != "postgresql":
        yield f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
        return
    import psycopg
    from psycopg import sql

    db = connection.settings_dict
    user, host, port = db["USER"] or "postgres", db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    name = f"{db['NAME']}_fresh"
    with psycopg.connect(
        host=host, port=port, user=user, dbname="postgres", autocommit=True
    ) as server:
        server.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        server.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        try:
            yield f"postgres://{user}@{host}:{port}/{name}"
        finally:
            server.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def test_an_empty_database_is_built_as_the_migrations_build_it(db, tmp_path: Path):
    # given: an empty database; when: first start brings it to the current schema
    out, log = tmp_path / "fresh.json", tmp_path / "probe.log"
    with scratch_database(tmp_path) as url:
        process = start([str(PROBE), str(out)], environment(url, tmp_path), log)
        try:
            assert finish(process, timeout=DEADLINE) == 0, log.read_text(errors="replace")
        finally:
            kill_all(process)
    fresh = json.loads(out.read_text())
    # then: it was built from the models, not migrated step by step…
    assert fresh["built"] is True
    # …and it has the migrated database's tables, columns, constraints, indexes and rows (the
    # migrations' seeds, content types, permissions, every migration recorded as applied)
    migrated = describe(connection)
    assert sorted(fresh["tables"]) == sorted(migrated)
    for table, expected in migrated.items():
        assert fresh["tables"][table] == json.loads(json.dumps(expected)), table
    assert len(migrated["django_migrations"]["rows"]) > 100
    assert migrated["playbook_riskrule"]["rows"]  # a seed: the comparison covers rows


def test_a_database_with_tables_is_migrated_not_built(db):
    assert not schema.is_empty()
    assert schema.migrate() is False  # nothing to apply: the migrated test database stays


@pytest.mark.parametrize("operation", ["seed", "elidable backfill"])
def test_only_data_operations_a_fresh_database_needs_run(operation):
    from django.db import migrations

    def code(apps, schema_editor):  # pragma: no cover - never called here
        pass

    elidable = operation != "seed"
    ops = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(code, elidable=elidable)]
        ),
        migrations.RunSQL("SELECT 1", elidable=elidable),
        migrations.AlterModelTable("thing", "things"),
    ]
    found = list(schema._data_operations(ops))
    assert len(found) == (0 if elidable else 2)
