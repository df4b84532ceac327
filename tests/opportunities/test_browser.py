"""The pipeline board in real Chromium: drag a card to the next stage; a refused move snaps
back and says why."""

import pytest

from tests.factories import PASSWORD, make_account
from tests.opportunities.factories import make_opportunity
from wuwei.opportunities.models import Opportunity

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def board_page(browser, live_server):
    """A wide page (all seven columns visible) on the one session browser."""
    context = browser.new_context(
        viewport={"width": 1800, "height": 900}, base_url=live_server.url, locale="en-US"
    )
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def _login(page, user):
    page.goto("/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("#login-submit")
    page.wait_for_url(lambda url: "/login/" not in url)


def _drag(page, card_selector, column_stage):
    """Mouse down, move in steps, up: what a person does, and what SortableJS listens to."""
    card = page.locator(card_selector).bounding_box()
    target = page.locator(f"[data-testid=column-{column_stage}] .ww-cards").bounding_box()
    # grab the card's body, not its link (links open the deal instead of dragging)
    grab_x, grab_y = card["x"] + card["width"] / 2, card["y"] + card["height"] - 6
    page.mouse.move(grab_x, grab_y)
    page.mouse.down()
    page.mouse.move(grab_x + 5, grab_y + 5, steps=5)
    page.mouse.move(target["x"] + target["width"] / 2, target["y"] + 30, steps=20)
    page.mouse.move(target["x"] + target["width"] / 2, target["y"] + 40, steps=5)
    page.mouse.up()


def test_drag_to_next_stage_then_a_refused_skip_snaps_back(org, board_page):
    # given: a big-project (AB) deal in stage 1
    account = make_account(org.rep, name="Shanghai Harbour")
    deal = make_opportunity(org.rep, account, 2_000_000, name="Harbour data platform")
    page = board_page
    _login(page, org.rep)
    page.goto("/opportunities/board/")
    card = f"#card-{deal.pk}"
    assert page.locator(f"[data-testid=column-validate] {card}").count() == 1
    # when: dragging it to the next stage
    _drag(page, card, "initiate")
    # then: it moved, on the server too
    page.wait_for_selector("[data-testid=move-done]")
    assert page.locator(f"[data-testid=column-initiate] {card}").count() == 1
    assert page.locator("[data-testid=count-initiate]").inner_text() == "1"
    assert Opportunity.objects.get(pk=deal.pk).stage == "initiate"
    # when: trying to skip to bidding, which a big project may not
    _drag(page, card, "bidding")
    # then: the card snaps back and the reason is shown
    refused = page.wait_for_selector("[data-testid=move-refused]")
    assert "goes through every stage" in refused.inner_text()
    assert "Needs analysis" in refused.inner_text()
    assert page.locator(f"[data-testid=column-initiate] {card}").count() == 1
    assert page.locator(f"[data-testid=column-bidding] {card}").count() == 0
    assert Opportunity.objects.get(pk=deal.pk).stage == "initiate"
