"""Handover (METHOD.md §3.5) of the stages a leaver is accountable for (§5.3): registered
with org's handover registry from SupportConfig.ready()."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wuwei.org.handover import register_step
from wuwei.org.models import User
from wuwei.support.models import StageOwner


def _stage_terms_count(user: User) -> int:
    return StageOwner.objects.filter(owner=user, left_at__isnull=True).count()


def _stage_terms_move(user: User, successor: User, actor: User) -> list[int]:
    """Each open stage term ends and the successor's begins (the §5.3 audit keeps both)."""
    now = timezone.now()
    terms = list(StageOwner.objects.select_for_update().filter(owner=user, left_at__isnull=True))
    StageOwner.objects.filter(pk__in=[t.pk for t in terms]).update(left_at=now)
    StageOwner.objects.bulk_create(
        StageOwner(
            opportunity_id=t.opportunity_id,
            stage=t.stage,
            owner=successor,
            assigned_by=actor,
            reason="handover",
        )
        for t in terms
    )
    return [t.opportunity_id for t in terms]


def register() -> None:
    register_step(
        "stage_owners", _("Stage ownership of open deals"), _stage_terms_count, _stage_terms_move
    )
