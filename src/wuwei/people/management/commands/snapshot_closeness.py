"""`wuwei snapshot_closeness [--as-of YYYY-MM-DD]`: store today's closeness index (§3.4) for
every account and open opportunity with a map, so the series has a point on quiet days too
(ESP+ monitoring reads it). Run it weekly or daily (cron)."""

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from wuwei.opportunities.models import OPEN_STAGES
from wuwei.people.models import Contact, DecisionParticipant
from wuwei.people.services import closeness_record_account, closeness_record_opportunity


class Command(BaseCommand):
    help = "Record the closeness index of every mapped account and open opportunity."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as-of", type=date.fromisoformat, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        as_of = options["as_of"]
        accounts = Contact.objects.filter(
            archived_at__isnull=True, account__archived_at__isnull=True
        ).values_list("account_id", flat=True)
        opportunities = DecisionParticipant.objects.filter(
            opportunity__stage__in=OPEN_STAGES, opportunity__archived_at__isnull=True
        ).values_list("opportunity_id", flat=True)
        account_ids = sorted(set(accounts))
        opportunity_ids = sorted(set(opportunities))
        for account_id in account_ids:
            closeness_record_account(account_id=account_id, as_of=as_of)
        for opportunity_id in opportunity_ids:
            closeness_record_opportunity(opportunity_id=opportunity_id, as_of=as_of)
        self.stdout.write(
            f"Closeness recorded for {len(account_ids)} accounts and "
            f"{len(opportunity_ids)} opportunities."
        )
