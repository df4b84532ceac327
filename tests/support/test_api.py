"""MCI API: contract, visibility for every endpoint, fixed query counts."""

from datetime import date
from decimal import Decimal

import pytest

from tests.factories import make_user
from tests.support.conftest import MONDAY, make_deal, make_request, make_resource
from wuwei.api import api as ninja_api
from wuwei.opportunities.models import Opportunity
from wuwei.org.models import Role
from wuwei.support import services
from wuwei.support.models import Assignment, LedgerEntry, PresalesRequest, StageOwner


def _assign(mci, request, resource, days="1", start=MONDAY, end=date(2027, 1, 8)):
    return services.assignment_create(
        user=mci.lead, request=request, resource=resource, days=Decimal(days), start=start, end=end
    )


def test_ledger_route_is_mounted_beside_the_opportunities_router():
    paths = {pattern.pattern._route for pattern in ninja_api.urls[0]}
    assert "opportunities/<opportunity_id>/ledger" in paths
    assert "presales/requests" in paths


def test_request_create_contract(org, mci, api):
    deal = make_deal(org.rep, "5000000")
    body = {
        "opportunity": deal.pk,
        "skills": ["ERP", " cloud "],
        "effort_days": "4",
        "start": "2027-01-04",
        "end": "2027-01-08",
        "purpose": "Demo for the CIO",
    }
    response = api(org.rep).post("/presales/requests", body)
    assert response.status_code == 201, response.json()
    data = response.json()
    assert {k: data[k] for k in ("queue", "unit", "state", "skills", "effort_days", "grade")} == {
        "queue": "delivery_center",
        "unit": mci.centre.pk,
        "state": "queued",
        "skills": ["cloud", "erp"],
        "effort_days": "4.00",
        "grade": "A",
    }
    assert (data["budget"], data["estimated_cost"]) == ("150000.00", "8000.00")


def test_request_warning_confirmation_over_the_api(org, mci, api):
    deal = make_deal(org.rep, "5000000", win_rate=0)
    body = {
        "opportunity": deal.pk,
        "effort_days": 1,
        "start": "2027-01-04",
        "end": "2027-01-04",
        "purpose": "x",
    }
    refused = api(org.rep).post("/presales/requests", body)
    assert refused.status_code == 409
    assert refused.json()["errors"][0]["field"] == "confirm_warnings"
    assert PresalesRequest.objects.count() == 0
    confirmed = api(org.rep).post("/presales/requests", {**body, "confirm_warnings": True})
    assert confirmed.status_code == 201
    assert [w["code"] for w in confirmed.json()["warnings"]] == ["win_rate_zero"]
    assert confirmed.json()["warnings_confirmed_by"] == org.rep.pk


def test_assign_over_the_api_with_capacity_refusal(org, mci, api):
    deal = make_deal(org.rep, "50000000")
    request = make_request(deal)
    client = api(mci.lead)
    body = {"request": request.pk, "resource": mci.bob.pk, "days": "5"}
    created = client.post("/presales/assignments", body)
    assert created.status_code == 201, created.json()
    assert (created.json()["cost"], created.json()["over_capacity_weeks"]) == ("5000.00", [])
    refused = client.post("/presales/assignments", {**body, "days": "0.5"})
    assert refused.status_code == 409
    assert refused.json()["errors"] == [{"field": "days", "message": "2027-W01: 110.00 %"}]
    flagged = client.post(
        "/presales/assignments", {**body, "days": "0.5", "allow_over_capacity": True}
    )
    assert flagged.json()["over_capacity_weeks"] == ["2027-W01"]
    proposals = client.get(f"/presales/requests/{request.pk}/proposals").json()["proposals"]
    # alice fits and is from the centre, dave fits from the hotline, bob is full in W01
    assert [(p["resource"]["name"], p["fits"], p["home_unit"]) for p in proposals] == [
        ("alice", True, True),
        ("dave", True, False),
        ("bob", False, True),
    ]
    assert proposals[2]["weeks_over"] == ["2027-W01"]


def test_ledger_endpoint_and_reversal(org, mci, api):
    deal = make_deal(org.rep, "5000000")
    request = make_request(deal)
    assignment = _assign(mci, request, mci.alice, "2")
    client = api(mci.lead)
    ledger = client.get(f"/opportunities/{deal.pk}/ledger").json()
    assert {k: ledger[k] for k in ("budget", "charged", "reversed", "balance", "remaining")} == {
        "budget": "150000.00",
        "charged": "6000.00",
        "reversed": "0.00",
        "balance": "6000.00",
        "remaining": "144000.00",
    }
    entry = ledger["items"][0]
    assert (entry["kind"], entry["amount"], entry["assignment"]) == (
        "charge",
        "6000.00",
        assignment.pk,
    )
    assert (
        client.post(f"/opportunities/{deal.pk}/ledger/{entry['id']}/reverse", {}).status_code == 422
    )
    reversal = client.post(
        f"/opportunities/{deal.pk}/ledger/{entry['id']}/reverse", {"reason": "typo"}
    )
    assert reversal.status_code == 201
    assert (reversal.json()["amount"], reversal.json()["reverses"]) == ("-6000.00", entry["id"])
    assert client.get(f"/opportunities/{deal.pk}/ledger").json()["balance"] == "0.00"
    # there is no way to edit or delete an entry
    assert client.patch(f"/opportunities/{deal.pk}/ledger", {}).status_code == 405
    assert client.delete(f"/opportunities/{deal.pk}/ledger").status_code == 405


def test_budget_approval_over_the_api(org, mci, api):
    deal = make_deal(org.rep, "200000")
    request = make_request(deal)
    assert api(org.rep).post(f"/presales/requests/{request.pk}/approve", {}).status_code == 403
    assert (
        api(org.other_manager).post(f"/presales/requests/{request.pk}/approve", {}).status_code
        == 404
    )
    approved = api(org.manager).post(f"/presales/requests/{request.pk}/approve", {"comment": "ok"})
    assert (approved.status_code, approved.json()["state"]) == (200, "queued")
    assert approved.json()["over_budget_approved"] is True


def test_stage_owner_scores_and_credits_over_the_api(org, mci, api):
    deal = make_deal(org.rep, "2000000")
    request = make_request(deal)
    _assign(mci, request, mci.alice, "1")
    client = api(org.rep)
    owners = client.get("/presales/stage-owners", {"opportunity": deal.pk}).json()["items"]
    assert [(o["stage"], o["owner"]) for o in owners] == [("validate", org.rep.pk)]
    reassigned = client.post(
        "/presales/stage-owners",
        {"opportunity": deal.pk, "stage": "validate", "owner": mci.alice.user.pk, "reason": "demo"},
    )
    assert reassigned.status_code == 201
    score = api(mci.alice.user).post(
        "/presales/scores",
        {"opportunity": deal.pk, "stage": "validate", "participant": org.rep.pk, "score": 85},
    )
    assert score.status_code == 201, score.json()
    Opportunity.objects.filter(pk=deal.pk).update(stage="won")
    deal.refresh_from_db()
    services.credit_splits_create_for_won(deal)
    credits = client.get("/presales/credits", {"opportunity": deal.pk}).json()["items"]
    assert sorted((c["user"], c["role"], c["is_double_counted"]) for c in credits) == sorted(
        [(org.rep.pk, "owner", False), (mci.alice.user.pk, "presales", True)]
    )
    rows = api(org.executive).get("/presales/performance").json()["items"]
    report = {row["name"]: row for row in rows}
    assert report["alice"]["credited"] == "2000000.00"
    assert report["alice"]["cost"] == "3000.00"
    assert report["alice"]["return_ratio"] == "666.67"
    assert report["rep"]["score_average"] == 85.0


# ----------------------------------------------------------------------------------------
# visibility: anonymous 401, outsider 404, assigned presales sees the deal, unassigned not


@pytest.fixture
def world(org, mci):
    deal = make_deal(org.rep, "5000000")
    request = make_request(deal)
    assignment = _assign(mci, request, mci.alice, "1")
    entry = LedgerEntry.objects.get(assignment=assignment)
    return deal, request, assignment, entry


def _reads(deal, request, assignment, entry, mci):
    return [
        f"/presales/requests/{request.pk}",
        f"/presales/requests/{request.pk}/proposals",
        f"/presales/assignments/{assignment.pk}",
        f"/opportunities/{deal.pk}/ledger",
    ]


def test_anonymous_gets_401_everywhere(org, mci, world, api):
    deal, request, assignment, entry = world
    client = api(None)
    for path in [
        *_reads(*world, mci),
        "/presales/resources",
        f"/presales/resources/{mci.alice.pk}",
        "/presales/levels",
        "/presales/requests",
        "/presales/assignments",
        "/presales/stage-owners",
        "/presales/scores",
        "/presales/credits",
        "/presales/performance",
        "/presales/load",
    ]:
        assert client.get(path).status_code == 401, path
    for path in [
        "/presales/requests",
        "/presales/assignments",
        "/presales/resources",
        "/presales/levels",
        "/presales/stage-owners",
        "/presales/scores",
        f"/presales/requests/{request.pk}/approve",
        f"/presales/assignments/{assignment.pk}/cancel",
        f"/opportunities/{deal.pk}/ledger/{entry.pk}/reverse",
    ]:
        assert client.post(path, {}).status_code == 401, path


def test_outsiders_get_404_and_change_nothing(org, mci, world, api):
    deal, request, assignment, entry = world
    unassigned = mci.bob.user
    for outsider in (org.other_manager, org.partner, unassigned, mci.office_lead):
        client = api(outsider)
        for path in _reads(*world, mci):
            assert client.get(path).status_code == 404, (outsider, path)
        assert client.get("/presales/requests").json()["items"] == []
        owners = client.get("/presales/stage-owners", {"opportunity": deal.pk}).json()
        assert owners == {"items": [], "next": None, "count": None}
        assert client.post(f"/presales/assignments/{assignment.pk}/cancel", {}).status_code == 404
        reverse = client.post(
            f"/opportunities/{deal.pk}/ledger/{entry.pk}/reverse", {"reason": "x"}
        )
        assert reverse.status_code == 404
        new = client.post(
            "/presales/requests",
            {
                "opportunity": deal.pk,
                "effort_days": 1,
                "start": "2027-01-04",
                "end": "2027-01-04",
                "purpose": "x",
            },
        )
        assert new.status_code == 404
        assign = client.post(
            "/presales/assignments", {"request": request.pk, "resource": mci.bob.pk, "days": 1}
        )
        assert assign.status_code == 404
    assert (
        PresalesRequest.objects.count(),
        Assignment.objects.count(),
        LedgerEntry.objects.count(),
    ) == (1, 1, 1)
    # partners do not see the pool
    assert api(org.partner).get(f"/presales/resources/{mci.alice.pk}").status_code == 404


def test_assigned_presales_and_queue_lead_see_the_deal(org, mci, world, api):
    deal, _request, assignment, _entry = world
    for insider in (org.rep, org.manager, org.executive, mci.alice.user, mci.lead):
        client = api(insider)
        for path in _reads(*world, mci):
            assert client.get(path).status_code == 200, (insider, path)
    # the grant widens the deal and its account for the assigned person
    client = api(mci.alice.user)
    assert client.get(f"/accounts/{deal.account_id}").status_code == 200
    assert api(mci.bob.user).get(f"/accounts/{deal.account_id}").status_code == 404
    # a cancelled assignment no longer opens the deal
    services.assignment_cancel(user=mci.lead, assignment=assignment, reason="x")
    StageOwner.objects.filter(owner=mci.alice.user).delete()
    assert api(mci.alice.user).get(f"/opportunities/{deal.pk}/ledger").status_code == 404
    # ... but the assignment is still hers to see
    assert api(mci.alice.user).get(f"/presales/assignments/{assignment.pk}").status_code == 200


# ----------------------------------------------------------------------------------------
# fixed query counts


def _bulk(org, mci, n):
    deal = make_deal(org.rep, "900000000")
    for _ in range(n):
        request = make_request(deal, effort_days=Decimal("0.1"))
        services.assignment_create(
            user=mci.lead, request=request, resource=mci.alice, days=Decimal("0.01")
        )
    return deal


@pytest.mark.parametrize(
    ("path", "queries"),
    [
        ("/presales/requests", 1),
        ("/presales/assignments", 1),
        ("/opportunities/{deal}/ledger", 4),
    ],
)
def test_list_query_counts_do_not_grow(org, mci, api, django_assert_num_queries, path, queries):
    client = api(mci.lead)
    client.get("/me")
    deal = _bulk(org, mci, 10)
    url = path.format(deal=deal.pk)
    with django_assert_num_queries(queries):
        assert len(client.get(url, {"limit": 500}).json()["items"]) == 10
    _bulk_more(org, mci, deal, 190)
    with django_assert_num_queries(queries):
        assert len(client.get(url, {"limit": 500}).json()["items"]) == 200


def _bulk_more(org, mci, deal, n):
    for _ in range(n):
        request = make_request(deal, effort_days=Decimal("0.1"))
        services.assignment_create(
            user=mci.lead, request=request, resource=mci.alice, days=Decimal("0.01")
        )


def test_resource_and_report_query_counts_do_not_grow(org, mci, api, django_assert_num_queries):
    client = api(org.executive)
    client.get("/me")
    with django_assert_num_queries(1):
        assert len(client.get("/presales/resources", {"limit": 500}).json()["items"]) == 4
    with django_assert_num_queries(1):
        client.get("/presales/performance")
    with django_assert_num_queries(2):
        client.get("/presales/load")
    for n in range(40):
        make_resource(f"extra{n}", level=mci.junior, unit=mci.centre, skills=["erp"])
    with django_assert_num_queries(1):
        assert len(client.get("/presales/resources", {"limit": 500}).json()["items"]) == 44
    with django_assert_num_queries(2):
        assert len(client.get("/presales/load").json()["people"]) == 44


def test_resource_pool_is_managed_by_leads(org, mci, api):
    person = make_user("eve", roles=[Role.PRESALES], team=mci.centre)
    body = {"user": person.pk, "level": "P3", "home_unit": mci.centre.pk, "skills": ["bid"]}
    assert api(org.rep).post("/presales/resources", body).status_code == 403
    created = api(mci.lead).post("/presales/resources", body)
    assert created.status_code == 201
    assert (created.json()["day_rate"], created.json()["unit_kind"]) == (
        "3000.00",
        "delivery_center",
    )
    wrong = api(mci.lead).post("/presales/resources", {**body, "home_unit": org.east_ka.pk})
    assert wrong.status_code in (409, 422)
    assert [
        r["name"] for r in api(org.rep).get("/presales/resources", {"skill": "erp"}).json()["items"]
    ] == [
        "alice",
        "bob",
        "dave",
    ]
    detail = api(org.rep).get(
        f"/presales/resources/{mci.alice.pk}", {"start": "2027-01-04", "weeks": 2}
    )
    assert detail.json()["load"] == [
        {"week": "2027-W01", "load": "0.0"},
        {"week": "2027-W02", "load": "0.0"},
    ]
