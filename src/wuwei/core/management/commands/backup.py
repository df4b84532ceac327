from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from wuwei.core.backup import backup


class Command(BaseCommand):
    help = (
        "Write the whole database (history included) to FILE, a portable zip that "
        "`wuwei restore` reads onto SQLite or PostgreSQL."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the backup file to write, e.g. wuwei-backup.zip")
        parser.add_argument("--overwrite", action="store_true", help="replace an existing file")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if path.exists() and not options["overwrite"]:
            raise CommandError(f"{path} exists; choose another name or add --overwrite.")
        if not path.parent.is_dir():
            raise CommandError(f"The folder {path.parent} does not exist.")
        verbose = options["verbosity"] >= 2

        def on_table(label: str, rows: int) -> None:
            if verbose:
                self.stdout.write(f"  {label}: {rows} rows")

        summaries = backup(path, on_table=on_table)
        total = sum(s.rows for s in summaries)
        if options["verbosity"] >= 1:
            self.stdout.write(
                self.style.SUCCESS(f"Backed up {len(summaries)} tables, {total} rows, to {path}.")
            )
