"""The deal page's Strategy and Value proposition tabs (htmx fragments) and the library page."""

import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from tests.factories import make_contact
from tests.pursuit.factories import answer, make_deal, on_deal
from wuwei.opportunities.models import (
    CompetitiveTactic,
    DealStrategy,
    DealTactic,
    ValueComparison,
    ValueProposition,
)
from wuwei.people.models import Activity
from wuwei.pursuit import services

HTMX = {"HX-Request": "true"}


@pytest.fixture
def deal(org):
    return make_deal(org.rep, name="Grid analytics")


def _tactics(strategy: str) -> list[CompetitiveTactic]:
    return list(CompetitiveTactic.objects.filter(strategy=strategy).order_by("position"))


def test_deal_page_has_both_tabs_loaded_lazily_and_opens_the_hash_tab(org, web, deal):
    html = web(org.rep).get(f"/opportunities/{deal.pk}/").content.decode()
    tabs = re.findall(r'id="tab-([a-z_-]+)"', html)
    assert tabs.index("strategy") < tabs.index("value") < tabs.index("timeline")
    assert f'hx-get="/opportunities/{deal.pk}/strategy/"' in html
    assert f'hx-get="/opportunities/{deal.pk}/value/"' in html
    assert "opportunities/detail.js" in html
    # the script shows the tab named in the hash (#strategy → #tab-strategy)
    script = web(org.rep).get("/static/opportunities/detail.js")
    if script.status_code == 200:  # served in DEBUG only
        body = b"".join(script.streaming_content).decode()
        assert '"tab-" + key' in body


def test_tab_urls_need_login_and_visibility(org, client, web, deal):
    (item,) = services.deal_tactics_adopt(user=org.rep, opportunity=deal, titles=["Visit"])
    gets = [f"/opportunities/{deal.pk}/strategy/", f"/opportunities/{deal.pk}/value/"]
    posts = [
        f"/opportunities/{deal.pk}/strategy/save/",
        f"/opportunities/{deal.pk}/strategy/adopt/",
        f"/opportunities/{deal.pk}/strategy/tactics/{item.pk}/",
        f"/opportunities/{deal.pk}/strategy/tactics/{item.pk}/activity/",
        f"/opportunities/{deal.pk}/strategy/tactics/{item.pk}/remove/",
        f"/opportunities/{deal.pk}/value/save/",
    ]
    for url in gets + posts:
        response = client.get(url) if url in gets else client.post(url, {})
        assert response.status_code == 302 and "/login/" in response["Location"], url
    outsider = web(org.other_manager)
    for url in gets:
        assert outsider.get(url, headers=HTMX).status_code == 404, url
    data = {"strategy": "frontal", "rationale": "x", "title": "y", "status": "done", "version": 1}
    for url in posts:
        assert outsider.post(url, data, headers=HTMX).status_code == 404, url
    assert not DealStrategy.objects.exists()
    assert DealTactic.objects.get().archived_at is None
    owner = web(org.rep)
    for url in gets:
        assert owner.get(url, headers=HTMX).status_code == 200, url
    assert web(org.rep).get(f"/opportunities/{deal.pk}/strategy/save/").status_code == 405


def test_strategy_tab_shows_suggestion_library_and_the_form(org, web, deal):
    (rival,) = on_deal(deal, "Rival")
    answer(deal, (5, 5), [(rival, 6, 6)], win_rate=30)

    html = web(org.rep).get(f"/opportunities/{deal.pk}/strategy/", headers=HTMX).content.decode()

    assert 'id="pursuit-strategy"' in html and "<html" not in html
    assert 'data-strategy="flanking"' in html  # suggested: 2 points behind the leader
    assert "We rank 2, 2 points behind the leader (at most 3)" in html
    assert 'id="strategy-flanking" value="flanking" checked' in html
    for tactic in _tactics("flanking"):
        assert escape(tactic.title_en) in html
    assert escape(_tactics("frontal")[0].title_en) not in html
    assert f'hx-post="/opportunities/{deal.pk}/strategy/save/"' in html
    assert "No tactics adopted yet." in html
    other = web(org.rep).get(
        f"/opportunities/{deal.pk}/strategy/", {"library": "defend"}, headers=HTMX
    )
    other_html = other.content.decode()
    assert escape(_tactics("defend")[0].title_en) in other_html
    assert escape(_tactics("flanking")[0].title_en) not in other_html
    assert f'active" href="/opportunities/{deal.pk}/strategy/?library=defend"' in other_html
    bogus = web(org.rep).get(f"/opportunities/{deal.pk}/strategy/", {"library": "x"}, headers=HTMX)
    assert escape(_tactics("flanking")[0].title_en) in bogus.content.decode()


def test_choose_adopt_and_make_an_activity_through_htmx(org, web, deal):
    contact = make_contact(deal.account, name="周主任")
    client = web(org.rep)
    base = f"/opportunities/{deal.pk}/strategy"

    saved = client.post(
        f"{base}/save/",
        {"strategy": "fragment", "rationale": "Win the data lot", "version": 0},
        headers=HTMX,
    )
    html = saved.content.decode()
    assert saved.status_code == 200 and 'id="pursuit-strategy"' in html
    assert 'data-testid="chosen-strategy" data-strategy="fragment"' in html
    assert "Win the data lot" in html and "Strategy saved." in html
    assert DealStrategy.objects.get(opportunity=deal).strategy == "fragment"
    first, second = _tactics("fragment")[:2]
    assert first.title_en in html  # the library follows the chosen strategy

    adopted = client.post(
        f"{base}/adopt/",
        {"tactics": [first.pk, second.pk], "title": "Joint bid with Huadong", "due": "2027-06-30"},
        headers=HTMX,
    )
    assert adopted.status_code == 200
    assert DealTactic.objects.filter(opportunity=deal).count() == 3
    assert f'id="library-{first.pk}" checked disabled' in adopted.content.decode()
    defend = _tactics("defend")[0]
    browsed = client.post(
        f"{base}/adopt/", {"tactics": [first.pk, defend.pk], "library": "defend"}, headers=HTMX
    )
    assert DealTactic.objects.filter(opportunity=deal).count() == 4  # first: already adopted
    assert f'id="library-{defend.pk}" checked disabled' in browsed.content.decode()

    item = DealTactic.objects.get(tactic=first)
    assert DealTactic.objects.get(tactic=defend).title == defend.title_en
    updated = client.post(
        f"{base}/tactics/{item.pk}/",
        {"status": "done", "owner": org.rep.pk, "due": "2027-07-01", "version": 1},
        headers=HTMX,
    )
    assert updated.status_code == 200
    item.refresh_from_db()
    assert (item.status, item.due, item.version) == ("done", date(2027, 7, 1), 2)
    stale = client.post(
        f"{base}/tactics/{item.pk}/",
        {"status": "dropped", "owner": org.rep.pk, "version": 1},
        headers=HTMX,
    )
    assert stale.status_code == 200 and "Someone else changed this record" in stale.content.decode()
    assert DealTactic.objects.get(pk=item.pk).status == "done"

    made = client.post(
        f"{base}/tactics/{item.pk}/activity/",
        {"kind": "workshop", "occurred_on": "2027-05-20", "contacts": [contact.pk]},
        headers=HTMX,
    )
    assert made.status_code == 200 and 'data-testid="tactic-activity"' in made.content.decode()
    activity = Activity.objects.get()
    assert (activity.opportunity_id, activity.kind, list(activity.contacts.all())) == (
        deal.pk,
        "workshop",
        [contact],
    )
    removed = client.post(f"{base}/tactics/{item.pk}/remove/", headers=HTMX)
    assert removed.status_code == 200
    assert DealTactic.objects.get(pk=item.pk).archived_at is not None


def test_plain_posts_redirect_to_the_tab(org, web, deal):
    client = web(org.rep)
    response = client.post(
        f"/opportunities/{deal.pk}/strategy/save/",
        {"strategy": "develop", "rationale": "No budget yet"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/opportunities/{deal.pk}/#strategy"
    refused = client.post(f"/opportunities/{deal.pk}/strategy/save/", {"strategy": "develop"})
    assert refused["Location"] == f"/opportunities/{deal.pk}/#strategy"
    page = client.get(refused["Location"]).content.decode()
    assert "Why: This field is required." in page
    response = client.post(f"/opportunities/{deal.pk}/value/save/", {"solution": "x"})
    assert response["Location"] == f"/opportunities/{deal.pk}/#value"


def test_readers_without_a_writer_role_see_no_forms(org, web, deal):
    from wuwei.opportunities.services import opportunity_member_set

    opportunity_member_set(user=org.rep, opportunity=deal, member=org.presales, role="presales")
    client = web(org.presales)
    strategy = client.get(f"/opportunities/{deal.pk}/strategy/", headers=HTMX).content.decode()
    value = client.get(f"/opportunities/{deal.pk}/value/", headers=HTMX).content.decode()
    assert "strategy-form" not in strategy and "adopt-form" not in strategy
    assert "value-save" not in value
    refused = client.post(
        f"/opportunities/{deal.pk}/strategy/save/",
        {"strategy": "develop", "rationale": "x"},
        headers=HTMX,
    )
    assert refused.status_code == 403
    assert not DealStrategy.objects.exists()


def test_value_tab_table_saves_and_highlights(org, web, deal):
    first, second = on_deal(deal, "First", "Second")
    client = web(org.rep)
    html = client.get(f"/opportunities/{deal.pk}/value/", headers=HTMX).content.decode()
    assert html.count('data-testid="value-competitor"') == 2
    assert "on the deal" in html
    for dimension in ("solution", "relationships", "hardware", "software"):
        assert f'name="rating-{dimension}-us"' in html
        assert f'name="rating-{dimension}-{first.pk}"' in html

    saved = client.post(
        f"/opportunities/{deal.pk}/value/save/",
        {
            "solution": "Private cloud",
            "business_value": "Half the time to market",
            "version": 0,
            "rating-solution-us": "5",
            "note-solution-us": "industry models",
            f"rating-solution-{first.pk}": "3",
            f"rating-solution-{second.pk}": "5",
            "rating-hardware-us": "2",
            f"rating-hardware-{first.pk}": "4",
        },
        headers=HTMX,
    )
    html = saved.content.decode()
    assert saved.status_code == 200 and "Value proposition saved." in html
    assert ValueProposition.objects.get(opportunity=deal).solution == "Private cloud"
    assert ValueComparison.objects.filter(opportunity=deal).count() == 5
    solution_row = html.split('data-dimension="solution"')[1].split("</tr>")[0]
    assert f'class="table-success" data-party="{first.pk}" data-standing="lead"' in solution_row
    assert f'class="" data-party="{second.pk}" data-standing="even"' in solution_row
    hardware_row = html.split('data-dimension="hardware"')[1].split("</tr>")[0]
    assert f'class="table-danger" data-party="{first.pk}" data-standing="lag"' in hardware_row
    assert "we lag" in hardware_row


def test_value_form_errors_keep_what_was_typed(org, web, deal):
    on_deal(deal, "First")
    response = web(org.rep).post(
        f"/opportunities/{deal.pk}/value/save/",
        {"solution": "Kept text", "version": 0, "note-software-us": "strong team"},
        headers=HTMX,
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Kept text" in html and 'value="strong team"' in html
    assert "Rate it from 1 to 5." in html
    assert not ValueProposition.objects.exists()


def test_value_save_keeps_cells_of_competitors_no_longer_shown(org, web, deal):
    _first, _second, third = on_deal(deal, "First", "Second", "Third")
    services.value_proposition_set(
        user=org.rep,
        opportunity=deal,
        solution="x",
        business_value="",
        comparisons=[services.ComparisonInput("solution", third, 4, "was a threat")],
        expected_version=None,
    )
    web(org.rep).post(
        f"/opportunities/{deal.pk}/value/save/",
        {"solution": "y", "version": 1, "rating-solution-us": "3"},
        headers=HTMX,
    )
    cells = sorted(
        (c.competitor_id or 0, c.rating, c.note)
        for c in ValueComparison.objects.filter(opportunity=deal)
    )
    assert cells == [(0, 3, ""), (third.pk, 4, "was a threat")]


def test_tab_query_counts_do_not_grow_with_rows(org, web, deal, django_assert_num_queries):
    contacts = [make_contact(deal.account) for _ in range(3)]
    rivals = on_deal(deal, "R1", "R2", "R3")
    answer(deal, (6, 6), [(r, 5, 5) for r in rivals], win_rate=33)
    client = web(org.rep)
    client.get(f"/opportunities/{deal.pk}/")

    def grow(size: int) -> None:
        services.deal_tactics_adopt(
            user=org.rep,
            opportunity=deal,
            tactics=CompetitiveTactic.objects.all(),
            titles=[f"Own {DealTactic.objects.count()}-{n}" for n in range(size)],
        )
        for item in DealTactic.objects.filter(activity__isnull=True)[:size]:
            services.deal_tactic_to_activity(
                user=org.rep,
                deal_tactic=item,
                kind="call",
                occurred_on=date(2027, 1, 1),
                contacts=contacts,
            )

    grow(1)
    urls = [
        f"/opportunities/{deal.pk}/strategy/",
        f"/opportunities/{deal.pk}/value/",
        "/opportunities/competitive-tactics/",
    ]
    counts = {}
    for url in urls:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url, headers=HTMX).status_code == 200
        counts[url] = len(captured.captured_queries)
    grow(30)
    services.value_proposition_set(
        user=org.rep,
        opportunity=deal,
        solution="x",
        business_value="y",
        comparisons=[
            services.ComparisonInput(d, c, 2)
            for d in ("solution", "relationships", "hardware", "software")
            for c in (None, *rivals)
        ],
        expected_version=None,
    )
    for url, expected in counts.items():
        with django_assert_num_queries(expected):
            assert client.get(url, headers=HTMX).status_code == 200
    assert counts == {urls[0]: 14, urls[1]: 12, urls[2]: 5}  # the library is a page: +1 bell


def test_library_page_and_editing(org, web):
    page = web(org.rep).get("/opportunities/competitive-tactics/").content.decode()
    assert page.count('<li class="mb-1">') == 25
    assert "tactic-new" not in page
    assert web(org.rep).get("/opportunities/competitive-tactics/new/").status_code == 403
    manager = web(org.manager)
    assert "tactic-new" in manager.get("/opportunities/competitive-tactics/").content.decode()
    created = manager.post(
        "/opportunities/competitive-tactics/new/",
        {
            "strategy": "defend",
            "title_en": "Annual health check",
            "title_zh": "年度健康检查",
            "position": 7,
        },
    )
    assert created.status_code == 302
    tactic = CompetitiveTactic.objects.get(title_en="Annual health check")
    edited = manager.post(
        f"/opportunities/competitive-tactics/{tactic.pk}/",
        {
            "strategy": "defend",
            "title_en": "Quarterly health check",
            "title_zh": "季度健康检查",
            "position": 7,
            "version": 1,
        },
    )
    assert edited.status_code == 302
    tactic.refresh_from_db()
    assert (tactic.title_en, tactic.version) == ("Quarterly health check", 2)
    assert (
        web(org.rep).post(f"/opportunities/competitive-tactics/{tactic.pk}/archive/").status_code
        == 403
    )
    web(org.manager).post(f"/opportunities/competitive-tactics/{tactic.pk}/archive/")
    assert CompetitiveTactic.objects.get(pk=tactic.pk).archived_at is not None
    assert (
        web(org.partner).get(f"/opportunities/competitive-tactics/{tactic.pk}/").status_code == 404
    )
