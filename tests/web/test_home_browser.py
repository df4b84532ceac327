"""The home page in a real browser, one journey per role: open "today", follow an item to its
record, with no script error on the way."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from tests.factories import make_account
from tests.support.conftest import make_deal, make_request, mci  # noqa: F401 (fixture)
from tests.web.test_home import _deal, _finding, default_rules  # noqa: F401 (fixture)
from wuwei.web.home import quarter_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _open_home(login: Any, user: Any) -> tuple[Any, list[str]]:
    page = login(user)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto("/")
    return page, errors


def _follow(page: Any, panel: str, text: str) -> None:
    link = page.locator(f"[data-panel={panel}] a.ww-home-link", has_text=text)
    with page.expect_navigation():
        link.first.click()


def test_rep_follows_a_deal_closing_this_quarter(org, login):
    deal = _deal(org.rep, "季度内成交的商机", close=quarter_of(timezone.localdate())[1], grade="A")
    _deal(org.peer_rep, "同事的商机", close=quarter_of(timezone.localdate())[1])
    page, errors = _open_home(login, org.rep)
    assert page.locator("h1").inner_text() == "今日待办"
    panel = page.locator("[data-panel=deals_closing]")
    assert "同事的商机" not in panel.inner_text()
    _follow(page, "deals_closing", "季度内成交的商机")
    assert page.url.endswith(f"/opportunities/{deal.pk}/")
    assert "季度内成交的商机" in page.locator("h1").inner_text()
    assert errors == []


def test_manager_follows_a_team_deal_at_risk_to_its_risks_tab(org, login):
    deal = _deal(org.rep, "有风险的团队商机", grade="A")
    _finding(deal, "no_inside_source")
    page, errors = _open_home(login, org.manager)
    # the coaching queue arrives after the page and lists the deal too
    page.wait_for_selector("[data-panel=coaching_head] a.ww-home-link")
    assert "有风险的团队商机" in page.locator("[data-panel=coaching_head]").inner_text()
    _follow(page, "team_at_risk", "有风险的团队商机")
    assert page.url.endswith(f"/opportunities/{deal.pk}/#risks")
    assert "有风险的团队商机" in page.locator("h1").inner_text()
    assert errors == []


def test_presales_lead_follows_a_queued_request(org, mci, login):  # noqa: F811 (fixture)
    today = timezone.localdate()
    deal = make_deal(org.rep, "5000000")
    request = make_request(deal, start=today, end=today + timedelta(days=7))
    page, errors = _open_home(login, mci.lead)
    _follow(page, "presales_queue", deal.name)
    assert page.url.endswith(f"/support/requests/{request.pk}/")
    assert deal.name in page.content()
    assert errors == []


def test_executive_follows_the_key_account_count_to_an_account(org, login):
    account = make_account(org.rep, name="重点客户甲", segment="KA")
    page, errors = _open_home(login, org.executive)
    count = page.locator("[data-panel=accounts_overview] tr", has_text="大客户").first
    assert count.locator("td").last.inner_text() == "1"
    with page.expect_navigation():
        count.locator("a").click()
    with page.expect_navigation():
        page.get_by_role("link", name="重点客户甲").first.click()
    assert page.url.endswith(f"/accounts/{account.pk}/")
    assert errors == []
