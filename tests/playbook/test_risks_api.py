"""/opportunities/{id}/risks, /risks, /risk-rules, lessons (API.md; METHOD.md §6)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import make_account
from tests.opportunities.factories import make_opportunity
from tests.playbook.helpers import move_to
from wuwei.opportunities.models import Opportunity
from wuwei.opportunities.services import opportunity_move_stage
from wuwei.playbook.models import RiskRule
from wuwei.playbook.selectors import risk_items

HOSTILE = "<img src=x onerror=alert(1)>"


@pytest.fixture
def account(org):
    return make_account(org.rep, name="上海银行")


@pytest.fixture
def deal(org, account):
    deal = make_opportunity(org.rep, account, amount=2_000_000, name=HOSTILE)
    return move_to(deal, "needs_analysis")


def test_deal_risks_name_rule_severity_and_sentence(org, api, deal):
    response = api(org.rep).get(f"/opportunities/{deal.pk}/risks")
    assert response.status_code == 200
    body = response.json()
    assert body["next"] is None
    by_code = {item["code"]: item for item in body["items"]}
    assert set(by_code) == {
        "no_compelling_event",
        "decision_chain_incomplete",
        "single_threaded",
        "questionnaire_stale",
        "single_contact",
    }
    assert by_code["no_compelling_event"] == {
        "opportunity": deal.pk,
        "rule": RiskRule.objects.get(code="no_compelling_event").pk,
        "code": "no_compelling_event",
        "name": "No confirmed compelling event after stage 1",
        "severity": "high",
        "message": "No compelling event is confirmed: nothing yet says why the customer must "
        "buy now.",
        "blocking": False,
    }
    assert [i["severity"] for i in body["items"]][:2] == ["high", "high"]


@pytest.mark.parametrize("who", ["other_manager", "partner"])
def test_outsiders_and_partners_get_404_and_nothing(org, api, deal, who):
    client = api(getattr(org, who))
    assert client.get(f"/opportunities/{deal.pk}/risks").status_code == 404
    assert client.get("/risks").json()["items"] == []
    assert client.get(f"/opportunities/{deal.pk}/lesson").status_code == 404


def test_partner_cannot_read_the_rules(org, api):
    assert api(org.partner).get("/risk-rules").status_code == 404
    assert api(None).get("/risks").status_code == 401


def test_risk_list_filters_by_rule_severity_and_team_and_pages_by_keyset(org, api, account):
    deals = [
        move_to(make_opportunity(org.rep, account, amount=2_000_000), "initiate") for _ in range(3)
    ]
    north = make_account(org.other_manager, name="北京银行")
    make_opportunity(org.other_manager, north, amount=2_000_000)
    client = api(org.executive)
    rule = RiskRule.objects.get(code="no_compelling_event")
    body = client.get("/risks", {"rule": rule.pk, "count": "true"}).json()
    assert [i["opportunity"] for i in body["items"]] == [d.pk for d in deals]
    assert body["count"] == 3
    high = client.get("/risks", {"severity": "high"}).json()["items"]
    assert {i["severity"] for i in high} == {"high"}
    first = client.get("/risks", {"limit": 2}).json()
    second = client.get("/risks", {"limit": 2, "cursor": first["next"]}).json()
    keys = [(i["opportunity"], i["rule"]) for i in first["items"] + second["items"]]
    assert keys == sorted(keys) and len(set(keys)) == 4
    assert client.get("/risks", {"cursor": "garbage"}).status_code == 422
    assert client.get("/risks", {"severity": "extreme"}).status_code == 422


def test_risk_list_by_team_counts_only_that_subtree(org, api, account):
    north = make_account(org.other_manager, name="北京银行")
    theirs = move_to(make_opportunity(org.other_manager, north, amount=2_000_000), "initiate")
    move_to(make_opportunity(org.rep, account, amount=2_000_000), "initiate")
    items = api(org.executive).get("/risks", {"team": org.north_ka.pk}).json()["items"]
    assert {i["opportunity"] for i in items} == {theirs.pk}


def test_a_rule_added_through_the_api_takes_effect_without_code(org, api, deal):
    admin = api(org.admin)
    created = admin.post(
        "/risk-rules",
        {
            "code": "legal_terms_not_discussed",
            "kind": "activity_tag_missing",
            "name_en": "Legal terms never discussed",
            "name_zh": "未沟通法务条款",
            "parameters": {"tag": "legal"},
            "severity": "high",
            "stages": ["needs_analysis", "value_presentation"],
            "grades": ["A", "B"],
        },
    )
    assert created.status_code == 201, created.json()
    items = api(org.rep).get(f"/opportunities/{deal.pk}/risks").json()["items"]
    mine = [i for i in items if i["code"] == "legal_terms_not_discussed"]
    assert mine[0]["message"] == "No activity on this deal is tagged “legal”."
    # bad parameters are a clear 422, never a stored rule
    bad = admin.post(
        "/risk-rules",
        {
            "code": "x",
            "kind": "no_recent_activity",
            "name_en": "x",
            "parameters": {"days": -3},
            "stages": ["validate"],
        },
    )
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "parameters.days"
    assert not RiskRule.objects.filter(code="x").exists()


def test_only_administrators_change_rules_and_stale_versions_are_409(org, api):
    rule = RiskRule.objects.get(code="no_recent_activity")
    assert (
        api(org.manager)
        .patch(f"/risk-rules/{rule.pk}", {"severity": "high", "version": 1})
        .status_code
        == 403
    )
    ok = api(org.admin).patch(
        f"/risk-rules/{rule.pk}", {"parameters": {"days": 21}, "version": rule.version}
    )
    assert ok.status_code == 200
    assert ok.json()["parameters"] == {"days": 21}
    stale = api(org.admin).patch(f"/risk-rules/{rule.pk}", {"severity": "high", "version": 1})
    assert stale.status_code == 409
    assert api(org.admin).patch(f"/risk-rules/{rule.pk}", {"stages": []}).status_code == 422


def test_lesson_of_a_closed_deal_is_read_and_written(org, api, deal):
    assert api(org.rep).get(f"/opportunities/{deal.pk}/lesson").status_code == 404
    opportunity_move_stage(user=org.rep, opportunity=deal, to="lost", reason="Price")
    lesson = api(org.rep).get(f"/opportunities/{deal.pk}/lesson").json()
    assert lesson["outcome"] == "lost"
    assert {r["how"] for r in lesson["rules"]} == {"ignored"}
    saved = api(org.rep).patch(
        f"/opportunities/{deal.pk}/lesson",
        {"decided_by": "The CFO was never met", "version": lesson["version"]},
    )
    assert saved.status_code == 200
    assert saved.json()["decided_by"] == "The CFO was never met"


def test_risks_of_a_thousand_deals_cost_the_same_queries_as_of_two(
    org, account, django_assert_num_queries
):
    from tests.factories import make_contact
    from wuwei.people.models import DecisionParticipant

    now = timezone.now()
    contact = make_contact(account)

    def deals(count):
        rows = Opportunity.objects.bulk_create(
            [
                Opportunity(
                    account=account,
                    name=f"Bulk {n}",
                    amount=2_000_000,
                    owner=org.rep,
                    team=org.east_ka,
                    stage="needs_analysis",
                    grade="B",
                    track="big_project",
                    stage_entered_at=now,
                    expected_close=(now + timedelta(days=n % 60)).date(),
                )
                for n in range(count)
            ]
        )
        DecisionParticipant.objects.bulk_create(
            [
                DecisionParticipant(opportunity=d, contact=contact, decision_role="approver")
                for d in rows[::2]
            ]
        )
        return [d.pk for d in rows]

    small, large = deals(2), deals(1000)
    with django_assert_num_queries(4):
        found_small = risk_items(small)
    with django_assert_num_queries(4):
        found_large = risk_items(large)
    assert len(found_small) == 2 and len(found_large) == 1000
    codes = {i.rule_code for i in found_large[large[0]]}
    assert "single_contact" in codes and "close_date_near" in codes
    with django_assert_num_queries(4):
        visible = risk_items(Opportunity.objects.filter(name__startswith="Bulk"))
    assert len(visible) == 1002


def test_risk_list_costs_the_same_queries_for_more_deals(org, api, account):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = api(org.manager)
    move_to(make_opportunity(org.rep, account, amount=2_000_000), "initiate")
    client.get("/risks")  # the token's first use is recorded once
    with CaptureQueriesContext(connection) as small:
        assert len(client.get("/risks").json()["items"]) > 0
    for _ in range(5):
        move_to(make_opportunity(org.rep, account, amount=2_000_000), "initiate")
    with CaptureQueriesContext(connection) as large:
        assert len(client.get("/risks", {"limit": 500}).json()["items"]) > 5
    assert len(large.captured_queries) == len(small.captured_queries)
