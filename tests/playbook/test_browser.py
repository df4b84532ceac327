"""The stage gate in real Chromium: an AB card dragged past a gate springs back with the
reasons; a manager above the deal overrides it with a reason (METHOD.md §6)."""

import pytest

from tests.factories import PASSWORD, make_account
from tests.opportunities.factories import make_opportunity
from tests.playbook.helpers import move_to
from wuwei.opportunities.models import Opportunity
from wuwei.playbook.models import RiskOverride

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def wide(browser, live_server):
    contexts = []

    def open_page():
        context = browser.new_context(
            viewport={"width": 1800, "height": 900}, base_url=live_server.url, locale="en-US"
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def _login(page, user):
    page.goto("/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("#login-submit")
    page.wait_for_url(lambda url: "/login/" not in url)


def _drag(page, card_selector, column_stage):
    card = page.locator(card_selector).bounding_box()
    target = page.locator(f"[data-testid=column-{column_stage}] .ww-cards").bounding_box()
    grab_x, grab_y = card["x"] + card["width"] / 2, card["y"] + card["height"] - 6
    page.mouse.move(grab_x, grab_y)
    page.mouse.down()
    page.mouse.move(grab_x + 5, grab_y + 5, steps=5)
    page.mouse.move(target["x"] + target["width"] / 2, target["y"] + 30, steps=20)
    page.mouse.move(target["x"] + target["width"] / 2, target["y"] + 40, steps=5)
    page.mouse.up()


def test_gate_springs_the_card_back_and_a_manager_overrides(org, wide):
    # given: an AB deal in needs analysis with nobody on its decision map
    account = make_account(org.rep, name="Shanghai Harbour")
    deal = make_opportunity(org.rep, account, 2_000_000, name="<img src=x onerror=alert(1)>")
    move_to(deal, "needs_analysis")
    card = f"#card-{deal.pk}"
    page = wide()
    _login(page, org.rep)
    page.goto("/opportunities/board/")
    # the card carries its risk count
    assert page.locator(f"{card} [data-testid=deal-badge-risks]").count() == 1
    # when: the rep drags it to value presentation
    _drag(page, card, "value_presentation")
    # then: it springs back with the failing rule, and the rep is offered no override
    refused = page.wait_for_selector("[data-testid=move-refused]")
    assert "AB compliance: decision map covers approver and decision maker" in refused.inner_text()
    assert "The decision map has no approver and decision maker yet." in refused.inner_text()
    assert page.locator("[data-testid=override-form]").count() == 0
    assert page.locator(f"[data-testid=column-needs_analysis] {card}").count() == 1
    assert Opportunity.objects.get(pk=deal.pk).stage == "needs_analysis"
    # when: the manager above the deal tries the same move and overrides with a reason
    manager = wide()
    _login(manager, org.manager)
    manager.goto("/opportunities/board/")
    _drag(manager, card, "value_presentation")
    manager.wait_for_selector("[data-testid=move-refused]")
    assert manager.locator(f"[data-testid=column-needs_analysis] {card}").count() == 1
    manager.fill("[data-testid=override-reason]", "CIO decides alone this year")
    manager.click("[data-testid=override-submit]")
    # then: the deal moved, the card with it, and the override is on record
    manager.wait_for_selector("[data-testid=move-done]")
    manager.wait_for_selector(f"[data-testid=column-value_presentation] {card}")
    assert manager.locator(f"[data-testid=column-needs_analysis] {card}").count() == 0
    assert Opportunity.objects.get(pk=deal.pk).stage == "value_presentation"
    override = RiskOverride.objects.get(opportunity=deal)
    assert (override.overridden_by, override.reason) == (org.manager, "CIO decides alone this year")
    # and the deal's timeline shows it
    manager.goto(f"/opportunities/{deal.pk}/#timeline")
    assert "Stage gate overridden" in manager.content()
