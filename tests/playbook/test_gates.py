"""Stage gates (METHOD.md §6, AB compliance §4.2): blocking, overrides, what is recorded."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_account
from tests.opportunities.factories import make_opportunity, version_of
from tests.playbook.helpers import map_deciders, move_to, satisfy_ab_gates
from wuwei.opportunities.models import Opportunity, StageHistory
from wuwei.opportunities.services import StageBlocked, opportunity_move_stage
from wuwei.playbook.models import DealLesson, LessonRule, RiskOverride, RiskRule


@pytest.fixture
def account(org):
    return make_account(org.rep, name="上海银行")


@pytest.fixture
def ab_deal(org, account):
    deal = make_opportunity(org.rep, account, amount=2_000_000)  # B: big-project track
    return move_to(deal, "needs_analysis")


def test_ab_deal_cannot_leave_needs_analysis_without_approver_and_decider(org, api, ab_deal):
    response = api(org.rep).post(
        f"/opportunities/{ab_deal.pk}/stage",
        {"to": "value_presentation", "version": version_of(ab_deal.pk)},
    )
    assert response.status_code == 409
    reasons = response.json()["reasons"]
    assert [(r["code"], r["params"]["rule"]) for r in reasons] == [("risk_rule", "ab_decision_map")]
    assert reasons[0]["message"] == (
        "AB compliance: decision map covers approver and decision maker: "
        "The decision map has no approver and decision maker yet."
    )
    ab_deal.refresh_from_db()
    assert ab_deal.stage == "needs_analysis"
    assert not RiskOverride.objects.exists()


def test_the_gate_opens_once_the_facts_are_there(org, ab_deal):
    map_deciders(ab_deal, org.rep)
    moved = opportunity_move_stage(user=org.rep, opportunity=ab_deal, to="value_presentation")
    assert moved.stage == "value_presentation"


def test_every_ab_gate_passes_with_the_facts_the_method_asks_for(org, ab_deal):
    satisfy_ab_gates(ab_deal)
    deal = move_to(ab_deal, "negotiation")
    assert deal.stage == "negotiation"
    assert not RiskOverride.objects.exists()


def test_strategy_and_value_gate_names_what_is_missing(org, ab_deal):
    map_deciders(ab_deal, org.rep)
    deal = move_to(ab_deal, "value_presentation")
    with pytest.raises(StageBlocked) as refused:
        opportunity_move_stage(user=org.rep, opportunity=deal, to="tender_preparation")
    assert refused.value.messages == [
        "AB compliance: strategy and value proposition: Still missing: a chosen competitive "
        "strategy and a value proposition."
    ]


def test_a_manager_above_the_deal_overrides_with_a_reason(org, api, web, ab_deal):
    response = api(org.manager).post(
        f"/opportunities/{ab_deal.pk}/stage",
        {
            "to": "value_presentation",
            "override_reason": "Customer CIO decides alone this year",
            "version": version_of(ab_deal.pk),
        },
    )
    assert response.status_code == 200
    assert response.json()["stage"] == "value_presentation"
    override = RiskOverride.objects.get()
    assert (override.from_stage, override.to_stage, override.overridden_by) == (
        "needs_analysis",
        "value_presentation",
        org.manager,
    )
    assert override.reason == "Customer CIO decides alone this year"
    assert [r["code"] for r in override.rules] == ["ab_decision_map"]
    # the override is on the deal's timeline
    html = web(org.rep).get(f"/opportunities/{ab_deal.pk}/").content.decode()
    assert "Stage gate overridden: Needs analysis → Value presentation" in html
    assert "Customer CIO decides alone this year" in html


@pytest.mark.parametrize("who", ["rep", "peer_rep"])
def test_a_rep_cannot_override(org, api, ab_deal, who):
    response = api(getattr(org, who)).post(
        f"/opportunities/{ab_deal.pk}/stage",
        {
            "to": "value_presentation",
            "override_reason": "Trust me",
            "version": version_of(ab_deal.pk),
        },
    )
    assert response.status_code in (404, 409)
    if response.status_code == 409:
        codes = [r["code"] for r in response.json()["reasons"]]
        assert codes == ["risk_rule", "override_not_allowed"]
    ab_deal.refresh_from_db()
    assert ab_deal.stage == "needs_analysis"
    assert not RiskOverride.objects.exists()


def test_a_manager_owning_the_deal_cannot_override_it_himself(org, account):
    deal = move_to(make_opportunity(org.manager, account, amount=2_000_000), "needs_analysis")
    with pytest.raises(StageBlocked) as refused:
        opportunity_move_stage(
            user=org.manager, opportunity=deal, to="value_presentation", override_reason="mine"
        )
    assert [r.code for r in refused.value.reasons] == ["risk_rule", "override_not_allowed"]


def test_manager_of_another_subtree_sees_nothing_to_override(org, api, ab_deal):
    response = api(org.other_manager).post(
        f"/opportunities/{ab_deal.pk}/stage",
        {"to": "value_presentation", "override_reason": "x", "version": version_of(ab_deal.pk)},
    )
    assert response.status_code == 404


@pytest.mark.parametrize("amount", [100_000, 500_000])  # D, C: the same checks only warn
def test_cd_deals_are_warned_not_blocked(org, account, amount):
    deal = make_opportunity(org.rep, account, amount=amount)
    deal = opportunity_move_stage(user=org.rep, opportunity=deal, to="bidding")
    assert deal.stage == "bidding"
    from wuwei.playbook.selectors import risk_items

    codes = [i.rule_code for i in risk_items([deal.pk])[deal.pk]]
    assert {"cd_decision_map", "cd_strategy_and_value", "cd_fresh_questionnaire"} <= set(codes)


def test_an_administrator_makes_any_rule_blocking(org, account):
    rule = RiskRule.objects.get(code="no_compelling_event")
    from wuwei.playbook.services import rule_update

    rule_update(
        user=org.admin,
        rule=rule,
        changes={"blocks_leaving": ["validate"]},
        expected_version=rule.version,
    )
    deal = make_opportunity(org.rep, account, amount=100_000)
    with pytest.raises(StageBlocked) as refused:
        opportunity_move_stage(user=org.rep, opportunity=deal, to="initiate")
    assert [r.params["rule"] for r in refused.value.reasons] == ["no_compelling_event"]
    # disabled, it stops blocking
    rule.refresh_from_db()
    rule_update(
        user=org.admin, rule=rule, changes={"enabled": False}, expected_version=rule.version
    )
    assert opportunity_move_stage(user=org.rep, opportunity=deal, to="initiate").stage == "initiate"


def test_a_lost_deal_keeps_the_rules_open_at_the_close_and_the_overrides(org, ab_deal):
    deal = opportunity_move_stage(
        user=org.manager, opportunity=ab_deal, to="value_presentation", override_reason="CIO"
    )
    opportunity_move_stage(user=org.rep, opportunity=deal, to="lost", reason="Price")
    lesson = DealLesson.objects.get(opportunity=deal)
    assert lesson.outcome == "lost"
    kept = {(r.rule.code, r.how) for r in LessonRule.objects.select_related("rule")}
    assert ("ab_decision_map", "overridden") in kept
    assert ("ab_decision_map", "ignored") in kept  # still unmapped when it was lost
    assert ("no_compelling_event", "ignored") in kept
    assert ("decision_chain_incomplete", "ignored") in kept
    assert StageHistory.objects.filter(opportunity=deal, stage="lost").exists()


def test_moving_back_or_losing_is_never_gated(org, ab_deal):
    back = opportunity_move_stage(user=org.rep, opportunity=ab_deal, to="initiate")
    assert back.stage == "initiate"
    lost = opportunity_move_stage(user=org.rep, opportunity=back, to="lost", reason="No budget")
    assert Opportunity.objects.get(pk=lost.pk).stage == "lost"


def _rule_reads(statements):
    """The reads of the rules in force (the rule engine's columns; not the rows read for the
    rules' names in a refusal)."""
    table = f'"{RiskRule._meta.db_table}"'
    return [
        sql
        for sql in statements
        if table in sql and '"parameters"' in sql and '"name_en"' not in sql
    ]


def test_a_gate_reads_the_rules_once_and_only_the_facts_its_blocking_rules_read(org, ab_deal):
    with CaptureQueriesContext(connection) as captured, pytest.raises(StageBlocked):
        opportunity_move_stage(user=org.rep, opportunity=ab_deal, to="value_presentation")
    statements = [q["sql"] for q in captured.captured_queries]
    assert len(_rule_reads(statements)) == 1
    # ab_decision_map reads the decision map only: no activities, events, questionnaires,
    # snapshots, strategies or value propositions are gathered
    for table in (
        "people_activity",
        "opportunities_compellingevent",
        "opportunities_questionnaire",
        "opportunities_winratesnapshot",
        "opportunities_dealstrategy",
        "opportunities_valueproposition",
    ):
        assert not [sql for sql in statements if f'"{table}"' in sql], table
    assert [sql for sql in statements if '"people_decisionparticipant"' in sql]


def test_a_closing_move_reads_the_rules_once_for_its_gate_and_its_lesson(org, ab_deal):
    with CaptureQueriesContext(connection) as captured:
        opportunity_move_stage(user=org.rep, opportunity=ab_deal, to="lost", reason="Price")
    assert len(_rule_reads([q["sql"] for q in captured.captured_queries])) == 1
    assert LessonRule.objects.filter(lesson__opportunity=ab_deal, how="ignored").exists()
