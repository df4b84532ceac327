"""PRM pages: the deal's Risks tab, deals at risk, rule administration, lessons, the playbook
tables; risk badges on the deal list and board; outsiders and partners get 404."""

import pytest

from tests.factories import make_account
from tests.opportunities.factories import make_opportunity
from tests.playbook.helpers import move_to
from wuwei.opportunities.services import opportunity_move_stage
from wuwei.playbook.models import RiskRule

HOSTILE = "<img src=x onerror=alert(1)>"


@pytest.fixture
def account(org):
    return make_account(org.rep, name="上海银行")


@pytest.fixture
def deal(org, account):
    return move_to(make_opportunity(org.rep, account, amount=2_000_000, name=HOSTILE), "initiate")


def test_risks_tab_lists_the_rules_with_their_sentences(org, web, deal):
    html = web(org.rep).get(f"/opportunities/{deal.pk}/risks/").content.decode()
    assert 'data-rule="no_compelling_event"' in html
    assert "No compelling event is confirmed" in html
    assert "AB compliance: decision map covers approver and decision maker" in html  # gates
    assert HOSTILE not in html


@pytest.mark.parametrize("who", ["other_manager", "partner"])
def test_risk_pages_are_404_for_outsiders_and_partners(org, web, deal, who):
    client = web(getattr(org, who))
    assert client.get(f"/opportunities/{deal.pk}/risks/").status_code == 404
    assert client.post(f"/opportunities/{deal.pk}/lesson/", {"decided_by": "x"}).status_code == 404
    if who == "partner":
        for path in ["/risks/", "/playbook/rules/", "/playbook/lessons/", "/playbook/"]:
            assert client.get(path).status_code == 404, path
    else:
        html = client.get("/risks/").content.decode()
        assert f"/opportunities/{deal.pk}/" not in html


def test_deals_at_risk_counts_by_rule_and_escapes_names(org, web, deal):
    html = web(org.manager).get("/risks/").content.decode()
    assert 'data-testid="risk-row"' in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html and HOSTILE not in html
    assert "No confirmed compelling event after stage 1" in html


def test_deals_at_risk_page_costs_a_fixed_number_of_queries(org, web, account):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = web(org.manager)
    move_to(make_opportunity(org.rep, account, amount=2_000_000), "initiate")
    with CaptureQueriesContext(connection) as small:
        assert client.get("/risks/").status_code == 200
    for _ in range(4):
        move_to(make_opportunity(org.rep, account, amount=2_000_000), "initiate")
    with CaptureQueriesContext(connection) as large:
        assert client.get("/risks/").status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)


def test_deal_list_and_board_show_the_risk_count(org, web, deal):
    client = web(org.rep)
    listing = client.get("/opportunities/").content.decode()
    assert 'data-testid="deal-badge-risks"' in listing
    board = client.get("/opportunities/board/").content.decode()
    assert 'data-testid="deal-badge-risks"' in board


def test_partner_sees_no_risk_badge(org, web, account):
    from wuwei.opportunities.models import ProductLine
    from wuwei.opportunities.registrations import registration_convert, registration_create

    line = ProductLine.objects.order_by("code").first()
    registration = registration_create(user=org.partner, account=account, products=[line])
    converted = registration_convert(
        user=org.partner, registration=registration, name="Partner deal", amount=2_000_000
    )
    html = web(org.partner).get("/opportunities/").content.decode()
    assert "Partner deal" in html
    assert 'data-testid="deal-badge-risks"' not in html
    assert converted.grade == "E"


def test_rule_list_is_readable_and_only_admins_edit(org, web):
    html = web(org.rep).get("/playbook/rules/").content.decode()
    assert "Only the key person known" in html
    assert "cannot leave Needs analysis" in html
    assert "Days: 14" in html
    assert 'data-testid="edit-rule"' not in html
    rule = RiskRule.objects.get(code="no_recent_activity")
    assert web(org.manager).get(f"/playbook/rules/{rule.pk}/").status_code == 403


def test_admin_edits_a_rule_through_the_form(org, web):
    rule = RiskRule.objects.get(code="no_recent_activity")
    client = web(org.admin)
    assert client.get(f"/playbook/rules/{rule.pk}/").status_code == 200
    response = client.post(
        f"/playbook/rules/{rule.pk}/",
        {
            "name_en": rule.name_en,
            "name_zh": rule.name_zh,
            "severity": "high",
            "enabled": "on",
            "stages": ["initiate", "bidding"],
            "p_days": "21",
            "version": rule.version,
        },
    )
    assert response.status_code == 302
    rule.refresh_from_db()
    assert (rule.severity, rule.stages, rule.parameters) == (
        "high",
        ["initiate", "bidding"],
        {"days": 21},
    )


def test_a_rule_created_in_the_ui_takes_effect_without_code(org, web, deal):
    client = web(org.admin)
    assert client.get("/playbook/rules/new/?kind=departments_not_covered").status_code == 200
    response = client.post(
        "/playbook/rules/new/",
        {
            "kind": "departments_not_covered",
            "code": "it_not_covered",
            "name_en": "IT department not covered",
            "name_zh": "信息部未覆盖",
            "severity": "medium",
            "enabled": "on",
            "stages": ["initiate"],
            "p_departments": "IT: 信息, IT",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    html = web(org.rep).get(f"/opportunities/{deal.pk}/risks/").content.decode()
    assert 'data-rule="it_not_covered"' in html
    assert "No contact from IT is on the decision map." in html


def test_playbook_shows_tables_not_json(org, web):
    html = web(org.rep).get("/playbook/").content.decode()
    assert "Weight of revenue" in html and "0.4" in html
    assert "Grade A from" in html and "5,000,000" in html
    assert 'data-testid="stage-gates"' in html
    assert "&quot;revenue_weight&quot;" not in html and '"revenue_weight"' not in html
    assert 'data-testid="edit-configuration"' not in html


def test_administrator_changes_the_numbers(org, web):
    from wuwei.core.config import method_config

    assert web(org.manager).get("/playbook/edit/").status_code == 403
    client = web(org.admin)
    form = client.get("/playbook/edit/")
    assert form.status_code == 200
    data = {name: field.initial for name, field in form.context["form"].fields.items()}
    data["version"] = ""
    data["forecast__commit_min"] = 75
    response = client.post("/playbook/edit/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert method_config().forecast.commit_min == 75


def test_lesson_form_on_a_closed_deal(org, web, deal):
    opportunity_move_stage(user=org.rep, opportunity=deal, to="lost", reason="Price")
    client = web(org.rep)
    html = client.get(f"/opportunities/{deal.pk}/risks/").content.decode()
    assert 'data-testid="lesson-form"' in html
    client.post(f"/opportunities/{deal.pk}/lesson/", {"decided_by": "No coach", "version": 1})
    assert "No coach" in client.get(f"/opportunities/{deal.pk}/risks/").content.decode()
    lessons = client.get("/playbook/lessons/").content.decode()
    assert 'data-rule="no_compelling_event"' in lessons
    assert "1 of 1 (100 %)" in lessons
