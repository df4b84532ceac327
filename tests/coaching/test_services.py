"""Review and action services: who may review, what is stored, validation, concurrency."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.coaching.helpers import add_event, fresh, make_deal, review, set_win_rate
from tests.factories import make_account
from wuwei.coaching import services
from wuwei.coaching.models import CoachingAction, CoachingReview
from wuwei.core.errors import Conflict, NotAllowed, NotFound, ValidationFailed
from wuwei.opportunities.services import opportunity_archive, opportunity_member_set
from wuwei.org import handover

DUE = timezone.localdate() + timedelta(days=7)


@pytest.fixture
def deal(org):
    deal = make_deal(org.rep, make_account(org.rep), name="Core upgrade")
    return set_win_rate(deal, 40)


@pytest.mark.parametrize("who", ["manager", "manager_above", "executive", "admin"])
def test_managers_above_the_owner_executives_and_admins_review(org, deal, who):
    stored = review(getattr(org, who), deal, actions=[("Call the CFO", org.rep, DUE)])
    assert (stored.win_rate_at_review, stored.stage_at_review) == (40, "validate")
    assert [(a.title, a.owner, a.due, a.status) for a in stored.actions.all()] == [
        ("Call the CFO", org.rep, DUE, "open")
    ]
    assert stored.history.get().history_user == getattr(org, who)


def test_the_rep_cannot_review_their_own_deal(org, deal):
    with pytest.raises(NotAllowed):
        review(org.rep, deal)
    assert CoachingReview.objects.count() == 0


def test_a_deal_team_member_sees_the_deal_but_cannot_review(org, deal):
    opportunity_member_set(user=org.rep, opportunity=deal, member=org.peer_rep, role="presales")
    with pytest.raises(NotAllowed):
        review(org.peer_rep, deal)


def test_a_manager_cannot_review_their_own_deal(org):
    mine = make_deal(org.manager, make_account(org.manager))
    with pytest.raises(NotAllowed):
        review(org.manager, mine)
    review(org.manager_above, mine)


@pytest.mark.parametrize("who", ["other_manager", "peer_rep", "partner"])
def test_outsiders_get_not_found(org, deal, who):
    with pytest.raises(NotFound):
        review(getattr(org, who), deal)
    assert CoachingReview.objects.count() == 0


def test_an_archived_deal_is_not_reviewed(org, deal):
    opportunity_archive(user=org.rep, opportunity=deal)
    with pytest.raises(Conflict):
        review(org.manager, deal)


def test_comments_and_every_action_field_are_checked_at_once(org, deal):
    yesterday = timezone.localdate() - timedelta(days=1)
    with pytest.raises(ValidationFailed) as raised:
        services.review_create(
            user=org.manager,
            opportunity=deal,
            comments="  ",
            actions=[
                ("", org.rep, DUE),
                ("Meet the CIO", org.other_manager, yesterday),
                ("Send the offer", org.partner, None),
            ],
        )
    assert raised.value.errors == [
        ("comments", "This field is required."),
        ("actions.0.title", "This field is required."),
        ("actions.1.owner", "This person cannot see the deal."),
        ("actions.1.due", "The due date is in the past."),
        ("actions.2.owner", "Choose an active person of the company."),
        ("actions.2.due", "This field is required."),
    ]
    assert (CoachingReview.objects.count(), CoachingAction.objects.count()) == (0, 0)


def _action(org, deal):
    stored = review(org.manager, deal, actions=[("Call the CFO", org.rep, DUE)])
    return stored.actions.get()


def test_the_owner_ticks_an_action_done_and_a_reviewer_reopens_it(org, deal):
    action = _action(org, deal)
    done = services.action_done(user=org.rep, action=action, expected_version=1)
    assert (done.status, done.done_at is not None, done.version) == ("done", True, 2)
    reopened = services.action_update(
        user=org.manager, action=done, changes={"status": "open"}, expected_version=2
    )
    assert (reopened.status, reopened.done_at) == ("open", None)


def test_the_owner_changes_only_the_status(org, deal):
    action = _action(org, deal)
    with pytest.raises(NotAllowed):
        services.action_update(
            user=org.rep, action=action, changes={"title": "Skip it"}, expected_version=1
        )
    assert fresh_action(action).title == "Call the CFO"


def fresh_action(action):
    return CoachingAction.objects.get(pk=action.pk)


def test_a_reviewer_reassigns_but_only_to_someone_who_sees_the_deal(org, deal):
    action = _action(org, deal)
    with pytest.raises(ValidationFailed) as raised:
        services.action_update(
            user=org.manager,
            action=action,
            changes={"owner": org.other_manager},
            expected_version=1,
        )
    assert raised.value.errors == [("owner", "This person cannot see the deal.")]
    moved = services.action_update(
        user=org.manager, action=action, changes={"owner": org.manager}, expected_version=1
    )
    assert moved.owner == org.manager


def test_a_stale_version_changes_nothing(org, deal):
    action = _action(org, deal)
    services.action_done(user=org.rep, action=action, expected_version=1)
    with pytest.raises(Conflict):
        services.action_update(
            user=org.manager, action=action, changes={"status": "open"}, expected_version=1
        )
    assert fresh_action(action).status == "done"


def test_others_who_see_the_deal_cannot_change_an_action(org, deal):
    action = _action(org, deal)
    opportunity_member_set(user=org.rep, opportunity=deal, member=org.peer_rep, role="presales")
    with pytest.raises(NotAllowed):
        services.action_done(user=org.peer_rep, action=action, expected_version=1)


def test_handover_moves_open_actions(org, deal):
    action = _action(org, deal)
    done = review(org.manager, deal, actions=[("Old", org.rep, DUE)]).actions.get()
    services.action_done(user=org.rep, action=done, expected_version=1)
    assert {p.key: p.count for p in handover.handover_pending(org.rep)}["coaching_actions"] == 1
    step = next(s for s in handover.handover_steps() if s.key == "coaching_actions")
    assert step.reassign(org.rep, org.peer_rep, org.manager) == [action.pk]
    assert fresh_action(action).owner == org.peer_rep
    assert fresh_action(done).owner == org.rep


def test_the_review_records_what_the_reviewer_saw(org, deal):
    add_event(deal)
    set_win_rate(deal, 55)
    stored = review(org.manager, fresh(deal))
    assert (stored.win_rate_at_review, stored.stage_at_review) == (55, "validate")
