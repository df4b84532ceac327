"""Help for the method's words: the glossary page in both languages, the "?" links next to the
terms in pages (each pointing at an anchor that exists), and score inputs that say their range."""

import re
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.accounts.factories import grade
from tests.factories import make_account, make_contact
from tests.opportunities.winning import make_deal
from tests.support.conftest import make_request, mci  # noqa: F401 (mci is a fixture)
from wuwei.people import services as people
from wuwei.web.glossary import TERMS

HOSTILE = "<img src=x onerror=alert(1)>"
HTMX = {"HTTP_HX_REQUEST": "true"}


class _Links(HTMLParser):
    """Collects the ids of the page and the "?" links ({% term %}) with their targets."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.terms: list[tuple[str, str, str]] = []  # (href, data-term, tooltip)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if "id" in values:
            self.ids.add(values["id"])
        if tag == "a" and "ww-term" in values.get("class", "").split():
            self.terms.append((values["href"], values["data-term"], values["data-bs-title"]))


def _parse(html: str) -> _Links:
    parser = _Links()
    parser.feed(html)
    return parser


def _glossary(client: Client, language: str) -> str:
    response = client.get("/help/glossary/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


def test_anonymous_is_sent_to_login(db, client):
    response = client.get("/help/glossary/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


@pytest.mark.parametrize(
    ("language", "words"),
    [
        (
            "en",
            [
                "Five dimensions: way, craft, root, momentum, law",
                "Nine-box",
                "Compelling event",
                "Deal grade and track: AB, CD, E",
                "Know yourself and know the enemy: the questionnaire",
                "Account plan (GOSART)",
                "Closeness index",
                "Peak load",
                "Win rate",
                "Three functions of account management",
                "Three uses in a pursuit",
            ],
        ),
        (
            "zh-hans",
            [
                "五维：道、术、本、势、律",
                "九宫格",
                "必要事件",
                "商机等级与路线：AB、CD、E",
                "知己知彼：问卷",
                "客户计划（GOSART）",
                "紧密度指数",
                "峰值负荷",
                "赢单率",
                "大客户管理三作用",
                "跟单三利用",
            ],
        ),
    ],
)
def test_glossary_has_every_term_with_an_anchor_in_both_languages(org, web, language, words):
    html = _glossary(web(org.rep), language)
    ids = _parse(html).ids
    for term in TERMS:
        assert term.slug in ids, term.slug
        assert f'<a href="#{term.slug}">' in html  # the index links to it
    for word in words:
        assert f">{word}</h2>" in html, word
    if language == "zh-hans":
        assert "Compelling event" not in html and "The index is 50" not in html
        assert "50 + 25 × 加权平均值" in html
    else:
        assert "50 + 25 × the weighted mean" in html


def test_everyone_logged_in_sees_the_glossary_and_the_nav_links_to_it(org, web):
    for user in (org.rep, org.presales, org.executive):
        html = _glossary(web(user), "en")
        assert 'id="nav-help" ' in html and 'href="/help/glossary/"' in html


def test_the_glossary_is_internal_method_a_partner_gets_404(org, web):
    # the method's vocabulary (nine-box, win rate, strategies…) is internal work (§1)
    client = web(org.partner)
    assert client.get("/help/glossary/").status_code == 404
    assert 'id="nav-help"' not in client.get("/").content.decode()


def test_glossary_query_count_is_fixed(org, web, django_assert_num_queries):
    client = web(org.rep)
    _glossary(client, "en")
    with django_assert_num_queries(4):  # only the shell of every page: the texts are code
        _glossary(client, "en")


@pytest.fixture
def pages(org, mci):  # noqa: F811 (the fixture imported above)
    """Every page that shows a method term, with the terms it must explain."""
    account = make_account(org.rep, status="customer")
    grade(account, (80, 80, 50, 50))
    boss = make_contact(account, "Boss", influence=5)
    deal, _rivals = make_deal(org.rep, rivals=2)
    people.participant_add(
        user=org.rep,
        opportunity=deal,
        contact=make_contact(deal.account, "Alice"),
        decision_role="evaluator",
    )
    request = make_request(deal)
    return {
        org.rep: [
            ("/accounts/", {"account-grade", "ninebox"}),
            ("/accounts/ninebox/", {"ninebox"}),
            (f"/accounts/{account.pk}/?tab=grading", {"account-grade", "ninebox"}),
            (f"/accounts/{account.pk}/?tab=plan", {"gosart"}),
            (f"/connections/accounts/{boss.account_id}/map/", {"closeness"}),
            ("/opportunities/", {"deal-grade"}),
            (f"/opportunities/{deal.pk}/", {"deal-grade", "win-rate"}),
            (f"/opportunities/{deal.pk}/events/", {"compelling-event"}),
            (f"/opportunities/{deal.pk}/winrate/", {"win-rate", "questionnaire"}),
            (f"/connections/deals/{deal.pk}/decision-map/", {"closeness", "influence"}),
        ],
        mci.lead: [
            ("/support/", {"peak-load"}),
            ("/support/performance/", {"stage-score"}),
            (f"/support/requests/{request.pk}/", {"peak-load"}),
        ],
    }


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_help_links_on_the_pages_point_to_existing_anchors(org, web, pages, language):
    anchors = _parse(_glossary(web(org.rep), language)).ids
    summaries = {term.slug: term for term in TERMS}
    for user, paths in pages.items():
        client = web(user)
        for path, expected in paths:
            response = client.get(path, HTTP_ACCEPT_LANGUAGE=language, **HTMX)
            assert response.status_code == 200, path
            links = _parse(response.content.decode()).terms
            assert expected <= {slug for _href, slug, _tip in links}, path
            for href, slug, tooltip in links:
                assert href == f"/help/glossary/#{slug}", (path, href)
                assert slug in anchors, (path, slug)
                assert tooltip.strip() and tooltip == str(summaries[slug].summary), (path, slug)


def test_the_tooltip_is_in_the_page_language(org, web, pages):
    client = web(org.rep)
    html = client.get("/accounts/ninebox/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert 'data-bs-title="按潜力（行）和贡献（列）的高、中、低' in html


def test_decision_map_picker_shows_names_and_roles_escaped(org, web):
    deal, _rivals = make_deal(org.rep, rivals=0)
    cio = make_contact(deal.account, "Wang Li", title="CIO")
    hostile = make_contact(deal.account, HOSTILE)
    people.participant_add(user=org.rep, opportunity=deal, contact=cio, decision_role="approver")
    people.participant_add(user=org.rep, opportunity=deal, contact=hostile, decision_role="user")
    client = web(org.rep)
    path = f"/connections/deals/{deal.pk}/decision-map/"
    html = client.get(path).content.decode()
    picker = re.search(r'<select name="source".*?</select>', html, re.S)
    assert picker
    options = re.findall(r"<option value=\"\d+\">(.*?)</option>", picker.group(0))
    assert options == ["&lt;img src=x onerror=alert(1)&gt; · User", "Wang Li (CIO) · Approver"]
    assert HOSTILE not in html
    assert not re.search(r"\d+ @ \d+: ", html)
    zh = client.get(path, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "Wang Li (CIO) · 批准者" in zh


def test_decision_map_picker_query_count_does_not_grow(org, web, django_assert_num_queries):
    deal, _rivals = make_deal(org.rep, rivals=0)
    client = web(org.rep)
    path = f"/connections/deals/{deal.pk}/decision-map/"

    def add(n):
        for _ in range(n):
            contact = make_contact(deal.account)
            people.participant_add(
                user=org.rep, opportunity=deal, contact=contact, decision_role="evaluator"
            )

    add(2)
    client.get(path)
    with CaptureQueriesContext(connection) as small:
        assert client.get(path).status_code == 200
    add(10)
    with django_assert_num_queries(len(small.captured_queries)):
        assert client.get(path).status_code == 200


def test_score_inputs_say_their_range_and_meaning(org, web):
    account = make_account(org.rep, status="customer")
    contact = make_contact(account, "Alice")
    deal, _rivals = make_deal(org.rep, rivals=1)
    client = web(org.rep)
    grading = client.get(f"/accounts/{account.pk}/?tab=grading").content.decode()
    assert grading.count("0 to 100: 0 means none at all, 100 the best among our accounts.") == 4
    overview = client.get(f"/accounts/{account.pk}/?tab=overview").content.decode()
    assert "0 to 100: 0 means the account hardly matters to us, 100 that it is vital." in overview
    questionnaire = client.get(f"/opportunities/{deal.pk}/winrate/", **HTMX).content.decode()
    assert "0 to 10: 0 means the needs are not met at all, 10 that they are met completely." in (
        questionnaire
    )
    assert "0 to 10: 0 means no relationship, 10 the closest relationship." in questionnaire
    influence = "1 to 5: 1 means their opinion hardly counts, 5 that their word decides."
    assert influence in client.get(f"/contacts/{contact.pk}/edit/").content.decode()
    assert influence in client.get(f"/connections/contacts/{contact.pk}/persona/").content.decode()
    zh = client.get(
        f"/accounts/{account.pk}/?tab=grading", HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    assert "0–100 分：0 分表示完全没有，100 分表示在我们所有客户中最好。" in zh
