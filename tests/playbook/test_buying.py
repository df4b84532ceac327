"""Buying-process templates and a deal's buying process (METHOD.md §7.1): seeded templates in
both languages, coverage of a mapped deal (service and API), administrators' edits, and who
sees what."""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from django.utils.translation import override

from tests.factories import make_account, make_contact
from tests.opportunities.factories import make_opportunity
from wuwei.people.services import activity_create, participant_add
from wuwei.playbook.buying.selectors import buying_coverage_for, buying_view
from wuwei.playbook.buying.services import buying_process_set
from wuwei.playbook.models import (
    BuyingProcessTemplate,
    BuyingRole,
    BuyingRoleContact,
    OpportunityBuyingProcess,
)

HOSTILE = "<img src=x onerror=alert(1)>"


def _crm() -> BuyingProcessTemplate:
    return BuyingProcessTemplate.objects.get(code="group-crm-purchase")


def _roles(template: BuyingProcessTemplate) -> dict[str, BuyingRole]:
    return {
        r.name_en: r
        for r in BuyingRole.objects.filter(step__template=template).select_related("step")
    }


def all_roles(template: BuyingProcessTemplate) -> list[int]:
    return list(BuyingRole.objects.filter(step__template=template).values_list("pk", flat=True))


# ----------------------------------------------------------------------------------------
# the seed


def test_three_templates_are_seeded_in_both_languages(db):
    templates = {t.code: t for t in BuyingProcessTemplate.objects.all()}
    assert set(templates) == {
        "group-crm-purchase",
        "group-finance-reimbursement",
        "public-sector-tender",
    }
    crm = templates["group-crm-purchase"]
    assert (crm.name_en, crm.name_zh) == ("Group company buys a CRM system", "集团公司采购CRM系统")
    with override("zh-hans"):
        assert crm.text("name") == "集团公司采购CRM系统"
        assert templates["public-sector-tender"].steps.first().text("name") == "项目建议与需求论证"
    with override("en"):
        assert crm.text("name") == "Group company buys a CRM system"
    tender = templates["public-sector-tender"]
    assert (tender.industry, tender.company_size) == ("government", "")
    assert list(crm.steps.values_list("number", "stage")) == [
        (1, "validate"),
        (2, "needs_analysis"),
        (3, "value_presentation"),
        (4, "tender_preparation"),
        (5, "bidding"),
        (6, "negotiation"),
    ]
    for template in templates.values():
        roles = BuyingRole.objects.filter(step__template=template)
        assert roles.count() >= 6
        assert not roles.filter(name_zh="").exists() and not roles.filter(concerns_zh="").exists()
        kinds = set(roles.values_list("kind", flat=True))
        assert kinds == {"approval", "informed", "opinion"}
        functions = set(roles.values_list("function", flat=True))
        assert {"procurement", "finance", "legal"} <= functions


# ----------------------------------------------------------------------------------------
# coverage of a mapped deal


@pytest.fixture
def deal(org):
    account = make_account(org.rep, name="华东集团", employee_count=8000)
    make_account(org.rep, name="华东集团子公司", parent=account)
    return make_opportunity(org.rep, account, name="集团CRM", amount=3_000_000)


def test_coverage_of_a_mapped_deal(org, deal):
    # given a deal following the CRM template, with the business owner and finance mapped
    roles = _roles(_crm())
    owner = make_contact(deal.account, "王总", department="销售管理部")
    cfo = make_contact(deal.account, "李会计", department="财务部")
    buying_process_set(
        user=org.rep,
        opportunity=deal,
        template=_crm(),
        mappings=[
            (roles["Head of sales management"], owner),
            (roles["Finance department (budget)"], cfo),
        ],
        expected_version=None,
    )
    participant_add(user=org.rep, opportunity=deal, contact=owner, decision_role="decision_maker")
    participant_add(user=org.rep, opportunity=deal, contact=cfo, decision_role="approver")
    activity_create(
        user=org.rep,
        account=deal.account,
        kind="meeting",
        occurred_on=timezone.localdate() - timedelta(days=3),
        subject="需求沟通",
        contacts=[owner],
        opportunity=deal,
    )
    # when coverage is computed
    coverage = buying_coverage_for([deal.pk])[deal.pk]
    # then the two mapped roles are covered, only the owner is engaged
    covered = {roles["Head of sales management"].pk, roles["Finance department (budget)"].pk}
    all_roles = set(BuyingRole.objects.filter(step__template=_crm()).values_list("pk", flat=True))
    assert set(coverage.uncovered_roles) == all_roles - covered
    assert coverage.unengaged_roles == (roles["Finance department (budget)"].pk,)
    assert (coverage.procurement_covered, coverage.finance_covered, coverage.legal_covered) == (
        False,
        True,
        False,
    )
    assert coverage.decision_chain_complete is False  # IT, executive, procurement… unmapped
    # mapping every approval node completes the chain (the map has approver and decision maker)
    legal = make_contact(deal.account, "赵法务", department="法务部")
    mappings = [(role, legal) for role in roles.values() if role.kind == "approval"]
    process = OpportunityBuyingProcess.objects.get(opportunity=deal)
    buying_process_set(
        user=org.rep,
        opportunity=deal,
        template=_crm(),
        mappings=mappings,
        expected_version=process.version,
    )
    coverage = buying_coverage_for([deal.pk])[deal.pk]
    assert coverage.decision_chain_complete and coverage.gatekeepers_covered
    assert BuyingRoleContact.objects.filter(opportunity=deal).count() == len(mappings)


def test_template_suggested_from_industry_and_size(org, deal):
    view = buying_view(user=org.rep, opportunity=deal)
    assert view.template is None
    assert view.suggested == _crm()  # a group company, any industry: the lowest id of two
    government = make_account(org.rep, name="市政务服务局", industry="government")
    tender = make_opportunity(org.rep, government, name="政务云")
    assert buying_view(user=org.rep, opportunity=tender).suggested.code == "public-sector-tender"
    small = make_account(org.rep, name="小店", employee_count=5)
    assert buying_view(user=org.rep, opportunity=make_opportunity(org.rep, small)).suggested is None


def test_coverage_of_many_deals_in_a_fixed_number_of_queries(org, deal, django_assert_num_queries):
    ids = [make_opportunity(org.rep, deal.account).pk for _ in range(5)] + [deal.pk]
    roles = _roles(_crm())
    contact = make_contact(deal.account)
    buying_process_set(
        user=org.rep,
        opportunity=deal,
        template=_crm(),
        mappings=[(roles["Legal department"], contact)],
        expected_version=None,
    )
    with django_assert_num_queries(5):
        result = buying_coverage_for(ids, as_of=date(2026, 12, 1))
    assert result[deal.pk].legal_covered and not result[ids[0]].legal_covered


# ----------------------------------------------------------------------------------------
# API


def test_api_put_and_get_the_deals_buying_process(org, api, deal):
    client = api(org.rep)
    url = f"/opportunities/{deal.pk}/buying-process"
    body = client.get(url).json()
    assert (body["template"], body["version"], body["steps"]) == (None, None, [])
    assert body["suggested_template"] == _crm().pk
    roles = _roles(_crm())
    owner = make_contact(deal.account, "王总")
    response = client.put(
        url,
        {
            "template": _crm().pk,
            "mappings": [{"role": roles["Head of sales management"].pk, "contact": owner.pk}],
        },
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["template"], body["version"]) == (_crm().pk, 1)
    assert [s["stage"] for s in body["steps"]] == [
        "validate",
        "needs_analysis",
        "value_presentation",
        "tender_preparation",
        "bidding",
        "negotiation",
    ]
    head = body["steps"][0]["roles"][0]
    assert (head["name"], head["covered"], head["engaged"]) == (
        "Head of sales management",
        True,
        False,
    )
    assert head["contacts"][0]["name"] == "王总"
    assert body["coverage"]["decision_chain_complete"] is False
    assert len(body["coverage"]["uncovered_roles"]) == len(all_roles(_crm())) - 1
    # a stale version is refused, nothing changes
    stale = client.put(url, {"template": None, "version": 0})
    assert stale.status_code == 409
    assert OpportunityBuyingProcess.objects.get(opportunity=deal).archived_at is None
    # following no template drops the mappings
    cleared = client.put(url, {"template": None, "version": 1})
    assert cleared.status_code == 200 and cleared.json()["template"] is None
    assert not BuyingRoleContact.objects.filter(opportunity=deal).exists()


def test_api_refuses_foreign_roles_and_contacts(org, api, deal):
    client = api(org.rep)
    url = f"/opportunities/{deal.pk}/buying-process"
    other_role = BuyingRole.objects.filter(step__template__code="public-sector-tender").first()
    contact = make_contact(deal.account)
    wrong_role = client.put(
        url, {"template": _crm().pk, "mappings": [{"role": other_role.pk, "contact": contact.pk}]}
    )
    assert wrong_role.status_code == 422
    stranger = make_contact(make_account(org.rep, name="别家"))
    role = _roles(_crm())["Legal department"]
    wrong_contact = client.put(
        url, {"template": _crm().pk, "mappings": [{"role": role.pk, "contact": stranger.pk}]}
    )
    assert wrong_contact.status_code == 422
    hidden = make_contact(make_account(org.other_manager, name="北方"))
    unseen = client.put(
        url, {"template": _crm().pk, "mappings": [{"role": role.pk, "contact": hidden.pk}]}
    )
    assert unseen.status_code == 404
    assert client.put(url, {"template": 999999}).status_code == 404
    assert client.put(url, {"template": "x"}).status_code == 422
    assert not OpportunityBuyingProcess.objects.exists()


def test_deal_endpoints_hide_from_outsiders_and_partners(org, api, deal):
    url = f"/opportunities/{deal.pk}/buying-process"
    assert api(None).get(url).status_code == 401
    assert api(org.other_manager).get(url).status_code == 404
    assert api(org.other_manager).put(url, {"template": _crm().pk}).status_code == 404
    # a partner does not see it even on a deal they lead
    from tests.opportunities.factories import products
    from wuwei.opportunities.registrations import registration_convert, registration_create

    registration = registration_create(
        user=org.partner, account=deal.account, products=products("cloud")
    )
    partner_deal = registration_convert(
        user=org.partner, registration=registration, name="伙伴项目", amount=100_000
    )
    assert api(org.partner).get(f"/opportunities/{partner_deal.pk}").status_code == 200
    partner_url = f"/opportunities/{partner_deal.pk}/buying-process"
    assert api(org.partner).get(partner_url).status_code == 404
    assert api(org.partner).put(partner_url, {"template": _crm().pk}).status_code == 404
    assert api(org.partner).get("/buying-processes").json()["items"] == []
    assert api(org.partner).get(f"/buying-processes/{_crm().pk}").status_code == 404
    assert not OpportunityBuyingProcess.objects.exists()


def test_deal_api_query_count_does_not_grow(org, api, deal, django_assert_num_queries):
    client = api(org.rep)
    url = f"/opportunities/{deal.pk}/buying-process"
    roles = list(_roles(_crm()).values())
    client.put(url, {"template": _crm().pk, "mappings": []})
    client.get(url)

    def queries() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    few = queries()
    contacts = [make_contact(deal.account) for _ in range(4)]
    mappings = [{"role": r.pk, "contact": c.pk} for r in roles for c in contacts]
    version = OpportunityBuyingProcess.objects.get(opportunity=deal).version
    assert (
        client.put(
            url, {"template": _crm().pk, "mappings": mappings, "version": version}
        ).status_code
        == 200
    )
    with django_assert_num_queries(few):
        client.get(url)


def test_template_writes_are_for_administrators(org, api):
    payload = {
        "code": "smb-owner-led",
        "name_en": "Owner-led purchase",
        "name_zh": "老板拍板采购",
        "company_size": "small",
        "steps": [
            {
                "name_en": "Demo and quote",
                "name_zh": "演示与报价",
                "stage": "validate",
                "roles": [
                    {
                        "name_en": "Owner",
                        "name_zh": "老板",
                        "function": "executive",
                        "kind": "approval",
                        "concerns_zh": "值不值",
                    }
                ],
            }
        ],
    }
    assert api(org.manager).post("/buying-processes", payload).status_code == 403
    assert api(org.partner).post("/buying-processes", payload).status_code == 403
    assert BuyingProcessTemplate.objects.count() == 3
    created = api(org.admin).post("/buying-processes", payload)
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["steps"][0]["roles"][0]["name_zh"] == "老板"
    template_id, step_id = body["id"], body["steps"][0]["id"]
    # patch, stale patch, nested step and role edits
    url = f"/buying-processes/{template_id}"
    assert api(org.rep).patch(url, {"name_en": "x", "version": 1}).status_code == 403
    assert api(org.admin).patch(url, {"name_en": "Owner decides", "version": 1}).status_code == 200
    assert api(org.admin).patch(url, {"name_en": "again", "version": 1}).status_code == 409
    assert api(org.admin).patch(url, {"name_en": None, "version": 2}).status_code == 422
    bad_stage = api(org.admin).post(
        f"{url}/steps", {"name_en": "x", "name_zh": "x", "stage": "won"}
    )
    assert bad_stage.status_code == 422
    step = api(org.admin).post(
        f"{url}/steps", {"name_en": "Sign", "name_zh": "签约", "stage": "negotiation"}
    )
    assert step.status_code == 201 and step.json()["number"] == 2
    duplicate = api(org.admin).post(
        f"{url}/steps", {"number": 2, "name_en": "x", "name_zh": "x", "stage": "bidding"}
    )
    assert duplicate.status_code == 422
    role = api(org.admin).post(
        f"{url}/steps/{step_id}/roles",
        {"name_en": "Accountant", "name_zh": "会计", "function": "finance", "kind": "informed"},
    )
    assert role.status_code == 201
    role_url = f"{url}/steps/{step_id}/roles/{role.json()['id']}"
    assert api(org.admin).patch(role_url, {"kind": "approval", "version": 1}).json()["kind"] == (
        "approval"
    )
    assert api(org.admin).delete(role_url).status_code == 200
    assert len(api(org.admin).get(url).json()["steps"][0]["roles"]) == 1
    assert api(org.admin).delete(url).status_code == 200
    assert template_id not in [
        t["id"] for t in api(org.rep).get("/buying-processes").json()["items"]
    ]


def test_template_list_query_count_does_not_grow(org, api, django_assert_num_queries):
    client = api(org.rep)
    client.get("/buying-processes")
    with django_assert_num_queries(3):  # templates, steps (the token is cached)
        assert len(client.get("/buying-processes").json()["items"]) == 3
    BuyingProcessTemplate.objects.create(code="extra", name_en="Extra", name_zh="额外")
    with django_assert_num_queries(3):
        assert len(client.get("/buying-processes").json()["items"]) == 4


# ----------------------------------------------------------------------------------------
# pages


def test_buying_tab_shows_steps_beside_our_stages_and_escapes_names(org, web, deal):
    roles = _roles(_crm())
    hostile = make_contact(deal.account, HOSTILE, department="采购部")
    buying_process_set(
        user=org.rep,
        opportunity=deal,
        template=_crm(),
        mappings=[(roles["Procurement department"], hostile)],
        expected_version=None,
    )
    page = web(org.rep).get(f"/playbook/deals/{deal.pk}/buying/")
    assert page.status_code == 200
    html = page.content.decode()
    assert HOSTILE not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert 'data-stage="tender_preparation"' in html and "Budget confirmed" in html
    assert "Uncovered roles" in html
    assert 'data-testid="cover-procurement"' in html


def test_buying_tab_maps_a_contact_through_the_page(org, web, deal):
    client = web(org.rep)
    roles = _roles(_crm())
    contact = make_contact(deal.account, "钱采购", department="采购部")
    follow = client.post(
        f"/playbook/deals/{deal.pk}/buying/template/", {"template": _crm().pk, "version": ""}
    )
    assert follow.status_code == 302
    mapped = client.post(
        f"/playbook/deals/{deal.pk}/buying/map/",
        {"role": roles["Procurement department"].pk, "contact": contact.pk},
        HTTP_HX_REQUEST="true",
    )
    assert mapped.status_code == 200
    assert "钱采购" in mapped.content.decode()
    mapping = BuyingRoleContact.objects.get(opportunity=deal)
    removed = client.post(f"/playbook/deals/{deal.pk}/buying/map/{mapping.pk}/remove/")
    assert removed.status_code == 302
    assert not BuyingRoleContact.objects.exists()


def test_buying_tab_query_count_does_not_grow(org, web, deal, django_assert_num_queries):
    client = web(org.rep)
    url = f"/playbook/deals/{deal.pk}/buying/"
    roles = list(_roles(_crm()).values())
    buying_process_set(
        user=org.rep, opportunity=deal, template=_crm(), mappings=[], expected_version=None
    )
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    contacts = [make_contact(deal.account) for _ in range(3)]
    buying_process_set(
        user=org.rep,
        opportunity=deal,
        template=_crm(),
        mappings=[(r, c) for r in roles for c in contacts],
        expected_version=1,
    )
    with django_assert_num_queries(len(captured)):
        assert client.get(url).status_code == 200


def test_pages_hide_from_outsiders_and_partners(org, web, deal, client):
    tab = f"/playbook/deals/{deal.pk}/buying/"
    assert client.get(tab).status_code == 302  # anonymous → login
    assert web(org.other_manager).get(tab).status_code == 404
    assert (
        web(org.other_manager)
        .post(f"/playbook/deals/{deal.pk}/buying/template/", {"template": _crm().pk})
        .status_code
        == 404
    )
    partner = web(org.partner)
    assert partner.get("/playbook/buying-processes/").status_code == 404
    assert partner.get(f"/playbook/buying-processes/{_crm().pk}/").status_code == 404
    assert partner.get(tab).status_code == 404
    assert not OpportunityBuyingProcess.objects.exists()


def test_administrator_edits_a_template_in_the_page(org, web):
    template = _crm()
    rep_page = web(org.rep).get(f"/playbook/buying-processes/{template.pk}/")
    assert rep_page.status_code == 200 and "template-edit-form" not in rep_page.content.decode()
    denied = web(org.rep).post(
        f"/playbook/buying-processes/{template.pk}/edit/", {"name_en": "x", "version": 1}
    )
    assert denied.status_code == 403
    client = web(org.admin)
    page = client.get(f"/playbook/buying-processes/{template.pk}/")
    assert "template-edit-form" in page.content.decode()
    step = template.steps.get(number=4)
    response = client.post(
        f"/playbook/buying-processes/{template.pk}/steps/{step.pk}/",
        {
            f"step{step.pk}-number": 4,
            f"step{step.pk}-name_en": "Budget approved by finance",
            f"step{step.pk}-name_zh": "财务批复预算",
            f"step{step.pk}-description_en": "",
            f"step{step.pk}-description_zh": "",
            f"step{step.pk}-stage": "value_presentation",
            f"step{step.pk}-version": step.version,
        },
    )
    assert response.status_code == 302
    step.refresh_from_db()
    assert (step.name_zh, step.stage) == ("财务批复预算", "value_presentation")
    added = client.post(
        f"/playbook/buying-processes/{template.pk}/steps/{step.pk}/roles/",
        {
            f"new-role{step.pk}-name_en": "Budget controller",
            f"new-role{step.pk}-name_zh": "预算专员",
            f"new-role{step.pk}-function": "finance",
            f"new-role{step.pk}-kind": "informed",
        },
    )
    assert added.status_code == 302
    assert step.roles.filter(name_zh="预算专员").exists()
