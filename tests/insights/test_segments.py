"""Segment report (METHOD.md §7.2) on a fixed data set: exact numbers, visibility, team
subtree, fixed query counts, the page and its chart, partner 404."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.db import models
from django.utils import timezone

from tests.factories import make_account, make_user
from tests.opportunities.factories import make_opportunity
from wuwei.insights.selectors import segment_report
from wuwei.opportunities.models import Opportunity
from wuwei.support.models import LedgerEntry

PERIOD = {"from": "2025-01-01", "to": "2025-06-30"}


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, 12))


def _closed(owner, account, amount, stage, created, closed, source="lead"):
    """A deal created and closed on given days (the facts the report reads; gates are not
    what this test is about)."""
    deal = make_opportunity(owner, account, amount=amount, source=source)
    Opportunity.objects.filter(pk=deal.pk).update(
        stage=stage, created_at=_at(created), closed_on=closed
    )
    return deal


def _ledger(deal, amount, posted, reverses=None):
    entry = LedgerEntry.objects.create(
        opportunity=deal,
        kind="reversal" if reverses else "charge",
        amount=Decimal(amount),
        reverses=reverses,
        description="presales",
        created_by=deal.owner,
    )
    # the ledger is append-only; only the test backdates the posting
    models.QuerySet(model=LedgerEntry).filter(pk=entry.pk).update(created_at=_at(posted))
    return entry


@pytest.fixture
def data(org):
    smb = make_account(org.rep, name="小微客户", segment="SMB")
    ka = make_account(org.rep, name="重点客户", segment="KA")
    d = date
    s1 = _closed(org.rep, smb, 100_000, "won", d(2025, 1, 1), d(2025, 1, 31))  # 30 days
    _closed(org.rep, smb, 80_000, "lost", d(2025, 2, 1), d(2025, 3, 3))  # 30
    _closed(org.rep, smb, 80_000, "lost", d(2025, 2, 1), d(2025, 2, 11))  # 10
    _closed(org.rep, smb, 80_000, "lost", d(2025, 3, 2), d(2025, 4, 1))  # 30
    _closed(org.rep, smb, 300_000, "won", d(2025, 3, 1), d(2025, 3, 21), source="visit")  # 20
    make_opportunity(org.rep, smb, amount=50_000)  # open: not counted
    _closed(org.rep, smb, 90_000, "won", d(2024, 11, 1), d(2024, 12, 15))  # before the period
    k1 = _closed(org.rep, ka, 6_000_000, "won", d(2025, 1, 10), d(2025, 5, 10))  # A, 120
    _closed(org.rep, ka, 2_000_000, "lost", d(2025, 2, 1), d(2025, 4, 2))  # B, 60
    _closed(org.rep, ka, 2_000_000, "lost", d(2025, 3, 1), d(2025, 3, 31))  # B, 30
    _closed(org.rep, ka, 300_000, "won", d(2025, 4, 1), d(2025, 4, 11))  # C, 10
    _ledger(s1, 10_000, d(2025, 3, 15))
    _ledger(k1, 50_000, d(2025, 3, 15))
    charge = _ledger(k1, 30_000, d(2025, 3, 15))
    _ledger(k1, -30_000, d(2025, 3, 16), reverses=charge)
    _ledger(k1, 7_000, d(2024, 12, 1))  # before the period
    # another team's key account: the executive sees it, East KA's manager does not
    north_rep = make_user("north_rep", team=org.north_ka)
    north = make_account(north_rep, name="北方客户", segment="KA")
    n1 = _closed(north_rep, north, 5_000_000, "won", d(2025, 2, 1), d(2025, 3, 3))  # A, 30
    _ledger(n1, 40_000, d(2025, 3, 15))
    return org


def _rows(report):
    return {
        row.segment: (
            row.rate.won,
            row.rate.closed,
            row.rate.rate,
            row.rate.meets_reference,
            row.closed,
            row.won,
            row.average_won_amount,
            row.average_cycle_days,
            row.presales_cost,
        )
        for row in report.rows
    }


def test_segment_numbers_for_the_teams_manager(data):
    report = segment_report(
        user=data.manager, date_from=date(2025, 1, 1), date_to=date(2025, 6, 30)
    )
    assert _rows(report) == {
        "SMB": (1, 4, Decimal("25.0"), True, 5, 2, Decimal("200000.00"), Decimal("24.0"), 10_000),
        "KA": (1, 3, Decimal("33.3"), False, 4, 2, Decimal("3150000.00"), Decimal("55.0"), 50_000),
    }


def test_executive_sees_every_team_and_filters_by_subtree(data):
    everything = segment_report(
        user=data.executive, date_from=date(2025, 1, 1), date_to=date(2025, 6, 30)
    )
    assert _rows(everything)["KA"] == (
        2,
        4,
        Decimal("50.0"),
        True,
        5,
        3,
        Decimal("3766666.67"),
        Decimal("50.0"),
        90_000,
    )
    east = segment_report(
        user=data.executive,
        date_from=date(2025, 1, 1),
        date_to=date(2025, 6, 30),
        team=data.east,
    )
    manager = segment_report(
        user=data.manager, date_from=date(2025, 1, 1), date_to=date(2025, 6, 30)
    )
    assert _rows(east) == _rows(manager)


def test_api_returns_the_numbers(data, api):
    response = api(data.manager).get("/reports/segments", PERIOD)
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["from"], body["to"], body["team"]) == ("2025-01-01", "2025-06-30", None)
    smb, ka = body["segments"]
    assert (smb["segment"], smb["won"], smb["closed"], smb["rate"], smb["reference"]) == (
        "SMB",
        1,
        4,
        "25.0",
        "15",
    )
    assert (ka["rate"], ka["gap"], ka["meets_reference"], ka["presales_cost"]) == (
        "33.3",
        "-16.7",
        False,
        "50000.00",
    )
    assert (ka["average_cycle_days"], ka["average_won_amount"]) == ("55.0", "3150000.00")
    team = api(data.executive).get("/reports/segments", {**PERIOD, "team": data.north_ka.pk})
    assert [s["closed_all"] for s in team.json()["segments"]] == [0, 1]


def test_api_bad_input_and_empty_period(data, api):
    client = api(data.manager)
    assert (
        client.get("/reports/segments", {"from": "2025-07-01", "to": "2025-01-01"}).status_code
        == 422
    )
    assert client.get("/reports/segments", {"from": "not a date"}).status_code == 422
    assert client.get("/reports/segments", {"team": 999999}).status_code == 404
    empty = client.get("/reports/segments", {"from": "2020-01-01", "to": "2020-12-31"}).json()
    assert [(s["rate"], s["closed_all"]) for s in empty["segments"]] == [(None, 0), (None, 0)]


def test_outsiders_see_nothing_and_partners_get_404(data, api, web):
    from django.test import Client

    assert Client().get("/insights/segments/").status_code == 302  # anonymous → login
    assert api(None).get("/reports/segments", PERIOD).status_code == 401
    assert api(data.partner).get("/reports/segments", PERIOD).status_code == 404
    assert web(data.partner).get("/insights/segments/").status_code == 404
    outsider = make_user("outsider", team=data.north_ka)
    body = api(outsider).get("/reports/segments", PERIOD).json()
    assert [s["closed_all"] for s in body["segments"]] == [0, 0]


def test_api_query_count_does_not_grow(data, api, django_assert_num_queries):
    client = api(data.manager)
    client.get("/reports/segments", PERIOD)
    with django_assert_num_queries(2):  # deals, ledger (the token is cached)
        client.get("/reports/segments", PERIOD)
    smb = make_account(data.rep, name="又一家", segment="SMB")
    for _ in range(5):
        _closed(data.rep, smb, 80_000, "lost", date(2025, 2, 1), date(2025, 2, 11))
    with django_assert_num_queries(2):
        body = client.get("/reports/segments", PERIOD).json()
    assert body["segments"][0]["closed"] == 9


def test_page_shows_table_and_chart_data(data, web, django_assert_max_num_queries):
    client = web(data.manager)
    page = client.get("/insights/segments/", {"date_from": "2025-01-01", "date_to": "2025-06-30"})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="segment-table"' in html
    assert "25.0 %" in html and "33.3 %" in html
    assert '<script id="segment-chart-data" type="application/json">' in html
    assert "segments.js" in html
    assert page.context["chart"]["series"][0]["data"] == [25.0, 33.3]
    empty = client.get("/insights/segments/", {"date_from": "2020-01-01", "date_to": "2020-12-31"})
    assert 'data-testid="no-data"' in empty.content.decode()
    assert empty.context["chart"] is None
    bad = client.get("/insights/segments/", {"date_from": "2025-07-01", "date_to": "2025-01-01"})
    assert bad.status_code == 200 and bad.context["report"] is None


def test_page_query_count_does_not_grow(data, web, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = web(data.manager)
    params = {"date_from": "2025-01-01", "date_to": "2025-06-30"}
    client.get("/insights/segments/", params)
    with CaptureQueriesContext(connection) as captured:
        client.get("/insights/segments/", params)
    smb = make_account(data.rep, name="再一家", segment="SMB")
    for _ in range(4):
        _closed(data.rep, smb, 80_000, "won", date(2025, 2, 1), date(2025, 2, 11))
    with django_assert_num_queries(len(captured)):
        client.get("/insights/segments/", params)


def test_insights_home_links_the_report(data, web):
    html = web(data.manager).get("/").content.decode()
    assert 'href="/insights/segments/"' in html
    assert 'href="/insights/segments/"' not in web(data.partner).get("/").content.decode()
