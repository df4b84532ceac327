"""`wuwei snapshot [--week 2027-W03 | --date YYYY-MM-DD]`: record the win rate of every open
opportunity for an ISO week (default: this week) and notify the week's change events (§4.6).
Idempotent: a second run in the same week creates nothing; `--if-needed` does not even open a
write transaction when nothing is missing. See README "Scheduled jobs"."""

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from wuwei.methodology.presales import iso_week
from wuwei.opportunities.winning.selectors import week_monday
from wuwei.opportunities.winning.snapshots import (
    DEFAULT_BATCH,
    parse_week,
    snapshot_needed,
    snapshot_week,
)


def _week(value: str) -> date:
    try:
        return parse_week(value)
    except ValueError as exc:
        raise CommandError(str(exc)) from None


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"not a date like 2027-01-18: {value!r}") from None


class Command(BaseCommand):
    help = "Snapshot the win rate of every open opportunity for an ISO week (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        which = parser.add_mutually_exclusive_group()
        which.add_argument("--week", help="ISO week, e.g. 2027-W03 (default: this week)")
        which.add_argument("--date", help="any day of the week, YYYY-MM-DD")
        parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH)
        parser.add_argument(
            "--if-needed",
            action="store_true",
            help="only when a deal lacks the week's row or a move is not recorded (hourly cron)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        if options["week"]:
            as_of = _week(options["week"])
        elif options["date"]:
            as_of = _day(options["date"])
        else:
            as_of = today
        if week_monday(as_of) > week_monday(today):
            raise CommandError(f"Week {iso_week(as_of)} has not started yet.")
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1.")
        if options["if_needed"] and not snapshot_needed(as_of=as_of):
            self.stdout.write(f"Week {iso_week(as_of)}: nothing to do.")
            return
        result = snapshot_week(as_of=as_of, batch_size=options["batch_size"])
        self.stdout.write(
            f"Week {iso_week(result.week)} (from {result.week.isoformat()}): "
            f"{result.created} snapshots created, {result.already_present} already present, "
            f"{result.change_events} change events."
        )
