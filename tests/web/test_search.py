"""Global search (issue 14): grouped, visible rows only, Chinese substrings, a fixed number of
queries whatever the data."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_account, make_contact, make_user
from tests.opportunities.factories import make_competitor, make_opportunity
from tests.world import MARKER, build_world
from wuwei.opportunities.models import Opportunity
from wuwei.web.search import global_search


def _groups(user, text, limit=5):
    return {
        group.key: [hit.title for hit in group.hits]
        for group in global_search(user=user, text=text, limit=limit)
    }


@pytest.fixture
def records(org):
    account = make_account(org.rep, name="深圳华为技术有限公司")
    contact = make_contact(account, name="王华明", title="采购总监")
    deal = make_opportunity(org.rep, account, 500_000, name="华为 CRM 二期")
    rival = make_competitor(org.rep, name="华创软件")
    colleague = make_user("huaqiang", team=org.east_ka, display_name="李华强")
    return {
        "account": account,
        "contact": contact,
        "deal": deal,
        "rival": rival,
        "colleague": colleague,
    }


def test_search_finds_every_kind_by_a_chinese_substring(org, records):
    found = _groups(org.rep, "华")
    assert found == {
        "accounts": ["深圳华为技术有限公司"],
        "contacts": ["王华明"],
        "opportunities": ["华为 CRM 二期"],
        "competitors": ["华创软件"],
        "colleagues": ["李华强"],
    }


def test_names_starting_with_the_text_come_first(org):
    make_account(org.rep, name="云南华为代理")
    make_account(org.rep, name="华为云计算")
    make_account(org.rep, name="北京华为")
    assert _groups(org.rep, "华为")["accounts"] == ["华为云计算", "云南华为代理", "北京华为"]


def test_groups_are_limited_and_say_there_is_more(org):
    for number in range(4):
        make_account(org.rep, name=f"Acme {number}")
    [group] = global_search(user=org.rep, text="acme", limit=3)
    assert (group.key, len(group.hits), group.has_more) == ("accounts", 3, True)
    [group] = global_search(user=org.rep, text="acme", limit=4)
    assert (len(group.hits), group.has_more) == (4, False)


def test_hits_link_to_their_records(org, records):
    hits = {g.key: g.hits[0].url for g in global_search(user=org.rep, text="华")}
    assert hits == {
        "accounts": f"/accounts/{records['account'].pk}/",
        "contacts": f"/contacts/{records['contact'].pk}/",
        "opportunities": f"/opportunities/{records['deal'].pk}/",
        "competitors": f"/competitors/{records['rival'].pk}/",
        "colleagues": f"/colleagues/{records['colleague'].pk}/",
    }


def test_outsider_finds_none_of_another_teams_records(org):
    build_world(org)
    outsider = make_user("outsider", team=org.north_ka)
    assert _groups(outsider, MARKER) == {}
    assert set(_groups(org.rep, MARKER)) == {"accounts", "contacts", "opportunities"}


def test_partner_finds_only_their_deals_and_no_competitor_or_colleague(org):
    world = build_world(org)
    assert _groups(org.partner, MARKER) == {}
    assert _groups(org.partner, "Shared Rival") == {}  # competitors are internal work
    assert _groups(org.partner, "rep") == {}  # they see no colleague of ours
    Opportunity.objects.filter(pk=world.ids["opportunity_id"]).update(partner=org.partner_team)
    assert _groups(org.partner, MARKER) == {"opportunities": [f"{MARKER} Deal"]}


def test_search_costs_one_query_per_group_whatever_the_data(org, django_assert_num_queries):
    make_account(org.rep, name="Acme 1")
    with django_assert_num_queries(5):
        global_search(user=org.rep, text="acme")
    account = make_account(org.rep, name="Acme 2")
    for number in range(10):
        make_contact(account, name=f"Acme contact {number}")
        make_opportunity(org.rep, account, name=f"Acme deal {number}")
        make_competitor(org.rep, name=f"Acme rival {number}")
    with django_assert_num_queries(5):
        global_search(user=org.rep, text="acme")


def test_empty_or_blank_text_searches_nothing(org, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert global_search(user=org.rep, text="   ") == []


# ---------------------------------------------------------------------------------------- pages


def test_preview_fragment_and_results_page(org, web, records):
    client = web(org.rep)
    preview = client.get("/search/", {"q": "华"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in preview
    assert 'data-search-group="accounts"' in preview and "深圳华为技术有限公司" in preview
    assert f'href="/accounts/{records["account"].pk}/"' in preview
    page = client.get("/search/", {"q": "华"}).content.decode()
    assert "<html" in page and 'data-search-group="colleagues"' in page and "李华强" in page


def test_results_are_escaped(org, web):
    make_account(org.rep, name='<img src=x onerror="alert(1)">')
    body = web(org.rep).get("/search/", {"q": "img"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<img src=x" not in body and "&lt;img src=x" in body


def test_search_page_query_count_is_fixed(org, web, django_assert_num_queries):
    client = web(org.rep)
    make_account(org.rep, name="Acme 1")
    client.get("/search/", {"q": "acme"}, HTTP_HX_REQUEST="true")  # warm the session
    with CaptureQueriesContext(connection) as small:
        client.get("/search/", {"q": "acme"}, HTTP_HX_REQUEST="true")
    account = make_account(org.rep, name="Acme 2")
    for number in range(8):
        make_contact(account, name=f"Acme contact {number}")
    with django_assert_num_queries(len(small.captured_queries)):
        client.get("/search/", {"q": "acme"}, HTTP_HX_REQUEST="true")


def test_anonymous_is_sent_to_login(client):
    response = client.get("/search/", {"q": "a"})
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_outsider_and_partner_pages_show_nothing_hidden(org, web):
    build_world(org)
    outsider = make_user("outsider", team=org.north_ka)
    for user in (outsider, org.partner):
        for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
            body = web(user).get("/search/", {"q": "Zq7"}, **headers).content.decode()
            assert f"{MARKER} " not in body, user


def test_colleague_page_shows_only_what_the_viewer_sees(org, web):
    world = build_world(org)
    outsider = make_user("outsider", team=org.north_ka)
    page = web(org.manager).get(f"/colleagues/{org.rep.pk}/")
    assert page.status_code == 200 and f"{MARKER} Deal".encode() in page.content
    page = web(outsider).get(f"/colleagues/{org.rep.pk}/")
    assert page.status_code == 200 and MARKER.encode() not in page.content
    assert web(org.partner).get(f"/colleagues/{org.rep.pk}/").status_code == 404
    # the colleague page is not part of the partner portal (web/partner.py), not even their own
    assert web(org.partner).get(f"/colleagues/{org.partner.pk}/").status_code == 404
    assert world.ids["user_id"] == org.rep.pk
