import zipfile
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from wuwei.core.backup import restore
from wuwei.core.errors import DomainError


class Command(BaseCommand):
    help = (
        "Replace this database's contents with a backup written by `wuwei backup` (from SQLite "
        "or PostgreSQL). Refuses a database that holds data unless --force."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the backup file")
        parser.add_argument(
            "--force", action="store_true", help="replace a database that already holds data"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path} does not exist.")
        verbose = options["verbosity"] >= 2

        def on_table(label: str, rows: int) -> None:
            if verbose:
                self.stdout.write(f"  {label}: {rows} rows")

        def migrate_forward() -> None:
            call_command("migrate", interactive=False, verbosity=0)

        try:
            summaries = restore(
                path, force=options["force"], on_table=on_table, migrate_forward=migrate_forward
            )
        except zipfile.BadZipFile as exc:
            raise CommandError(f"{path} is not a Wuwei backup (not a zip file).") from exc
        except DomainError as exc:
            raise CommandError(exc.detail) from exc
        total = sum(s.rows for s in summaries)
        if options["verbosity"] >= 1:
            self.stdout.write(
                self.style.SUCCESS(f"Restored {len(summaries)} tables, {total} rows, from {path}.")
            )
