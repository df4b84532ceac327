"""Handover (METHOD.md §3.5): open coaching action items move to the successor."""

from django.utils.translation import gettext_lazy as _
from simple_history.utils import bulk_update_with_history

from wuwei.coaching.models import ActionStatus, CoachingAction
from wuwei.org.handover import register_step
from wuwei.org.models import User


def count(user: User) -> int:
    return int(CoachingAction.objects.filter(owner=user, status=ActionStatus.OPEN).count())


def reassign(user: User, successor: User, actor: User) -> list[int]:
    rows = list(
        CoachingAction.objects.select_for_update()
        .filter(owner=user, status=ActionStatus.OPEN)
        .order_by("pk")
    )
    for row in rows:
        row.owner = successor
        row.version += 1
    bulk_update_with_history(
        rows,
        CoachingAction,
        ["owner", "version"],
        default_user=actor,
        default_change_reason="handover",
    )
    return [row.pk for row in rows]


def register() -> None:
    register_step("coaching_actions", _("Open coaching actions"), count, reassign)
