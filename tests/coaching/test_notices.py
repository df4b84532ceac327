"""Coaching actions reach their owner when assigned and once when overdue (issue 14)."""

from datetime import timedelta

from django.utils import timezone

from tests.coaching.helpers import make_deal, review
from tests.factories import make_account
from wuwei.coaching import notices
from wuwei.coaching.models import CoachingAction
from wuwei.core.scheduler import registered_jobs
from wuwei.notifications.models import Notification


def test_assigned_action_notifies_its_owner_not_the_reviewer(org):
    deal = make_deal(org.rep, make_account(org.rep))
    due = timezone.localdate() + timedelta(days=7)
    review(org.manager, deal, actions=[("Meet the CFO", org.rep, due), ("Call", org.manager, due)])
    notes = Notification.objects.filter(kind=notices.KIND_ASSIGNED)
    assert [(n.recipient.username, n.url) for n in notes] == [
        ("rep", f"/opportunities/{deal.pk}/#coaching")
    ]
    assert "Meet the CFO" in notes[0].title
    assert not Notification.objects.filter(recipient__in=[org.peer_rep, org.partner]).exists()


def test_overdue_action_notifies_once_per_action_and_due_date(org):
    deal = make_deal(org.rep, make_account(org.rep))
    today = timezone.localdate()
    review(org.manager, deal, actions=[("Send the proposal", org.rep, today + timedelta(days=1))])
    action = CoachingAction.objects.get()
    assert notices.overdue_actions(as_of=today) == 0  # not yet overdue
    later = today + timedelta(days=3)
    assert notices.overdue_actions(as_of=later) == 1
    assert notices.overdue_actions(as_of=later) == 0  # second run: nothing new
    assert notices.overdue_actions(as_of=later + timedelta(days=1)) == 0
    # a new due date re-arms the reminder
    CoachingAction.objects.filter(pk=action.pk).update(due=today + timedelta(days=5))
    assert notices.overdue_actions(as_of=today + timedelta(days=9)) == 1
    overdue = Notification.objects.filter(kind=notices.KIND_OVERDUE)
    assert set(overdue.values_list("recipient__username", flat=True)) == {"rep"}
    # done actions are not reminded
    CoachingAction.objects.update(status="done")
    assert notices.overdue_actions(as_of=today + timedelta(days=30)) == 0


def test_overdue_job_is_registered():
    assert "coaching_overdue_actions" in {job.name for job in registered_jobs()}


def test_reassigned_action_notifies_the_new_owner(org):
    from wuwei.coaching.services import action_update

    deal = make_deal(org.rep, make_account(org.rep))
    due = timezone.localdate() + timedelta(days=7)
    review(org.manager_above, deal, actions=[("Meet the CFO", org.rep, due)])
    action = CoachingAction.objects.get()
    action_update(
        user=org.manager_above,
        action=action,
        changes={"owner": org.manager},
        expected_version=action.version,
    )
    owners = Notification.objects.filter(kind=notices.KIND_ASSIGNED)
    assert sorted(owners.values_list("recipient__username", flat=True)) == ["manager", "rep"]
