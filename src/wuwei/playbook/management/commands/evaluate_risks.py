"""`wuwei evaluate_risks`: the nightly PRM evaluation (METHOD.md §6) — record when each risk
rule started firing on each open deal and notify owners of newly fired high-severity rules,
once per deal and rule. Idempotent; the scheduler runs it daily too (README "Scheduled jobs")."""

from typing import Any

from django.core.management.base import BaseCommand

from wuwei.playbook.services import risk_refresh


class Command(BaseCommand):
    help = "Evaluate the risk rules on every open opportunity and notify new high risks."

    def handle(self, *args: Any, **options: Any) -> None:
        new = risk_refresh()
        self.stdout.write(f"{new} new risk findings.")
