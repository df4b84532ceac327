"""`wuwei win_rate_digest [--date YYYY-MM-DD]`: the managers' digest of the automatic
win-rate moves recorded on one day (default: yesterday), one message per manager and day
(issue 14). Idempotent; the scheduler runs it too."""

from datetime import date, timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from wuwei.opportunities.winning.digest import manager_digest


class Command(BaseCommand):
    help = "Send managers the daily digest of win-rate moves (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="the day of the moves, YYYY-MM-DD (default: yesterday)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            day = date.fromisoformat(options["date"]) if options["date"] else None
        except ValueError:
            raise CommandError(f"not a date like 2027-01-18: {options['date']!r}") from None
        created = manager_digest(day=day or timezone.localdate() - timedelta(days=1))
        self.stdout.write(f"{created} win-rate digests sent.")
