"""MCI pages: login required, outsiders 404, the forms call the services, fixed queries."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.support.conftest import make_deal, make_request
from wuwei.support import services
from wuwei.support.models import Assignment, PresalesRequest, StageOwner


@pytest.fixture
def world(org, mci):
    deal = make_deal(org.rep, "5000000")
    request = make_request(deal)
    services.assignment_create(user=mci.lead, request=request, resource=mci.alice, days=Decimal(1))
    return deal, request


def _pages(deal, request):
    return [f"/support/requests/{request.pk}/", f"/support/deals/{deal.pk}/"]


def test_anonymous_is_sent_to_login(org, mci, world, client):
    for path in ["/support/", "/support/performance/", *_pages(*world)]:
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith("/login/"), path


def test_outsiders_get_404_and_change_nothing(org, mci, world, web):
    deal, request = world
    for outsider in (org.other_manager, mci.bob.user, mci.office_lead):
        client = web(outsider)
        for path in _pages(*world):
            assert client.get(path).status_code == 404, (outsider, path)
        assert client.post(f"/support/requests/{request.pk}/assign/", {}).status_code == 404
        assert client.post(f"/support/requests/{request.pk}/decide/", {}).status_code == 404
        assert client.post(f"/support/deals/{deal.pk}/request/", {}).status_code == 404
        assert client.post(f"/support/deals/{deal.pk}/stage-owner/", {}).status_code == 404
        board = client.get("/support/").content.decode()
        assert deal.name not in board
    assert (PresalesRequest.objects.count(), Assignment.objects.count()) == (1, 1)


def test_insiders_see_the_pages(org, mci, world, web):
    deal, _request = world
    for insider in (org.rep, org.manager, mci.alice.user, mci.lead, org.executive):
        client = web(insider)
        for path in ["/support/", "/support/performance/", *_pages(*world)]:
            assert client.get(path).status_code == 200, (insider, path)
    html = web(mci.lead).get("/support/").content.decode()
    assert deal.name in html and 'id="load-heatmap"' in html


def test_deal_page_shows_the_stage_path_with_owners(org, mci, world, web):
    deal, _request = world
    html = web(org.rep).get(f"/support/deals/{deal.pk}/").content.decode()
    assert 'data-testid="stage-path"' in html
    assert html.count("bi-person-check") == 1  # only the current stage has its owner yet


def test_request_form_confirms_warnings(org, mci, web):
    deal = make_deal(org.rep, "5000000", win_rate=0)
    client = web(org.rep)
    form = {
        "skills": "erp, cloud",
        "effort_days": "3",
        "start": "2027-01-04",
        "end": "2027-01-08",
        "purpose": "PoC",
    }
    refused = client.post(f"/support/deals/{deal.pk}/request/", form)
    assert refused.status_code == 200 and PresalesRequest.objects.count() == 0
    assert "win rate is 0" in refused.content.decode()
    created = client.post(f"/support/deals/{deal.pk}/request/", {**form, "confirm_warnings": "on"})
    assert created.status_code == 302
    request = PresalesRequest.objects.get()
    assert (request.skills, request.warnings[0]["code"]) == (["cloud", "erp"], "win_rate_zero")


def test_assign_and_decide_forms(org, mci, web):
    deal = make_deal(org.rep, "200000")  # C in the east → the office; over budget
    request = make_request(deal, skills=["network"])
    decided = web(org.manager).post(
        f"/support/requests/{request.pk}/decide/", {"approve": "on", "comment": "go"}
    )
    assert decided.status_code == 302
    client = web(mci.office_lead)
    page = client.get(f"/support/requests/{request.pk}/").content.decode()
    assert f'data-assign="{mci.carol.pk}"' in page
    form = {"resource": mci.carol.pk, "days": "5", "start": "2027-01-04", "end": "2027-01-08"}
    assert client.post(f"/support/requests/{request.pk}/assign/", form).status_code == 302
    again = client.post(f"/support/requests/{request.pk}/assign/", {**form, "days": "1"})
    assert again.status_code == 200 and "over capacity" in again.content.decode()
    assert Assignment.objects.filter(request=request).count() == 1


def test_stage_owner_form(org, mci, world, web):
    deal, _request = world
    response = web(org.rep).post(
        f"/support/deals/{deal.pk}/stage-owner/",
        {"stage": "needs_analysis", "owner": mci.alice.user.pk, "reason": "solution lead"},
    )
    assert response.status_code == 302
    assert StageOwner.objects.get(opportunity=deal, stage="needs_analysis").owner == mci.alice.user


def _fill(org, mci, deal, n):
    for i in range(n):
        request = make_request(
            deal,
            effort_days=Decimal("0.1"),
            start=timezone.localdate(),
            end=timezone.localdate() + timedelta(days=7),
        )
        services.assignment_create(
            user=mci.lead, request=request, resource=mci.alice, days=Decimal("0.01")
        )
        make_deal(org.rep, "5000000")  # deals without requests stay off the burn table
        if i % 5 == 0:
            make_request(make_deal(org.rep, "3000000"))


def test_board_query_count_is_fixed(org, mci, web, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = web(mci.lead)
    client.get("/support/")
    deal = make_deal(org.rep, "900000000")
    _fill(org, mci, deal, 10)
    with CaptureQueriesContext(connection) as small:
        assert client.get("/support/").status_code == 200
    _fill(org, mci, deal, 190)
    with CaptureQueriesContext(connection) as large:
        response = client.get("/support/")
    assert response.status_code == 200
    assert len(small.captured_queries) == len(large.captured_queries) <= 12
    assert len(response.context["queue"]) == 50


def test_deal_and_performance_query_counts_are_fixed(org, mci, web):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = web(org.executive)
    deal = make_deal(org.rep, "900000000")
    _fill(org, mci, deal, 10)
    counts = []
    for more in (0, 90):
        _fill(org, mci, deal, more)
        with CaptureQueriesContext(connection) as deal_page:
            assert client.get(f"/support/deals/{deal.pk}/").status_code == 200
        with CaptureQueriesContext(connection) as report:
            assert client.get("/support/performance/").status_code == 200
        counts.append((len(deal_page.captured_queries), len(report.captured_queries)))
    assert counts[0] == counts[1]
