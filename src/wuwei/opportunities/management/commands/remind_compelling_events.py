"""`wuwei remind_compelling_events [--date YYYY-MM-DD]`: tell deal owners which compelling
events are due for re-evaluation (METHOD.md §4.3). Idempotent; the scheduler runs it too."""

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from wuwei.opportunities.winning.reminders import reevaluation_reminders


class Command(BaseCommand):
    help = "Remind deal owners of compelling events due for re-evaluation (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="as of this day, YYYY-MM-DD (default: today)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            as_of = date.fromisoformat(options["date"]) if options["date"] else None
        except ValueError:
            raise CommandError(f"not a date like 2027-01-18: {options['date']!r}") from None
        created = reevaluation_reminders(as_of=as_of or timezone.localdate())
        self.stdout.write(f"{created} re-evaluation reminders sent.")
