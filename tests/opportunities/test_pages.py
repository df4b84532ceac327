"""Opportunity pages: access for every page and endpoint, board moves, fixed query counts."""

import pytest

from tests.factories import make_account
from tests.opportunities.factories import make_competitor, make_opportunity
from wuwei.opportunities.models import ProductLine
from wuwei.opportunities.registrations import registration_create


@pytest.fixture
def deal(org):
    account = make_account(org.rep, name="江苏电力")
    return make_opportunity(org.rep, account, 2_000_000, name="Grid analytics")


def _pages(deal, competitor):
    return [
        ("get", "/opportunities/"),
        ("get", "/opportunities/board/"),
        ("get", "/opportunities/new/"),
        ("get", "/opportunities/process/"),
        ("get", "/opportunities/registrations/"),
        ("get", f"/opportunities/{deal.pk}/"),
        ("get", f"/opportunities/{deal.pk}/edit/"),
        ("get", "/competitors/"),
        ("get", f"/competitors/{competitor.pk}/"),
    ]


def test_every_page_redirects_anonymous_and_serves_the_owner(org, client, web, deal):
    competitor = make_competitor(org.rep)
    for _method, url in _pages(deal, competitor):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"], url
    owner = web(org.rep)
    for _method, url in _pages(deal, competitor):
        assert owner.get(url).status_code == 200, url


def test_outsider_gets_404_on_the_deal_pages_and_writes(org, web, deal):
    outsider = web(org.other_manager)
    competitor = make_competitor(org.rep)
    for url in (f"/opportunities/{deal.pk}/", f"/opportunities/{deal.pk}/edit/"):
        assert outsider.get(url).status_code == 404
    for url in (
        f"/opportunities/{deal.pk}/move/",
        f"/opportunities/{deal.pk}/archive/",
        f"/opportunities/{deal.pk}/members/",
        f"/opportunities/{deal.pk}/members/{org.rep.pk}/remove/",
        f"/opportunities/{deal.pk}/competitors/",
        f"/opportunities/{deal.pk}/competitors/{competitor.pk}/remove/",
    ):
        assert (
            outsider.post(
                url, {"to": "initiate", "user": org.other_manager.pk, "role": "sales"}
            ).status_code
            == 404
        ), url
    deal.refresh_from_db()
    assert (deal.stage, deal.version, deal.archived_at) == ("validate", 1, None)
    assert not deal.members.exists()
    # partners see no competitor intelligence
    assert web(org.partner).get(f"/competitors/{competitor.pk}/").status_code == 404


def test_every_api_endpoint_is_401_anonymous_404_outsider_200_owner(org, api, deal):
    competitor = make_competitor(org.rep)
    registration = registration_create(
        user=org.rep,
        account=deal.account,
        partner=org.partner_team,
        products=ProductLine.objects.filter(code="cloud"),
    )
    detail_urls = [
        f"/opportunities/{deal.pk}",
        f"/opportunities/{deal.pk}/stage-history",
        f"/opportunities/{deal.pk}/members",
        f"/opportunities/{deal.pk}/competitors",
        f"/registrations/{registration.pk}",
    ]
    list_urls = [
        "/opportunities",
        "/opportunities/summary",
        "/opportunities/stage-template",
        "/competitors",
        f"/competitors/{competitor.pk}",
        f"/competitors/{competitor.pk}/prices",
        "/registrations",
    ]
    for url in detail_urls + list_urls:
        assert api(None).get(url).status_code == 401, url
        assert api(org.rep).get(url).status_code == 200, url
    for url in detail_urls:
        assert api(org.other_manager).get(url).status_code == 404, url
    outsider = api(org.other_manager)
    writes = [
        ("post", f"/opportunities/{deal.pk}/stage", {"to": "initiate"}),
        ("patch", f"/opportunities/{deal.pk}", {"name": "X", "version": 1}),
        ("delete", f"/opportunities/{deal.pk}", None),
        ("post", f"/opportunities/{deal.pk}/members", {"user": org.other_manager.pk}),
        ("post", f"/opportunities/{deal.pk}/competitors", {"competitor": competitor.pk}),
        ("post", f"/registrations/{registration.pk}/withdraw", None),
        ("post", f"/registrations/{registration.pk}/convert", {"name": "X", "amount": 1}),
    ]
    for method, url, payload in writes:
        response = (
            outsider.delete(url) if method == "delete" else getattr(outsider, method)(url, payload)
        )
        assert response.status_code == 404, url
        assert (
            getattr(api(None), method)(url, *([payload] if payload is not None else [])).status_code
            == 401
        )
    deal.refresh_from_db()
    assert (deal.name, deal.stage, deal.version, deal.archived_at) == (
        "Grid analytics",
        "validate",
        1,
        None,
    )
    assert api(org.other_manager).get("/opportunities").json()["items"] == []
    assert api(org.other_manager).get("/opportunities/summary").json()["count"] == 0


def test_board_move_returns_the_card_and_column_heads(org, web, deal):
    client = web(org.rep)
    response = client.post(
        f"/opportunities/{deal.pk}/move/",
        {"to": "initiate", "version": 1},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="card-{deal.pk}"' in html and 'data-version="2"' in html
    assert 'id="column-head-initiate" hx-swap-oob="true"' in html
    deal.refresh_from_db()
    assert deal.stage == "initiate"


def test_refused_board_move_is_409_with_the_reasons(org, web, deal):
    client = web(org.rep)
    response = client.post(
        f"/opportunities/{deal.pk}/move/",
        {"to": "bidding", "version": 1},
        headers={"HX-Request": "true", "Accept-Language": "en"},
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert 'data-testid="move-refused"' in html
    assert "goes through every stage" in html
    deal.refresh_from_db()
    assert (deal.stage, deal.version) == ("validate", 1)


def test_deal_page_move_form_redirects_with_the_outcome(org, web, deal):
    client = web(org.rep)
    response = client.post(
        f"/opportunities/{deal.pk}/move/", {"to": "lost", "version": 1}, follow=True
    )
    assert "Say why the deal was lost." in response.content.decode()
    client.post(
        f"/opportunities/{deal.pk}/move/", {"to": "lost", "reason": "budget cut", "version": 1}
    )
    deal.refresh_from_db()
    assert (deal.stage, deal.loss_reason) == ("lost", "budget cut")


def test_deal_page_shows_header_tabs_and_process(org, web, deal):
    html = web(org.rep).get(f"/opportunities/{deal.pk}/").content.decode()
    for marker in (
        'data-testid="stage-path"',
        'data-slot="win-rate"',
        'id="tab-team"',
        'id="tab-competitors"',
        'id="tab-timeline"',
        'data-testid="process"',
    ):
        assert marker in html
    assert "Validate" in html  # the template's stage names, in the page language (en)


def test_create_and_edit_through_the_forms(org, web):
    account = make_account(org.rep)
    client = web(org.rep)
    cloud = ProductLine.objects.get(code="cloud")
    response = client.post(
        "/opportunities/new/",
        {
            "account": account.pk,
            "name": "Web deal",
            "amount": "1000000",
            "currency": "CNY",
            "owner": org.rep.pk,
            "source": "visit",
            "products": [cloud.pk],
        },
    )
    assert response.status_code == 302
    from wuwei.opportunities.models import Opportunity

    deal = Opportunity.objects.get(name="Web deal")
    assert (deal.grade, deal.track, list(deal.products.all())) == ("B", "big_project", [cloud])
    refused = client.post(
        f"/opportunities/{deal.pk}/edit/",
        {
            "name": "Web deal",
            "amount": "1000000",
            "currency": "CNY",
            "owner": org.rep.pk,
            "source": "visit",
            "grade_override": "D",
            "version": 1,
        },
    )
    assert refused.status_code == 200
    assert 'class="invalid-feedback d-block"' in refused.content.decode()
    deal.refresh_from_db()
    assert (deal.grade, deal.grade_override, deal.version) == ("B", "", 1)


def test_list_and_board_query_counts_do_not_grow_with_rows(org, web, django_assert_num_queries):
    account = make_account(org.rep)
    client = web(org.manager)
    for i in range(10):
        make_opportunity(org.rep, account, 100_000 * (i + 1))
    client.get("/opportunities/")  # warm the session
    counts = {}
    for url in (
        "/opportunities/",
        "/opportunities/board/",
        "/opportunities/?stage=validate&grade=C",
    ):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as small:
            assert client.get(url).status_code == 200
        counts[url] = len(small.captured_queries)
    for i in range(190):
        make_opportunity(org.rep, account, 10_000 * (i + 1))
    for url, expected in counts.items():
        with django_assert_num_queries(expected):
            assert client.get(url).status_code == 200


def test_api_list_query_count_does_not_grow_with_rows(org, api, django_assert_num_queries):
    account = make_account(org.rep)
    client = api(org.manager)
    for _ in range(10):
        make_opportunity(org.rep, account, products=["cloud"])
    client.get("/me")
    # token → user, roles from the cache; the manager's subtree ids (`in_subtree`), the page
    # (account/owner/team/partner joined), products prefetched
    with django_assert_num_queries(3):
        assert len(client.get("/opportunities", {"limit": 500}).json()["items"]) == 10
    for _ in range(190):
        make_opportunity(org.rep, account, products=["cloud"])
    with django_assert_num_queries(3):
        assert len(client.get("/opportunities", {"limit": 500}).json()["items"]) == 200
    with django_assert_num_queries(3):  # the subtree ids, one GROUP BY stage, grade, + names
        body = client.get("/opportunities/summary").json()
    assert body["count"] == 200


def test_admin_edits_the_stage_template(org, client):
    from wuwei.opportunities.models import StageTemplate

    org.admin.is_staff = True
    org.admin.is_superuser = True
    org.admin.save()
    client.force_login(org.admin)
    template = StageTemplate.objects.get(stage="validate")
    assert client.get("/admin/opportunities/stagetemplate/").status_code == 200
    assert (
        client.get(f"/admin/opportunities/stagetemplate/{template.pk}/change/").status_code == 200
    )
    assert client.get("/admin/opportunities/opportunity/").status_code == 200
    assert client.get("/admin/competitors/competitor/").status_code == 200


def test_stage_move_without_the_version_is_refused_and_changes_nothing(org, web, deal):
    """Every write sends the version it read (issue 11 item 3): the board and the deal page
    do; a move without it is refused, one with a stale version is 409."""
    client = web(org.rep)
    missing = client.post(
        f"/opportunities/{deal.pk}/move/", {"to": "initiate"}, headers={"HX-Request": "true"}
    )
    assert missing.status_code == 422
    stale = client.post(
        f"/opportunities/{deal.pk}/move/",
        {"to": "initiate", "version": 0},
        headers={"HX-Request": "true"},
    )
    assert stale.status_code == 409
    deal.refresh_from_db()
    assert (deal.stage, deal.version) == ("validate", 1)
    page = client.get(f"/opportunities/{deal.pk}/").content.decode()
    assert 'name="version" value="1"' in page  # the deal page's stage form sends it
    board = client.get("/opportunities/board/").content.decode()
    assert f'data-id="{deal.pk}" data-version="1"' in board  # board.js sends the card's
