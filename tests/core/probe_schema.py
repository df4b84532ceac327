"""Run as a process by test_schema: bring the database of DATABASE_URL to the current schema the
way `wuwei serve` does (`core.schema.migrate()`: built from the models when it is empty) and
write `{"built": …, "tables": describe(…)}` as JSON to the file named by the argument."""

import json
import os
import re
import sys
from pathlib import Path
from typing import Any

# The names SQLite's introspection makes up for unnamed constraints, numbered in declaration
# order (which differs when a migration rebuilt the table): compared without the name.
SYNTHETIC_NAME = re.compile(r"fk_\d+|__unnamed_constraint_\d+__")


def describe(connection: Any) -> dict[str, Any]:
    """Every table of the database: its columns, constraints and indexes, and its rows (but
    their timestamps), each in an order-free form that JSON keeps unchanged."""
    introspection = connection.introspection
    tables: dict[str, Any] = {}
    with connection.cursor() as cursor:
        for table in sorted(introspection.table_names(cursor)):
            description = introspection.get_table_description(cursor, table)
            constraints = sorted(
                json.dumps(
                    {**found, "name": None if SYNTHETIC_NAME.fullmatch(name) else name},
                    sort_keys=True,
                    default=str,
                )
                for name, found in introspection.get_constraints(cursor, table).items()
            )
            moments = {
                column.name
                for column in description
                if introspection.get_field_type(column.type_code, column) == "DateTimeField"
            }
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            names = [column[0] for column in cursor.description]
            rows = sorted(
                json.dumps(
                    {n: v for n, v in zip(names, row, strict=True) if n not in moments},
                    sort_keys=True,
                    default=str,
                    ensure_ascii=False,
                )
                for row in cursor.fetchall()
            )
            tables[table] = {
                "columns": {column.name: [str(part) for part in column] for column in description},
                "constraints": constraints,
                "rows": rows,
            }
    return tables


if __name__ == "__main__":
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wuwei.settings")
    django.setup()

    from django.db import connection

    from wuwei.core import schema

    built = schema.migrate()
    result = {"built": built, "tables": describe(connection)}
    Path(sys.argv[1]).write_text(json.dumps(result, ensure_ascii=False))
