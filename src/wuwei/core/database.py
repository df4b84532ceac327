"""Database reachability: fail fast with a sentence a person understands, never a hang."""

from typing import Any

from django.core.management.base import CommandError
from django.db import DatabaseError, connection


def database_label(settings_dict: dict[str, Any] | None = None) -> str:
    """Where the database is, without its password (for messages and logs)."""
    db = settings_dict or connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"SQLite {db['NAME']}"
    host = db.get("HOST") or "localhost"
    port = db.get("PORT") or ""
    return f"{db['ENGINE'].rsplit('.', 1)[-1]} {host}{':' if port else ''}{port}/{db['NAME']}"


def database_ok() -> bool:
    """One round trip: True when the database answers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return False
    return True


def require_database() -> None:
    """Raise a CommandError naming the database (not its password) when it cannot be reached."""
    try:
        connection.ensure_connection()
    except DatabaseError as exc:
        raise CommandError(unreachable_message(exc)) from None


def unreachable_message(exc: BaseException) -> str:
    first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return (
        f"The database cannot be reached ({database_label()}): {first_line}. "
        "Check DATABASE_URL and that the database server is running."
    )
