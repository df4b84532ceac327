"""Winning-engine services: compelling events, questionnaires, adjustments, win_rate_refresh
(METHOD.md §4.3, §4.5, §4.6)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from tests.opportunities.winning import AT, add_event, adjust, answer, make_deal, stored_win_rate
from wuwei.core.config import method_config
from wuwei.core.errors import Conflict, NotAllowed, ValidationFailed
from wuwei.methodology.presales import iso_week
from wuwei.notifications.models import Notification
from wuwei.opportunities.models import Opportunity, Questionnaire, WinRateChange, WinRateSnapshot
from wuwei.opportunities.services import opportunity_move_stage, opportunity_update
from wuwei.opportunities.winning import selectors, services


@pytest.fixture(autouse=True)
def english():
    """Messages are compared in English, whatever the default language."""
    with translation.override("en"):
        yield


# ----------------------------------------------------------------------------------------
# compelling events


def test_event_reevaluation_date_follows_the_rule_and_confirming_records_who_and_when(org):
    deal, _rivals = make_deal(org.rep)
    # no date: 30 days on; a date next week: that date
    plain = add_event(deal, org.rep, confirmed=False, at=AT)
    soon = add_event(deal, org.rep, confirmed=False, event_date=date(2027, 1, 25), at=AT)
    assert (plain.reevaluate_on, soon.reevaluate_on) == (date(2027, 2, 19), date(2027, 1, 25))
    assert (plain.is_confirmed, plain.confirmed_by, plain.confirmed_at) == (False, None, None)

    later = AT + timedelta(days=3)
    confirmed = services.compelling_event_confirm(
        user=org.manager, event=plain, confirmed=True, expected_version=1, at=later
    )
    assert (confirmed.is_confirmed, confirmed.confirmed_by, confirmed.confirmed_at) == (
        True,
        org.manager,
        later,
    )
    # confirming is re-evaluating: the next look is 30 days from then
    assert (confirmed.version, confirmed.reevaluate_on) == (2, date(2027, 2, 22))
    withdrawn = services.compelling_event_confirm(
        user=org.rep, event=confirmed, confirmed=False, expected_version=2
    )
    assert (withdrawn.is_confirmed, withdrawn.confirmed_by, withdrawn.confirmed_at) == (
        False,
        None,
        None,
    )


def test_stale_event_version_is_409_and_changes_nothing(org):
    deal, _rivals = make_deal(org.rep)
    event = add_event(deal, org.rep, confirmed=False)
    services.compelling_event_update(
        user=org.rep, event=event, changes={"evidence": "Board minutes"}, expected_version=1
    )
    with pytest.raises(Conflict):
        services.compelling_event_update(
            user=org.manager, event=event, changes={"is_confirmed": True}, expected_version=1
        )
    event.refresh_from_db()
    assert (event.version, event.is_confirmed, event.evidence) == (2, False, "Board minutes")


def test_explicit_reevaluation_date_is_kept_and_an_empty_description_is_refused(org):
    deal, _rivals = make_deal(org.rep)
    event = add_event(deal, org.rep, reevaluate_on=date(2027, 1, 1), at=AT)
    assert event.reevaluate_on == date(2027, 1, 1)
    with pytest.raises(ValidationFailed) as refused:
        add_event(deal, org.rep, description="   ")
    assert [field for field, _m in refused.value.errors] == ["description"]


def test_only_deal_editors_write_events_and_closed_deals_refuse(org):
    deal, _rivals = make_deal(org.rep)
    with pytest.raises(NotAllowed):
        add_event(deal, org.presales)
    opportunity_move_stage(user=org.rep, opportunity=deal, to="lost", reason="Price")
    deal.refresh_from_db()
    with pytest.raises(Conflict, match="closed"):
        add_event(deal, org.rep)


# ----------------------------------------------------------------------------------------
# win rate refresh


def test_no_event_and_unconfirmed_event_leave_the_deal_not_rated(org):
    deal, (rival,) = make_deal(org.rep)
    # answers without any event: not rated, the questionnaire says why
    first = answer(deal, org.rep, (8, 7), [(rival, 3, 2)])
    assert (first.win_rate, stored_win_rate(deal)) == (None, None)
    assert first.explanation == [{"code": "no_compelling_event", "params": {}}]
    # an unconfirmed event changes nothing
    event = add_event(deal, org.rep, confirmed=False)
    assert stored_win_rate(deal) is None
    # confirming it rates the deal from the answers already given: 15 / (15 + 5) = 75 %
    services.compelling_event_confirm(
        user=org.rep, event=event, confirmed=True, expected_version=event.version
    )
    assert stored_win_rate(deal) == 75
    # archiving the only confirmed event takes the rating away again
    event.refresh_from_db()
    services.compelling_event_archive(user=org.rep, event=event)
    assert stored_win_rate(deal) is None


def test_confirmed_event_without_questionnaire_is_not_rated_with_its_own_reason(org):
    deal, _rivals = make_deal(org.rep)
    add_event(deal, org.rep)
    evaluation = selectors.win_rate_evaluate(opportunity=deal)
    assert (evaluation.win_rate, evaluation.reasons) == (
        None,
        [{"code": "no_questionnaire", "params": {}}],
    )
    assert stored_win_rate(deal) is None


def test_questionnaire_stores_the_win_rate_and_its_reasons(org):
    deal, (rival,) = make_deal(org.rep)
    add_event(deal, org.rep)
    # METHOD.md §4.6: one competitor, 15 / (15 + 5) = 75 %; no coach: 52.5 → 53
    with_coach = answer(deal, org.rep, (8, 7), [(rival, 3, 2)])
    without = answer(deal, org.rep, (8, 7), [(rival, 3, 2)], coach=False)
    assert (with_coach.win_rate, without.win_rate, stored_win_rate(deal)) == (75, 53, 53)
    assert without.explanation == [
        {"code": "strength", "params": {"strength": "15", "rank": 1, "parties": 2}},
        {
            "code": "compared_with_competitor",
            "params": {"position": 1, "competitor_id": rival.pk, "strength": "5"},
        },
        {"code": "raw_share", "params": {"strength": "15", "total": "20", "raw": "0.75"}},
        {"code": "no_inside_source", "params": {"factor": "0.7"}},
        {"code": "win_rate_rounded", "params": {"percent": "52.5", "win_rate": 53}},
    ]
    assert [(a.competitor, a.fit, a.closeness) for a in without.competitor_answers.all()] == [
        (rival, 3, 2)
    ]


def test_refresh_does_not_bump_the_deal_version_so_editors_get_no_409(org):
    deal, (rival,) = make_deal(org.rep)
    add_event(deal, org.rep)
    answer(deal, org.rep, (8, 7), [(rival, 3, 2)])
    reloaded = Opportunity.objects.get(pk=deal.pk)
    assert (reloaded.version, reloaded.win_rate) == (1, 75)
    # the rep who opened the edit form before the questionnaire still saves
    opportunity_update(
        user=org.rep, opportunity=deal, changes={"name": "Renamed"}, expected_version=1
    )


def test_manager_adjustment_wins_until_newer_rep_answers(org):
    deal, (first, second) = make_deal(org.rep, rivals=2)
    add_event(deal, org.rep)
    # rep: us 10 vs 12 and 8 → 10 / 30 = 33 %
    rep = answer(deal, org.rep, (5, 5), [(first, 6, 6), (second, 4, 4)])
    assert stored_win_rate(deal) == 33
    # manager: no coach really → 23 %; both versions kept
    adjusted = adjust(rep, org.manager, (5, 5), [(first, 6, 6), (second, 4, 4)], coach=False)
    assert (adjusted.role, adjusted.adjusts, adjusted.win_rate) == ("manager", rep, 23)
    assert stored_win_rate(deal) == 23
    assert Questionnaire.objects.filter(opportunity=deal).count() == 2
    assert selectors.effective_questionnaire(deal) == adjusted
    # next week's rep answers carry newer facts: they decide again (14 / 38 = 37 %)
    newer = answer(deal, org.rep, (7, 7), [(first, 8, 7), (second, 5, 4)])
    assert (selectors.effective_questionnaire(deal), stored_win_rate(deal)) == (newer, 37)


def _answers_of(questionnaire):
    return selectors.Answers(
        questionnaire.has_inside_source,
        questionnaire.us_fit,
        questionnaire.us_closeness,
        [(a.competitor_id, a.fit, a.closeness) for a in questionnaire.competitor_answers.all()],
    )


def test_a_refresh_reads_the_effective_answers_as_values(org):
    deal, (first, second) = make_deal(org.rep, rivals=2)
    assert selectors.effective_answers(deal) is None
    add_event(deal, org.rep)
    rep = answer(deal, org.rep, (5, 5), [(first, 6, 6), (second, 4, 4)])
    assert selectors.effective_answers(deal) == _answers_of(selectors.effective_questionnaire(deal))
    adjust(rep, org.manager, (5, 4), [(first, 6, 7), (second, 4, 4)], coach=False)
    effective = selectors.effective_questionnaire(deal)
    assert effective.role == "manager"
    assert selectors.effective_answers(deal) == _answers_of(effective)
    evaluation = selectors.win_rate_evaluate(opportunity=deal)
    config = method_config().win_rate
    with CaptureQueriesContext(connection) as captured:
        stored = services.win_rate_refresh(opportunity=deal, as_of=AT, config=config)
    assert stored == evaluation.win_rate == stored_win_rate(deal)
    work = [q["sql"] for q in captured.captured_queries if "SAVEPOINT" not in q["sql"]]
    # the deal locked, the answers row, its competitors (no join), the confirmed event, the
    # deal's rate, the week's snapshot, last week's rate
    assert len(work) == 7
    assert not [sql for sql in work if '"opportunities_competitor"' in sql]


def test_adjusting_an_adjustment_adjusts_the_rep_answers_and_old_answers_are_409(org):
    deal, (rival,) = make_deal(org.rep)
    add_event(deal, org.rep)
    old = answer(deal, org.rep, (8, 7), [(rival, 3, 2)])
    first = adjust(old, org.manager, (8, 7), [(rival, 5, 5)])
    second = adjust(first, org.manager_above, (6, 6), [(rival, 5, 5)])
    assert (second.adjusts, selectors.effective_questionnaire(deal)) == (old, second)
    assert stored_win_rate(deal) == 55  # 12 / 22 = 54.5 → 55
    answer(deal, org.rep, (8, 7), [(rival, 3, 2)])
    with pytest.raises(Conflict):
        adjust(old, org.manager, (1, 1), [(rival, 9, 9)])
    assert stored_win_rate(deal) == 75


def test_stage_change_does_not_change_the_win_rate(org):
    deal, (rival,) = make_deal(org.rep, amount=100_000)  # fast track
    add_event(deal, org.rep)
    answer(deal, org.rep, (5, 5), [(rival, 4, 6)])
    assert stored_win_rate(deal) == 50
    for stage in ("initiate", "negotiation"):
        deal = opportunity_move_stage(user=org.rep, opportunity=deal, to=stage)
        assert stored_win_rate(deal) == 50
    services.win_rate_refresh(opportunity=deal, as_of=AT)
    assert stored_win_rate(deal) == 50


def test_snapshot_is_one_row_per_iso_week_with_the_latest_value_and_stage(org):
    deal, (rival,) = make_deal(org.rep)
    add_event(deal, org.rep, at=AT)
    answer(deal, org.rep, (8, 7), [(rival, 3, 2)], at=AT)
    answer(deal, org.rep, (5, 5), [(rival, 4, 6)], at=AT + timedelta(days=2))  # same week
    deal = opportunity_move_stage(user=org.rep, opportunity=deal, to="initiate")
    answer(deal, org.rep, (8, 7), [(rival, 3, 2)], coach=False, at=AT + timedelta(days=7))
    rows = list(
        WinRateSnapshot.objects.filter(opportunity=deal).values_list("week", "win_rate", "stage")
    )
    assert rows == [
        (date(2027, 1, 18), 50, "validate"),
        (date(2027, 1, 25), 53, "initiate"),
    ]
    assert [iso_week(week) for week, _r, _s in rows] == ["2027-W03", "2027-W04"]


@pytest.mark.parametrize(
    ("us", "theirs", "win_rate", "events"),
    [
        ((4, 5), (7, 6), 41, 0),  # 9 / 22 = 41 %: 9 points below last week, no event
        ((5, 5), (8, 7), 40, 1),  # 10 / 25 = 40 %: 10 points below, an event at once
    ],
)
def test_a_questionnaire_moving_the_rate_10_points_is_a_change_event_at_once(
    org, us, theirs, win_rate, events
):
    # given 50 % last week (10 against 10; the tie ranks us second)
    deal, (rival,) = make_deal(org.rep)
    add_event(deal, org.rep, at=AT - timedelta(days=7))
    answer(deal, org.rep, (5, 5), [(rival, 5, 5)], at=AT - timedelta(days=7))
    # when this week's answers come in
    answer(deal, org.rep, us, [(rival, *theirs)], at=AT)
    # then the move is judged now, not at the next weekly run
    assert stored_win_rate(deal) == win_rate
    assert WinRateChange.objects.filter(opportunity=deal).count() == events
    assert Notification.objects.filter(opportunity=deal, recipient=org.rep).count() == events


def test_closed_deal_keeps_its_rate_and_gets_no_snapshot(org):
    deal, (rival,) = make_deal(org.rep, amount=100_000)
    add_event(deal, org.rep, at=AT)
    answer(deal, org.rep, (8, 7), [(rival, 3, 2)], at=AT)
    deal = opportunity_move_stage(user=org.rep, opportunity=deal, to="lost", reason="Price")
    services.win_rate_refresh(opportunity=deal, as_of=AT + timedelta(days=14))
    assert stored_win_rate(deal) == 75
    assert WinRateSnapshot.objects.filter(opportunity=deal).count() == 1


# ----------------------------------------------------------------------------------------
# questionnaire validation and permissions


def _errors(call):
    with pytest.raises(ValidationFailed) as refused:
        call()
    return refused.value.errors


def test_answers_are_whole_numbers_from_0_to_10_for_competitors_on_the_deal(org):
    deal, (first, second) = make_deal(org.rep, rivals=2)
    _other, (stranger,) = make_deal(org.rep)
    assert _errors(
        lambda: answer(deal, org.rep, (11, -1), [(first, 5, Decimal(5)), (second, True, 2)])
    ) == [
        ("us.fit", "must be a whole number from 0 to 10"),
        ("us.closeness", "must be a whole number from 0 to 10"),
        ("competitors.0.closeness", "must be a whole number from 0 to 10"),
        ("competitors.1.fit", "must be a whole number from 0 to 10"),
    ]
    assert _errors(
        lambda: answer(deal, org.rep, (5, 5), [(first, 5, 5), (first, 4, 4), (stranger, 1, 1)])
    ) == [
        ("competitors.1.competitor", "scored more than once"),
        ("competitors.2.competitor", "not a competitor on this deal"),
        ("competitors", "score at least 2 competitors: the most threatening"),
    ]
    assert not Questionnaire.objects.exists()


def test_the_most_threatening_competitors_must_be_scored(org):
    # two or more on the deal: at least two, and the main threat among them
    deal, (main, second, third) = make_deal(org.rep, rivals=3, primary=True)
    assert _errors(lambda: answer(deal, org.rep, (5, 5), [(second, 5, 5), (third, 4, 4)])) == [
        ("competitors", f"score the main threat: {main.name}")
    ]
    answer(deal, org.rep, (5, 5), [(main, 5, 5), (third, 4, 4)])
    # one on the deal: it must be scored; none on the deal: nothing to score
    single, _rivals = make_deal(org.rep)
    assert _errors(lambda: answer(single, org.rep, (5, 5), [])) == [
        ("competitors", "score at least 1 competitor: the most threatening")
    ]
    alone, _none = make_deal(org.rep, rivals=0)
    add_event(alone, org.rep)
    assert answer(alone, org.rep, (6, 4), [], coach=False).win_rate == 70


def test_who_may_answer_and_who_may_adjust(org):
    deal, (rival,) = make_deal(org.rep)
    with pytest.raises(NotAllowed):
        answer(deal, org.partner, (5, 5), [(rival, 5, 5)])
    with pytest.raises(NotAllowed):
        answer(deal, org.presales, (5, 5), [(rival, 5, 5)])
    rep = answer(deal, org.rep, (5, 5), [(rival, 5, 5)])
    # managers above the owner (same team or above), executives and admins adjust
    assert [services.may_adjust(u, deal) for u in (org.manager, org.manager_above)] == [True] * 2
    assert [services.may_adjust(u, deal) for u in (org.executive, org.admin)] == [True] * 2
    for user in (org.rep, org.peer_rep, org.other_manager, org.presales):
        assert not services.may_adjust(user, deal)
        with pytest.raises(NotAllowed):
            adjust(rep, user, (1, 1), [(rival, 9, 9)])
    # a manager does not adjust their own answers
    own, (own_rival,) = make_deal(org.manager)
    own_answers = answer(own, org.manager, (5, 5), [(own_rival, 5, 5)])
    with pytest.raises(NotAllowed):
        adjust(own_answers, org.manager, (9, 9), [(own_rival, 1, 1)])
    assert services.may_adjust(org.manager_above, own)
    assert Questionnaire.objects.filter(role="manager").count() == 0
