"""Handover (METHOD.md §3.5): open coaching action items move to the successor."""

from django.utils.translation import gettext_lazy as _

from wuwei.coaching.models import ActionStatus, CoachingAction
from wuwei.org.handover import owner_step, register_step


def register() -> None:
    register_step(
        "coaching_actions",
        _("Open coaching actions"),
        *owner_step(CoachingAction, "owner", status=ActionStatus.OPEN),
    )
