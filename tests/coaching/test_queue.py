"""The coaching queue (METHOD.md §4.10): only deals that changed since their last review."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.coaching.helpers import (
    add_event,
    ago,
    fresh,
    make_deal,
    review,
    set_win_rate,
    snapshot,
)
from tests.factories import make_account, make_user
from wuwei.coaching.changes import Change, register_change_source
from wuwei.coaching.changes import _sources as change_sources
from wuwei.coaching.selectors import coaching_queue
from wuwei.core import services as core_services
from wuwei.opportunities.services import opportunity_archive, opportunity_move_stage
from wuwei.org.models import Role


def _queue(user, **kwargs):
    return {item.opportunity.pk: item for item in coaching_queue(user=user, **kwargs).items}


def _kinds(item):
    return [(c.kind, c.old, c.new) for c in item.changes]


@pytest.fixture
def deal(org):
    """A deal of the manager's rep, reviewed 10 days ago at win rate 40."""
    deal = make_deal(org.rep, make_account(org.rep), name="Core upgrade")
    set_win_rate(deal, 40)
    review(org.manager, deal, at=ago(10))
    return fresh(deal)


def test_no_change_since_review_is_absent(org, deal):
    assert _queue(org.manager) == {}


def test_win_rate_moved_is_listed_with_from_and_to(org, deal):
    set_win_rate(deal, 55)
    item = _queue(org.manager)[deal.pk]
    assert _kinds(item) == [("win_rate", 40, 55)]
    assert item.changes[0].message == "Win rate moved from 40 % to 55 %"


def test_becoming_not_rated_counts_as_a_move(org, deal):
    set_win_rate(deal, None)
    item = _queue(org.manager)[deal.pk]
    assert item.changes[0].message == "Win rate moved from 40 % to not rated"


def test_stage_changed_is_listed(org, deal):
    moved_at = ago(2)
    opportunity_move_stage(user=org.rep, opportunity=deal, to="initiate", at=moved_at)
    item = _queue(org.manager)[deal.pk]
    assert _kinds(item) == [("stage", "validate", "initiate")]
    assert item.changes[0].message == "Stage moved from Validate to Initiate"
    assert item.changes[0].at == moved_at


def test_stage_history_before_the_review_does_not_count(org):
    deal = make_deal(org.rep, make_account(org.rep))
    opportunity_move_stage(user=org.rep, opportunity=deal, to="initiate", at=ago(20))
    review(org.manager, deal, at=ago(10))
    assert _queue(org.manager) == {}


def test_compelling_event_added_after_review_is_listed(org, deal):
    add_event(deal, "Go-live set by the CIO")
    item = _queue(org.manager)[deal.pk]
    assert [(c.kind, c.message) for c in item.changes] == [
        ("compelling_event", "Compelling event added: Go-live set by the CIO")
    ]


def test_compelling_event_edited_after_review_is_listed(org):
    deal = make_deal(org.rep, make_account(org.rep))
    event = add_event(deal, "Budget approved")
    review(org.manager, deal)  # now: the event is older than the review
    assert _queue(org.manager) == {}
    core_services.update_fields(
        event, user=org.rep, changes={"evidence": "minutes"}, expected_version=event.version
    )
    item = _queue(org.manager)[deal.pk]
    assert [c.message for c in item.changes] == ["Compelling event changed: Budget approved"]


def test_compelling_event_removed_after_review_is_listed(org):
    deal = make_deal(org.rep, make_account(org.rep))
    event = add_event(deal, "Budget approved")
    review(org.manager, deal)
    core_services.archive(event, user=org.rep)
    item = _queue(org.manager)[deal.pk]
    assert [c.message for c in item.changes] == ["Compelling event removed: Budget approved"]


def test_a_review_clears_the_deal(org, deal):
    set_win_rate(deal, 55)
    opportunity_move_stage(user=org.rep, opportunity=deal, to="initiate", at=ago(1))
    add_event(deal)
    assert [c.kind for c in _queue(org.manager)[deal.pk].changes] == [
        "stage",
        "compelling_event",
        "win_rate",
    ]
    stored = review(org.manager, deal)
    assert (stored.win_rate_at_review, stored.stage_at_review) == (55, "initiate")
    assert _queue(org.manager) == {}


def test_any_reviewers_review_clears_the_deal_for_every_manager(org, deal):
    set_win_rate(deal, 60)
    assert deal.pk in _queue(org.manager_above)
    review(org.manager, deal)
    assert _queue(org.manager_above) == {}


def test_never_reviewed_new_deal_is_listed(org):
    deal = make_deal(org.rep, make_account(org.rep), at=ago(3))
    item = _queue(org.manager)[deal.pk]
    assert _kinds(item) == [("stage", None, "validate")]
    assert item.changes[0].message == "New deal, in stage Validate"
    assert item.last_reviewed_at is None


def test_never_reviewed_deal_with_a_moved_win_rate_is_listed(org):
    deal = make_deal(org.rep, make_account(org.rep))
    snapshot(deal, 21, 30)  # before the 14-day look-back: the baseline
    snapshot(deal, 7, 50)
    set_win_rate(deal, 50)
    assert _kinds(_queue(org.manager)[deal.pk]) == [("win_rate", 30, 50)]


def test_never_reviewed_deal_without_changes_in_the_look_back_is_absent(org):
    deal = make_deal(org.rep, make_account(org.rep))
    snapshot(deal, 21, 30)
    set_win_rate(deal, 30)
    add_event(deal)
    later = timezone.now() + timedelta(days=20)  # everything above is older than 14 days
    assert _queue(org.manager, as_of=later) == {}
    assert deal.pk in _queue(org.manager, as_of=later, lookback_days=30)


def test_other_managers_team_and_own_deals_are_not_listed(org):
    north_rep = make_user("north_rep", team=org.north_ka)
    north = make_deal(north_rep, make_account(north_rep), at=ago(1))
    mine = make_deal(org.manager, make_account(org.manager), at=ago(1))
    ours = make_deal(org.rep, make_account(org.rep), at=ago(1))
    assert set(_queue(org.manager)) == {ours.pk}
    assert set(_queue(org.manager_above)) == {ours.pk, mine.pk}
    assert set(_queue(org.other_manager)) == {north.pk}
    assert _queue(org.rep) == {} and _queue(org.peer_rep) == {} and _queue(org.partner) == {}


def test_closed_and_archived_deals_are_not_listed(org):
    account = make_account(org.rep)
    archived = make_deal(org.rep, account, at=ago(1))
    opportunity_archive(user=org.rep, opportunity=archived)
    lost = make_deal(org.rep, account, at=ago(1))
    opportunity_move_stage(user=org.rep, opportunity=lost, to="lost", reason="price")
    assert _queue(org.manager) == {}


def test_executives_see_big_projects_by_default(org):
    account = make_account(org.rep)
    big = make_deal(org.rep, account, amount=8_000_000, at=ago(1))
    small = make_deal(org.rep, account, amount=100_000, at=ago(1))
    assert (fresh(big).grade, fresh(small).grade) == ("A", "D")
    assert set(_queue(org.executive)) == {big.pk}
    assert set(_queue(org.executive, grades=())) == {big.pk, small.pk}
    assert set(_queue(org.manager)) == {big.pk, small.pk}


def test_most_important_first_with_open_actions(org):
    account = make_account(org.rep)
    small = make_deal(org.rep, account, amount=100_000, at=ago(1))
    big = make_deal(org.rep, account, amount=8_000_000, at=ago(1))
    middle = make_deal(org.rep, account, amount=7_000_000, at=ago(1))
    due = timezone.localdate() + timedelta(days=7)
    review(org.manager, middle, actions=[("Call the CFO", org.rep, due), ("Demo", org.rep, due)])
    set_win_rate(middle, 20)
    items = coaching_queue(user=org.manager).items
    assert [i.opportunity.pk for i in items] == [big.pk, middle.pk, small.pk]
    assert [i.open_actions for i in items] == [0, 2, 0]
    assert items[1].last_reviewed_at is not None


def test_pages_of_the_queue_follow_importance(org):
    account = make_account(org.rep)
    deals = [make_deal(org.rep, account, amount=1_000 * (i + 1), at=ago(1)) for i in range(5)]
    first = coaching_queue(user=org.manager, limit=2)
    second = coaching_queue(user=org.manager, limit=2, cursor=first.next)
    third = coaching_queue(user=org.manager, limit=2, cursor=second.next)
    ids = [i.opportunity.pk for page in (first, second, third) for i in page.items]
    assert ids == [d.pk for d in reversed(deals)]
    assert (first.count, third.next) == (5, None)


def test_a_registered_source_adds_its_changes(org, deal):
    def risk(windows, as_of):
        return {w.opportunity_id: [Change("risk", "No inside source", as_of)] for w in windows}

    register_change_source("risk", risk)
    try:
        item = _queue(org.manager)[deal.pk]
    finally:
        change_sources.pop("risk")
    assert [(c.kind, c.message) for c in item.changes] == [("risk", "No inside source")]


def _team_of_deals(org, count):
    """`count` deals: reviewed and unchanged, reviewed then moved, never reviewed."""
    account = make_account(org.rep)
    for index in range(count):
        deal = make_deal(org.rep, account, amount=10_000 * (index + 1))
        set_win_rate(deal, 30)
        snapshot(deal, 21, 20)
        if index % 3 == 0:
            review(org.manager, deal, at=ago(10))
            add_event(deal)
        elif index % 3 == 1:
            review(org.manager, deal, at=ago(10))


def test_the_queue_costs_the_same_queries_for_2_and_20_deals(org, django_assert_num_queries):
    _team_of_deals(org, 3)
    manager = type(org.manager).objects.get(pk=org.manager.pk)
    # roles and team of the viewer 2, candidates 1, sources 3 (win rate, stage, events), page 1
    with django_assert_num_queries(7):
        small = coaching_queue(user=manager)
    _team_of_deals(org, 27)
    manager = type(org.manager).objects.get(pk=org.manager.pk)
    with django_assert_num_queries(7):
        large = coaching_queue(user=manager)
    assert (small.count, large.count) == (2, 20)


def test_executive_queue_query_count(org, django_assert_num_queries):
    _team_of_deals(org, 3)
    executive = make_user("exec2", roles=[Role.EXECUTIVE], team=org.company)
    with django_assert_num_queries(6):  # no team path to read
        assert coaching_queue(user=executive, grades=()).count == 2
