"""Plans and tactics (§2.4, §2.5), monitoring and evaluation (§2.7), visits (§2.8),
timeline, group roll-up, KA profile, and the fixed query counts of every list."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.accounts.factories import grade, make_competitor, make_plan
from tests.factories import make_account
from wuwei.accounts.models import PlanAction, Tactic
from wuwei.accounts.services import monitoring_record_create, visit_plan
from wuwei.accounts.timeline import (
    TimelineEntry,
    _sources,
    account_timeline,
    register_timeline_source,
)
from wuwei.opportunities.models import Opportunity
from wuwei.opportunities.services import opportunity_create


def test_tactics_library_is_seeded_in_both_languages(org, api):
    for strategy in ("acquire", "grow", "retain", "win_back", "wait_and_watch"):
        tactics = Tactic.objects.filter(strategy=strategy)
        assert tactics.count() >= 4
        assert all(t.title_zh and t.title_en for t in tactics)
    assert api(org.partner).get("/tactics").json()["items"] == []


def test_tactics_are_editable_by_managers_only(org, api):
    tactic = Tactic.objects.first()
    assert (
        api(org.rep).patch(f"/tactics/{tactic.pk}", {"title_en": "X", "version": 1}).status_code
        == 403
    )
    response = api(org.manager).patch(f"/tactics/{tactic.pk}", {"title_en": "Better", "version": 1})
    assert (response.status_code, response.json()["title_en"]) == (200, "Better")
    created = api(org.admin).post(
        "/tactics", {"strategy": "grow", "title_zh": "联合发布会", "title_en": "Joint launch"}
    )
    assert created.status_code == 201


def test_plan_with_value_implantation_and_adopted_tactics(org, api):
    account = make_account(org.rep, status="customer")
    first, second, third = (make_competitor(n) for n in ("BlueSea", "Polaris", "Globex"))
    client = api(org.rep)
    response = client.post(
        f"/accounts/{account.pk}/plans",
        {
            "year": 2027,
            "goal": "Strategic partner",
            "strategy": "retain",
            "our_solution": "Data platform",
            "business_value": "Reports in minutes",
            "competitors": [
                {"competitor": first.pk, "rank": 1, "solution_comparison": "slower"},
                {
                    "competitor": second.pk,
                    "rank": 2,
                    "strength_comparison": "weaker hardware",
                    "is_ahead": True,
                },
            ],
        },
    )
    assert response.status_code == 201
    plan = response.json()
    assert [(c["competitor_name"], c["rank"], c["is_ahead"]) for c in plan["competitors"]] == [
        ("BlueSea", 1, False),
        ("Polaris", 2, True),
    ]
    too_many = [{"competitor": c.pk, "rank": r} for c, r in ((first, 1), (second, 2), (third, 2))]
    bad = client.patch(
        f"/accounts/{account.pk}/plans/{plan['id']}", {"competitors": too_many, "version": 1}
    )
    assert bad.status_code == 422
    assert client.post(f"/accounts/{account.pk}/plans", {"year": 2027}).status_code == 422
    tactics = list(Tactic.objects.filter(strategy="retain")[:2])
    adopted = client.post(
        f"/accounts/{account.pk}/plans/{plan['id']}/tactics",
        {"tactics": [t.pk for t in tactics], "due": "2027-03-31"},
    )
    assert adopted.status_code == 201
    assert [a["tactic"] for a in adopted.json()] == [t.pk for t in tactics]
    assert all(a["status"] == "planned" and a["due"] == "2027-03-31" for a in adopted.json())
    again = client.post(
        f"/accounts/{account.pk}/plans/{plan['id']}/tactics", {"tactics": [tactics[0].pk]}
    )
    assert again.json() == []
    action = adopted.json()[0]
    done = client.patch(
        f"/accounts/{account.pk}/plans/{plan['id']}/actions/{action['id']}",
        {"status": "done", "version": 1},
    )
    assert done.json()["status"] == "done"
    body = client.get(f"/accounts/{account.pk}/plans/{plan['id']}").json()
    assert [a["status"] for a in body["actions"]] == ["done", "planned"]


def test_plans_visibility(org, api):
    account = make_account(org.rep)
    plan = make_plan(account)
    assert api(None).get(f"/accounts/{account.pk}/plans").status_code == 401
    assert api(org.other_manager).get(f"/accounts/{account.pk}/plans").status_code == 404
    assert api(org.other_manager).get(f"/accounts/{account.pk}/plans/{plan.pk}").status_code == 404
    assert (
        api(org.other_manager).post(f"/accounts/{account.pk}/plans", {"year": 2028}).status_code
        == 404
    )
    other = make_account(org.other_manager)
    assert api(org.other_manager).get(f"/accounts/{other.pk}/plans/{plan.pk}").status_code == 404
    assert [
        p["id"] for p in api(org.manager).get(f"/accounts/{account.pk}/plans").json()["items"]
    ] == [plan.pk]


def test_plan_list_query_count_does_not_grow(org, api, django_assert_num_queries):
    account = make_account(org.rep)
    competitor = make_competitor("BlueSea")
    tactic = Tactic.objects.first()
    from wuwei.accounts.services import CompetitorComparison, plan_adopt_tactics

    def add(years):
        for year in years:
            plan = make_plan(account, year, competitors=[CompetitorComparison(competitor, 1)])
            plan_adopt_tactics(user=org.rep, plan=plan, tactics=[tactic])

    client = api(org.rep)
    client.get("/me")
    add(range(2000, 2010))
    with django_assert_num_queries(4) as small:
        assert (
            len(client.get(f"/accounts/{account.pk}/plans", {"limit": 500}).json()["items"]) == 10
        )
    add(range(2010, 2100))
    with django_assert_num_queries(len(small.captured_queries)):
        assert (
            len(client.get(f"/accounts/{account.pk}/plans", {"limit": 500}).json()["items"]) == 100
        )


def test_account_list_with_new_fields_query_count(org, api, django_assert_num_queries):
    client = api(org.manager)
    client.get("/me")

    def add(n):
        for _ in range(n):
            account = make_account(org.rep, tags=["信创"], annual_revenue=Decimal(1))
            grade(account, (80, 80, 80, 80))

    add(10)
    with django_assert_num_queries(1) as small:
        items = client.get("/accounts", {"limit": 500, "tag": "信创"}).json()["items"]
    assert len(items) == 10
    assert (items[0]["grade"], items[0]["account_class"], items[0]["tags"]) == ("A", "A", ["信创"])
    add(190)
    with django_assert_num_queries(len(small.captured_queries)):
        assert len(client.get("/accounts", {"limit": 500, "grade": "A"}).json()["items"]) == 200


def test_ninebox_data_query_count_and_visibility(org, api, django_assert_num_queries):
    client = api(org.manager)
    client.get("/me")
    for _ in range(10):
        grade(make_account(org.rep), (20, 90, 50, 50))
    make_account(org.rep)  # not graded: not a dot
    grade(make_account(org.other_manager), (90, 90, 90, 90))  # not visible
    with django_assert_num_queries(1) as small:
        items = client.get("/accounts/ninebox").json()["items"]
    assert len(items) == 10
    assert {(i["class"], i["potential"], i["contribution"]) for i in items} == {("C", 90, 20)}
    for _ in range(190):
        grade(make_account(org.rep), (90, 90, 90, 90))
    with django_assert_num_queries(len(small.captured_queries)):
        assert len(client.get("/accounts/ninebox").json()["items"]) == 200
    assert api(None).get("/accounts/ninebox").status_code == 401


def test_ka_profile_is_automatic_and_overridable_with_a_reason(org, api):
    client = api(org.rep)
    body = client.post(
        "/accounts",
        {"name": "Big Regional", "hq_scope": "regional", "annual_revenue": "50000000"},
    ).json()
    assert (body["ka_profile"], body["ka_profile_auto"]) == ("regional", "regional")
    small = client.patch(f"/accounts/{body['id']}", {"annual_revenue": "100", "version": 1}).json()
    assert small["ka_profile"] is None
    url = f"/accounts/{body['id']}/ka-profile"
    assert client.put(url, {"value": "national", "version": 2}).status_code == 422
    overridden = client.put(url, {"value": "national", "reason": "state-owned group", "version": 2})
    assert (overridden.json()["ka_profile"], overridden.json()["ka_profile_overridden"]) == (
        "national",
        True,
    )


def test_group_rollup_sums_visible_subsidiaries_and_open_pipeline(org, api):
    group = make_account(org.rep, annual_revenue=Decimal(100))
    child = make_account(org.rep, parent=group, annual_revenue=Decimal(40))
    make_account(org.rep, parent=child, annual_revenue=Decimal(2))
    make_account(org.other_manager, parent=group, annual_revenue=Decimal(999))  # hidden
    opportunity_create(user=org.rep, account=child, name="Open", amount=Decimal(500))
    won = opportunity_create(user=org.rep, account=group, name="Won", amount=Decimal(7))
    Opportunity.objects.filter(pk=won.pk).update(stage="won")
    body = api(org.rep).get(f"/accounts/{group.pk}/group").json()
    assert body == {
        "subsidiaries": 2,
        "subsidiaries_revenue": "42.00",
        "group_revenue": "142.00",
        "open_pipeline": "500.00",
        "open_opportunities": 1,
    }


def test_monitoring_changes_become_timeline_events_and_falling_closeness_suggests_win_back(
    org, api
):
    account = make_account(org.rep, status="customer")
    grade(account, (90, 90, 90, 90))
    client = api(org.rep)
    for day, closeness, importance in ((1, "70", 60), (2, "60", 60), (3, "55.5", 80)):
        response = client.post(
            f"/accounts/{account.pk}/monitoring",
            {
                "recorded_on": f"2027-01-0{day}",
                "importance": importance,
                "closeness": closeness,
                "capability_fit": 50,
            },
        )
        assert response.status_code == 201
    assert response.json()["changes"] == {"importance": [60, 80], "closeness": ["60.0", "55.5"]}
    account.refresh_from_db()
    assert account.strategy == "win_back"
    entries = client.get(f"/accounts/{account.pk}/timeline").json()["items"]
    monitoring = [e for e in entries if e["kind"] == "monitoring"]
    assert [e["when"][:10] for e in monitoring] == ["2027-01-03", "2027-01-02", "2027-01-01"]
    assert monitoring[0]["details"] == [
        "importance: 60 → 80",
        "relationship closeness: 60.0 → 55.5",
    ]
    assert (
        client.post(
            f"/accounts/{account.pk}/monitoring",
            {"recorded_on": "2027-01-04", "importance": 101, "capability_fit": 1},
        ).status_code
        == 422
    )


def test_annual_evaluation_computes_where_data_exists(org, api):
    account = make_account(org.rep)
    client = api(org.rep)
    year = date.today().year
    assert (
        client.post(
            f"/accounts/{account.pk}/evaluations", {"year": year, "solution_score": 50}
        ).status_code
        == 422
    )
    for month, closeness in ((1, Decimal(50)), (2, Decimal(64))):
        monitoring_record_create(
            user=org.rep,
            account=account,
            recorded_on=date(year, month, 1),
            importance=50,
            capability_fit=50,
            closeness=closeness,
        )
    opportunity_create(user=org.rep, account=account, name="A", amount=Decimal(100))
    opportunity_create(user=org.rep, account=account, name="B", amount=Decimal(50))
    body = client.post(
        f"/accounts/{account.pk}/evaluations",
        {"year": year, "solution_score": 70, "relationship_score": 10, "incubation_score": 5},
    ).json()
    assert (body["relationship_score"], body["solution_score"], body["incubation_score"]) == (
        64,
        70,
        50,
    )
    assert (
        body["closeness_change"],
        body["opportunities_incubated"],
        body["opportunities_amount"],
    ) == ("14.0", 2, "150.00")


def test_visit_outcome_with_an_opportunity_found_creates_it(org, api):
    account = make_account(org.rep, segment="SMB")
    client = api(org.rep)
    visit = client.post(
        f"/accounts/{account.pk}/visits", {"planned_on": "2027-02-01", "purpose": "Quarterly"}
    ).json()
    response = client.post(
        f"/accounts/{account.pk}/visits/{visit['id']}/outcome",
        {
            "visited_on": "2027-02-02",
            "outcome": "New ERP",
            "opportunity_name": "ERP",
            "opportunity_amount": "300000",
            "version": 1,
        },
    )
    assert response.status_code == 200
    opportunity = Opportunity.objects.get(pk=response.json()["opportunity"])
    assert (opportunity.name, opportunity.source, opportunity.grade, opportunity.track) == (
        "ERP",
        "visit",
        "C",
        "fast_track",
    )
    again = client.post(
        f"/accounts/{account.pk}/visits/{visit['id']}/outcome",
        {"visited_on": "2027-02-02", "outcome": "x", "version": 2},
    )
    assert again.status_code == 409
    assert api(org.other_manager).get(f"/accounts/{account.pk}/visits").status_code == 404


def test_visit_list_query_count(org, api, django_assert_num_queries):
    account = make_account(org.rep)
    client = api(org.rep)
    client.get("/me")
    for day in range(1, 11):
        visit_plan(user=org.rep, account=account, planned_on=date(2027, 1, day), purpose="v")
    with django_assert_num_queries(2) as small:
        assert (
            len(client.get(f"/accounts/{account.pk}/visits", {"limit": 500}).json()["items"]) == 10
        )
    for _day in range(190):
        visit_plan(user=org.rep, account=account, planned_on=date(2026, 1, 1), purpose="v")
    with django_assert_num_queries(len(small.captured_queries)):
        assert (
            len(client.get(f"/accounts/{account.pk}/visits", {"limit": 500}).json()["items"]) == 200
        )


def test_timeline_is_newest_first_and_open_to_other_sources(org, api):
    account = make_account(org.rep, status="customer")
    grade(account, (90, 90, 90, 90))
    plan = make_plan(account, 2027)
    from wuwei.accounts.services import action_create

    action_create(user=org.rep, plan=plan, title="Call the CIO")
    kinds = [e.kind for e in account_timeline(user=org.rep, account=account)]
    assert kinds == ["action", "grading", "change"]

    def activities(user, acc, limit):
        yield TimelineEntry(
            when=account.created_at.replace(year=2099), kind="activity", title="Site visit"
        )

    register_timeline_source(activities)
    try:
        entries = account_timeline(user=org.rep, account=account)
        assert (entries[0].kind, entries[0].title) == ("activity", "Site visit")
    finally:
        _sources.remove(activities)
    assert api(org.other_manager).get(f"/accounts/{account.pk}/timeline").status_code == 404


@pytest.mark.parametrize(
    "tab", ["overview", "contacts", "opportunities", "plan", "grading", "timeline"]
)
def test_account_page_tabs_visibility(org, web, client, tab):
    account = make_account(org.rep)
    url = f"/accounts/{account.pk}/?tab={tab}"
    assert client.get(url).status_code == 302
    assert web(org.other_manager).get(url).status_code == 404
    page = web(org.rep).get(url)
    assert page.status_code == 200
    assert f'id="tab-{tab}"' in page.content.decode()
    fragment = web(org.rep).get(
        f"/accounts/{account.pk}/tab/{tab}/", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="account-tab"
    )
    assert fragment.status_code == 200 and b"<html" not in fragment.content


def test_grading_form_on_the_page(org, web):
    account = make_account(org.rep, status="customer")
    response = web(org.rep).post(
        f"/accounts/{account.pk}/grading/",
        {
            "revenue": 20,
            "potential": 90,
            "demonstration": 50,
            "can_win_deliver": 50,
            "revenue_justification": "small today",
        },
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="account-tab",
    )
    assert response.status_code == 200
    assert 'id="grading-class">C<' in response.content.decode()
    account.refresh_from_db()
    assert (account.grade, account.account_class, account.strategy) == ("C", "C", "grow")
    bad = web(org.rep).post(f"/accounts/{account.pk}/grading/", {"revenue": 200})
    assert bad.status_code == 422


def test_list_and_ninebox_pages_query_counts(org, web, django_assert_num_queries):
    client = web(org.manager)

    def add(n):
        for _ in range(n):
            grade(make_account(org.rep), (50, 50, 50, 50))

    add(10)
    client.get("/accounts/")
    for url in ("/accounts/", "/accounts/ninebox/"):
        with CaptureQueriesContext(connection) as small:
            assert client.get(url).status_code == 200
        counts = len(small.captured_queries)
        add(40)
        with django_assert_num_queries(counts):
            assert client.get(url).status_code == 200


def test_plan_page_saves_the_plan_and_adopts_tactics(org, web):
    account = make_account(org.rep, status="customer")
    grade(account, (90, 90, 90, 90))
    competitor = make_competitor("BlueSea")
    client = web(org.rep)
    response = client.post(
        f"/accounts/{account.pk}/plans/",
        {
            "year": 2027,
            "goal": "Partner",
            "strategy": "retain",
            "c1-competitor": competitor.pk,
            "c1-solution_comparison": "slower",
            "c1-is_ahead": "on",
        },
    )
    assert response.status_code == 302
    plan = account.plans.get()
    saved = plan.competitors.get()
    assert (plan.goal, saved.competitor_id, saved.is_ahead) == ("Partner", competitor.pk, True)
    tactics = list(Tactic.objects.filter(strategy="retain")[:2])
    response = client.post(
        f"/accounts/{account.pk}/plans/{plan.pk}/tactics/", {"tactics": [t.pk for t in tactics]}
    )
    assert response.status_code == 302
    assert sorted(PlanAction.objects.values_list("tactic_id", flat=True)) == sorted(
        t.pk for t in tactics
    )
    page = client.get(f"/accounts/{account.pk}/?tab=plan&year=2027").content.decode()
    assert tactics[0].title_en in page  # the web fixture asks for English
    outsider = web(org.other_manager)
    assert outsider.post(f"/accounts/{account.pk}/plans/", {"year": 2028}).status_code == 404
