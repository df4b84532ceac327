"""`wuwei remind_coaching_actions [--date YYYY-MM-DD]`: tell owners of overdue coaching
actions, once per action and due date (issue 14). Idempotent; the scheduler runs it too."""

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from wuwei.coaching.notices import overdue_actions


class Command(BaseCommand):
    help = "Remind owners of overdue coaching actions (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="as of this day, YYYY-MM-DD (default: today)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            as_of = date.fromisoformat(options["date"]) if options["date"] else None
        except ValueError:
            raise CommandError(f"not a date like 2027-01-18: {options['date']!r}") from None
        created = overdue_actions(as_of=as_of or timezone.localdate())
        self.stdout.write(f"{created} overdue coaching action reminders sent.")
