"""Handover (§3.5): a leaver's planned deal tactics go to the successor, like plan actions."""

from django.utils.translation import gettext_lazy as _

from wuwei.opportunities.models import DealTactic, TacticStatus
from wuwei.org.handover import owner_step, register_step


def register() -> None:
    register_step(
        "deal_tactics",
        _("Planned deal tactics"),
        *owner_step(DealTactic, "owner", status=TacticStatus.PLANNED, archived_at__isnull=True),
    )
