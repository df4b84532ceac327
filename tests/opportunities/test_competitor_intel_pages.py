"""Competitor intelligence edited in pages (issue 16 item 3): analysis library, key events and
prices — add, edit, archive through the API's services, stale versions refused with a
message, outsiders and partners refused; the deal's competitors tab keeps its tab."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_account
from tests.opportunities.factories import make_competitor, make_opportunity
from wuwei.competitors import services as competitors
from wuwei.competitors.models import CompetitorEvent, CompetitorInsight, CompetitorPrice
from wuwei.opportunities import services
from wuwei.opportunities.models import OpportunityCompetitor


@pytest.fixture
def deal(org):
    account = make_account(org.rep, name="江苏电力")
    return make_opportunity(org.rep, account, 2_000_000, name="Grid analytics")


@pytest.fixture
def rival(org):
    return make_competitor(org.rep, name="Rival Soft")


def _insight(org, rival, text="Strong brand"):
    return competitors.competitor_insight_add(
        user=org.rep, competitor=rival, kind="strength", text=text
    )


def _event(org, rival, account=None):
    return competitors.competitor_event_add(
        user=org.rep,
        competitor=rival,
        happened_on=date(2026, 3, 1),
        title="Price war",
        account=account,
    )


def _price(org, rival, deal=None):
    return services.competitor_price_add(
        user=org.rep,
        competitor=rival,
        price=Decimal("900000"),
        quoted_on=date(2026, 4, 1),
        opportunity=deal,
    )


def test_add_competitor_to_a_deal_returns_to_its_competitors_tab(org, web, deal, rival):
    client = web(org.rep)
    response = client.post(f"/opportunities/{deal.pk}/competitors/", {"competitor": rival.pk})
    assert response.status_code == 302
    assert response["Location"] == f"/opportunities/{deal.pk}/#competitors"
    assert OpportunityCompetitor.objects.filter(opportunity=deal, competitor=rival).exists()
    refused = client.post(f"/opportunities/{deal.pk}/competitors/", {"competitor": ""})
    assert refused["Location"] == f"/opportunities/{deal.pk}/#competitors"
    removed = client.post(f"/opportunities/{deal.pk}/competitors/{rival.pk}/remove/")
    assert removed["Location"] == f"/opportunities/{deal.pk}/#competitors"


def test_insight_add_edit_archive(org, web, rival):
    client = web(org.rep)
    page = client.get(f"/competitors/{rival.pk}/insights/add/")
    assert page.status_code == 200 and b'name="kind"' in page.content
    response = client.post(
        f"/competitors/{rival.pk}/insights/add/", {"kind": "weakness", "text": " Slow support "}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/competitors/{rival.pk}/#insights"
    insight = CompetitorInsight.objects.get(competitor=rival)
    assert (insight.kind, insight.text, insight.created_by_id) == (
        "weakness",
        "Slow support",
        org.rep.pk,
    )

    edit = client.get(f"/competitors/{rival.pk}/insights/{insight.pk}/")
    assert edit.status_code == 200 and b"Slow support" in edit.content
    saved = client.post(
        f"/competitors/{rival.pk}/insights/{insight.pk}/",
        {"kind": "tactic", "text": "Bundles hardware", "version": insight.version},
    )
    assert saved.status_code == 302
    insight.refresh_from_db()
    assert (insight.kind, insight.text, insight.version) == ("tactic", "Bundles hardware", 2)

    archived = client.post(
        f"/competitors/{rival.pk}/insights/{insight.pk}/archive/", {"version": insight.version}
    )
    assert archived.status_code == 302
    insight.refresh_from_db()
    assert insight.archived_at is not None
    detail = client.get(f"/competitors/{rival.pk}/")
    assert b"Bundles hardware" not in detail.content
    assert client.get(f"/competitors/{rival.pk}/insights/{insight.pk}/").status_code == 404


def test_stale_edit_and_archive_are_refused_with_a_message(org, web, rival):
    insight = _insight(org, rival)
    competitors.competitor_insight_update(
        user=org.peer_rep, insight=insight, kind="strength", text="Changed", expected_version=1
    )
    client = web(org.rep)
    stale = client.post(
        f"/competitors/{rival.pk}/insights/{insight.pk}/",
        {"kind": "strength", "text": "Mine", "version": 1},
    )
    assert stale.status_code == 200
    assert b"Someone else changed this record" in stale.content
    insight.refresh_from_db()
    assert insight.text == "Changed"
    archived = client.post(
        f"/competitors/{rival.pk}/insights/{insight.pk}/archive/", {"version": 1}, follow=True
    )
    assert b"Someone else changed this record" in archived.content
    insight.refresh_from_db()
    assert insight.archived_at is None


def test_event_add_edit_archive(org, web, rival):
    client = web(org.rep)
    response = client.post(
        f"/competitors/{rival.pk}/events/add/",
        {"happened_on": "2026-05-02", "title": "Acquired a CRM vendor", "description": ""},
    )
    assert response.status_code == 302
    event = CompetitorEvent.objects.get(competitor=rival)
    assert (event.happened_on, event.title) == (date(2026, 5, 2), "Acquired a CRM vendor")
    invalid = client.post(f"/competitors/{rival.pk}/events/add/", {"title": ""})
    assert invalid.status_code == 200 and CompetitorEvent.objects.count() == 1
    client.post(
        f"/competitors/{rival.pk}/events/{event.pk}/",
        {"happened_on": "2026-05-03", "title": "Merged", "version": event.version},
    )
    event.refresh_from_db()
    assert (event.happened_on, event.title, event.version) == (date(2026, 5, 3), "Merged", 2)
    client.post(f"/competitors/{rival.pk}/events/{event.pk}/archive/", {"version": 2})
    event.refresh_from_db()
    assert event.archived_at is not None


def test_price_from_the_deal_tab_lands_on_the_deal_and_back_on_its_tab(org, web, deal, rival):
    services.opportunity_competitor_add(user=org.rep, opportunity=deal, competitor=rival)
    client = web(org.rep)
    tab = client.get(f"/opportunities/{deal.pk}/")
    add_url = f"/competitors/{rival.pk}/prices/add/?opportunity={deal.pk}"
    assert add_url.encode() in tab.content.replace(b"&amp;", b"&")
    response = client.post(
        f"/competitors/{rival.pk}/prices/add/",
        {
            "price": "1200000",
            "currency": "cny",
            "quoted_on": "2026-06-01",
            "notes": "",
            "opportunity": deal.pk,
        },
    )
    assert response["Location"] == f"/opportunities/{deal.pk}/#competitors"
    price = CompetitorPrice.objects.get(competitor=rival)
    assert (price.opportunity_id, price.price, price.currency) == (
        deal.pk,
        Decimal("1200000.00"),
        "CNY",
    )
    tab = client.get(f"/opportunities/{deal.pk}/")
    assert b"1,200,000.00 CNY" in tab.content
    negative = client.post(
        f"/competitors/{rival.pk}/prices/{price.pk}/",
        {"price": "-1", "currency": "CNY", "quoted_on": "2026-06-01", "version": 1},
    )
    assert negative.status_code == 200
    client.post(
        f"/competitors/{rival.pk}/prices/{price.pk}/",
        {"price": "1100000", "currency": "CNY", "quoted_on": "2026-06-02", "version": 1},
    )
    price.refresh_from_db()
    assert (price.price, price.quoted_on) == (Decimal("1100000.00"), date(2026, 6, 2))
    client.post(f"/competitors/{rival.pk}/prices/{price.pk}/archive/", {"version": 2})
    price.refresh_from_db()
    assert price.archived_at is not None


def test_outsider_and_partner_are_refused(org, web, deal, rival):
    insight = _insight(org, rival)
    hidden_event = _event(org, rival, account=deal.account)
    hidden_price = _price(org, rival, deal=deal)
    # an outsider sees the shared library but not the prices and events of hidden deals
    outsider = web(org.other_manager)
    assert outsider.get(f"/competitors/{rival.pk}/events/{hidden_event.pk}/").status_code == 404
    assert outsider.get(f"/competitors/{rival.pk}/prices/{hidden_price.pk}/").status_code == 404
    for url in (
        f"/competitors/{rival.pk}/events/{hidden_event.pk}/",
        f"/competitors/{rival.pk}/events/{hidden_event.pk}/archive/",
        f"/competitors/{rival.pk}/prices/{hidden_price.pk}/",
        f"/competitors/{rival.pk}/prices/{hidden_price.pk}/archive/",
    ):
        response = outsider.post(
            url, {"price": "1", "currency": "CNY", "quoted_on": "2026-01-01", "version": 1}
        )
        assert response.status_code == 404, url
    # a price on a deal they cannot see is refused, nothing written
    response = outsider.post(
        f"/competitors/{rival.pk}/prices/add/",
        {"price": "1", "currency": "CNY", "quoted_on": "2026-01-01", "opportunity": deal.pk},
    )
    assert response.status_code == 404
    assert CompetitorPrice.objects.count() == 1
    # partners see no competitor intelligence at all
    partner = web(org.partner)
    for url in (
        f"/competitors/{rival.pk}/insights/add/",
        f"/competitors/{rival.pk}/insights/{insight.pk}/",
        f"/competitors/{rival.pk}/prices/add/",
    ):
        assert partner.get(url).status_code == 404, url
        assert partner.post(url, {"kind": "strength", "text": "x", "version": 1}).status_code == 404
    insight.refresh_from_db()
    assert (insight.text, insight.version) == ("Strong brand", 1)
    # a record of another competitor is not reached through this one
    other = make_competitor(org.rep, name="Other")
    assert web(org.rep).get(f"/competitors/{other.pk}/insights/{insight.pk}/").status_code == 404


def test_a_role_that_may_not_write_is_refused(org, web, rival):
    from tests.factories import make_user
    from wuwei.org.models import Role

    reader = make_user("delivery", roles=[Role.DELIVERY_LEAD], team=org.company)
    insight = _insight(org, rival)
    client = web(reader)
    response = client.post(
        f"/competitors/{rival.pk}/insights/{insight.pk}/",
        {"kind": "strength", "text": "Hijack", "version": 1},
    )
    assert response.status_code == 403
    insight.refresh_from_db()
    assert insight.text == "Strong brand"


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_pages_run_a_fixed_number_of_queries(org, web, deal, rival):
    services.opportunity_competitor_add(user=org.rep, opportunity=deal, competitor=rival)
    _insight(org, rival)
    _event(org, rival)
    _price(org, rival, deal=deal)
    client = web(org.rep)
    detail = f"/competitors/{rival.pk}/"
    deal_page = f"/opportunities/{deal.pk}/"
    first = (_count(client, detail), _count(client, deal_page))
    for n in range(5):
        _insight(org, rival, text=f"Insight {n}")
        _event(org, rival)
        _price(org, rival, deal=deal)
        other = make_competitor(org.rep, name=f"Rival {n}")
        services.opportunity_competitor_add(user=org.rep, opportunity=deal, competitor=other)
        _price(org, other, deal=deal)
    assert (_count(client, detail), _count(client, deal_page)) == first
    price = CompetitorPrice.objects.filter(competitor=rival).first()
    edit = f"/competitors/{rival.pk}/prices/{price.pk}/?opportunity={deal.pk}"
    assert _count(client, edit) <= 12


# ---------------------------------------------------------------------------------------
# the same corrections through the API


def test_api_corrects_and_archives_with_the_version(org, api, deal, rival):
    insight = _insight(org, rival)
    event = _event(org, rival)
    price = _price(org, rival, deal=deal)
    client = api(org.rep)
    base = f"/competitors/{rival.pk}"
    missing = client.patch(f"{base}/insights/{insight.pk}", {"text": "No version"})
    assert missing.status_code == 422
    patched = client.patch(f"{base}/insights/{insight.pk}", {"text": "Brand", "version": 1})
    assert patched.status_code == 200
    assert patched.json() == {"id": insight.pk, "kind": "strength", "text": "Brand", "version": 2}
    stale = client.patch(f"{base}/insights/{insight.pk}", {"text": "Late", "version": 1})
    assert stale.status_code == 409
    assert (
        client.patch(f"{base}/insights/{insight.pk}", {"kind": None, "version": 2}).status_code
        == 422
    )
    assert client.delete(f"{base}/insights/{insight.pk}", **{"If-Match": "1"}).status_code == 409
    assert client.delete(f"{base}/insights/{insight.pk}", **{"If-Match": "2"}).status_code == 200
    assert (
        client.patch(f"{base}/insights/{insight.pk}", {"text": "x", "version": 3}).status_code
        == 404
    )

    moved = client.patch(
        f"{base}/events/{event.pk}", {"happened_on": "2026-03-02", "version": event.version}
    )
    assert moved.status_code == 200 and moved.json()["happened_on"] == "2026-03-02"
    assert client.delete(f"{base}/events/{event.pk}", **{"If-Match": "2"}).status_code == 200

    repriced = client.patch(f"{base}/prices/{price.pk}", {"price": "950000.50", "version": 1})
    assert repriced.status_code == 200 and repriced.json()["version"] == 2
    assert (
        client.patch(f"{base}/prices/{price.pk}", {"price": "-1", "version": 2}).status_code == 422
    )
    assert client.delete(f"{base}/prices/{price.pk}", **{"If-Match": "2"}).status_code == 200
    price.refresh_from_db()
    assert (price.price, price.archived_at is not None) == (Decimal("950000.50"), True)


def test_api_hides_records_from_outsiders_and_partners(org, api, deal, rival):
    insight = _insight(org, rival)
    price = _price(org, rival, deal=deal)
    base = f"/competitors/{rival.pk}"
    outsider = api(org.other_manager)
    assert (
        outsider.patch(f"{base}/prices/{price.pk}", {"price": "1", "version": 1}).status_code == 404
    )
    assert outsider.delete(f"{base}/prices/{price.pk}", **{"If-Match": "1"}).status_code == 404
    partner = api(org.partner)
    assert (
        partner.patch(f"{base}/insights/{insight.pk}", {"text": "x", "version": 1}).status_code
        == 404
    )
    assert partner.delete(f"{base}/insights/{insight.pk}", **{"If-Match": "1"}).status_code == 404
    insight.refresh_from_db()
    price.refresh_from_db()
    assert (insight.version, price.version, price.archived_at) == (1, 1, None)
