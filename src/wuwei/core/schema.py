"""Bringing a database to the current schema, fast on first start (issue #17).

Applying every migration in turn to an empty database costs ~80 s of CPU: after each of their
~560 operations Django re-renders its model state, and nearly every model points at the user,
so each re-render rebuilds all ~150 models. What they build is the schema the models describe
(`makemigrations --check` keeps the two identical). So `migrate()` on a database with no table
at all builds it in one pass, the way Django builds the tables of an app without migrations
(`migrate --run-syncdb`, and its test runner with `MIGRATE: False`):

1. one `CREATE TABLE` (with its indexes and constraints) per model, from the final migration
   state's models;
2. every migration recorded as applied, so later migrations apply on top as usual;
3. the data operations of this project's migrations (`RunPython`/`RunSQL` not marked
   `elidable`: the seeds of the sales-process template, tactics, risk rules, buying-process
   templates…) run in migration order against the final migration state's models — the
   models a fresh database has; other packages' data migrations only convert existing rows;
4. `post_migrate` as after `migrate` (content types, permissions).

All in one transaction: a start that fails leaves an empty database and the next start builds
it again. Any other database (even one with only some tables) is migrated by `migrate`.
`tests/core/test_schema.py` builds a database this way and compares it with the migrated test
database, table by table: columns, indexes, constraints, foreign keys and every seeded row.
"""

from collections.abc import Iterable, Iterator
from typing import Any

from django.apps import apps as global_apps
from django.core.management import call_command
from django.core.management.sql import emit_post_migrate_signal, emit_pre_migrate_signal
from django.db import DEFAULT_DB_ALIAS, connections, router
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.operations import RunPython, RunSQL, SeparateDatabaseAndState
from django.db.migrations.operations.base import Operation

PROJECT_PACKAGE = "wuwei."


def is_empty(using: str = DEFAULT_DB_ALIAS) -> bool:
    """True when the database has no table at all (not even Django's migration records)."""
    connection = connections[using]
    with connection.cursor() as cursor:
        return not connection.introspection.table_names(cursor)


def migrate(using: str = DEFAULT_DB_ALIAS, *, verbosity: int = 0) -> bool:
    """Migrate the database; an empty one is built from the models instead (module docstring).
    Returns True when it was built."""
    if not is_empty(using):
        call_command("migrate", database=using, interactive=False, verbosity=verbosity)
        return False
    build(using)
    return True


def build(using: str = DEFAULT_DB_ALIAS) -> None:
    """The current schema and the migrations' seeds on an empty database, in one transaction
    (the schema editor's: on SQLite it also turns foreign-key checks off while tables are made,
    and checks every row at the end)."""
    connection = connections[using]
    connection.prepare_database()
    executor = MigrationExecutor(connection)
    loader = executor.loader
    plan = executor.migration_plan(loader.graph.leaf_nodes(), clean_start=True)
    state = loader.project_state()
    with connection.schema_editor() as editor:
        emit_pre_migrate_signal(0, False, using, apps=state.apps, plan=plan)
        executor.recorder.ensure_schema()
        # The models as the migrations leave them (their state, as `CreateModel` uses), not
        # the app's classes: e.g. an auto-created many-to-many table of django.contrib.auth
        # has a bigint id after the migrations but an int one from the class.
        for model in state.apps.get_models():
            if (
                model._meta.app_label in loader.migrated_apps
                and router.allow_migrate_model(using, model)
                and model._meta.can_migrate(connection)
            ):
                editor.create_model(model)
        # Indexes and foreign keys the editor keeps for its end: before any row, as `migrate`.
        for sql in editor.deferred_sql:
            editor.execute(sql)
        editor.deferred_sql.clear()
        for migration, _backwards in plan:
            executor.record_migration(migration)
        _seed(editor, plan, state)
        executor.check_replacements()
        emit_post_migrate_signal(0, False, using, apps=state.apps, plan=plan)


def seed(using: str = DEFAULT_DB_ALIAS) -> None:
    """The migrations' seeds again, on a database whose tables were emptied (a test on a
    transactional database ends with a flush)."""
    connection = connections[using]
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes(), clean_start=True)
    with connection.schema_editor() as editor:
        _seed(editor, plan, executor.loader.project_state())


def _seed(editor: Any, plan: list[Any], state: Any) -> None:
    for migration, _backwards in plan:
        if _ours(global_apps.get_app_config(migration.app_label).name):
            for operation in _data_operations(migration.operations):
                operation.database_forwards(migration.app_label, editor, state, state)


def _ours(package: str) -> bool:
    return package.startswith(PROJECT_PACKAGE)


def _data_operations(operations: Iterable[Operation]) -> Iterator[Any]:
    """The operations of a migration that write rows (or run SQL), as a fresh database needs."""
    for operation in operations:
        if isinstance(operation, SeparateDatabaseAndState):
            yield from _data_operations(operation.database_operations)
        elif isinstance(operation, RunPython | RunSQL) and not operation.elidable:
            yield operation
