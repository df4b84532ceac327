"""Coaching hand-off notifications (issue 14): an action item reaches its owner when a review
assigns it, and again once when it is overdue (per action and due date, so moving the due
date re-arms the reminder). Never the reviewer who assigned it to themselves."""

from datetime import date, datetime
from functools import partial

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from wuwei.coaching.models import ActionStatus, CoachingAction
from wuwei.notifications.recipients import audience
from wuwei.notifications.services import Draft, notify_many
from wuwei.org.models import User

KIND_ASSIGNED = "coaching_action"
KIND_OVERDUE = "coaching_action_overdue"
_CHUNK = 500


def action_url(action: CoachingAction) -> str:
    return reverse("opportunities:detail", args=[action.opportunity_id]) + "#coaching"


def _assigned_title(action: str) -> str:
    return gettext("Coaching action for you: %(action)s") % {"action": action}


def _assigned_body(reviewer: str, deal: str, due: str) -> str:
    return gettext("%(reviewer)s asked you to act on %(deal)s by %(due)s.") % {
        "reviewer": reviewer,
        "deal": deal,
        "due": due,
    }


def actions_assigned(actions: list[CoachingAction], *, actor: User) -> int:
    drafts = [
        Draft(
            recipients=audience([action.owner], actor=actor, record=action),
            kind=KIND_ASSIGNED,
            title=partial(_assigned_title, action.title),
            body=partial(
                _assigned_body, str(actor), action.opportunity.name, action.due.isoformat()
            ),
            url=action_url(action),
            key=f"{KIND_ASSIGNED}:{action.pk}",
            opportunity_id=action.opportunity_id,
        )
        for action in actions
    ]
    return notify_many(drafts)


def _overdue_title(action: str) -> str:
    return gettext("Coaching action overdue: %(action)s") % {"action": action}


def _overdue_body(deal: str, due: str) -> str:
    return gettext("The coaching action on %(deal)s was due on %(due)s.") % {
        "deal": deal,
        "due": due,
    }


def overdue_actions(*, as_of: date) -> int:
    """Notify the owner of each open action due before `as_of`, once per action and due
    date. Owners always see their own actions, so no visibility check is needed here."""
    rows = (
        CoachingAction.objects.filter(
            status=ActionStatus.OPEN, due__lt=as_of, archived_at__isnull=True
        )
        .select_related("owner", "opportunity")
        .order_by("pk")
    )
    created = 0
    drafts: list[Draft] = []
    for action in rows.iterator(chunk_size=_CHUNK):
        drafts.append(
            Draft(
                recipients=audience([action.owner], actor=None),
                kind=KIND_OVERDUE,
                title=partial(_overdue_title, action.title),
                body=partial(_overdue_body, action.opportunity.name, action.due.isoformat()),
                url=action_url(action),
                key=f"{KIND_OVERDUE}:{action.pk}:{action.due.isoformat()}",
                opportunity_id=action.opportunity_id,
            )
        )
        if len(drafts) >= _CHUNK:
            created += notify_many(drafts)
            drafts = []
    return created + notify_many(drafts)


def scheduled_overdue(now: datetime) -> int:
    return overdue_actions(as_of=timezone.localdate(now))
