"""`wuwei recompute_interaction [--as-of YYYY-MM-DD]`: re-derive every interaction level
(METHOD.md §3.2). The 180/90-day windows move with time, so run it daily (cron)."""

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from wuwei.people.services import interaction_recompute_all


class Command(BaseCommand):
    help = "Re-derive every contact's and decision-map participant's interaction level."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as-of", type=date.fromisoformat, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        changed = interaction_recompute_all(as_of=options["as_of"])
        self.stdout.write(f"{changed} interaction levels changed.")
