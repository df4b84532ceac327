"""Handover (§3.5): a leaver's planned deal tactics go to the successor, like plan actions."""

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from simple_history.utils import bulk_update_with_history

from wuwei.opportunities.models import DealTactic, TacticStatus
from wuwei.org.handover import register_step
from wuwei.org.models import User


def _open(user: User) -> QuerySet[DealTactic]:
    return DealTactic.objects.filter(
        owner=user, status=TacticStatus.PLANNED, archived_at__isnull=True
    )


def count(user: User) -> int:
    return int(_open(user).count())


def reassign(user: User, successor: User, actor: User) -> list[int]:
    rows = list(_open(user).select_for_update().order_by("pk"))
    for row in rows:
        row.owner = successor
        row.version += 1
    bulk_update_with_history(
        rows, DealTactic, ["owner", "version"], default_user=actor, default_change_reason="handover"
    )
    return [row.pk for row in rows]


def register() -> None:
    register_step("deal_tactics", _("Planned deal tactics"), count, reassign)
