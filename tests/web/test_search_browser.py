"""The navigation's global search in real Chromium: Ctrl+K and "/" focus it, results appear
as one types, ↓ and Enter open a record, Enter in the box opens the results page; the Export
menu downloads the list as it is filtered."""

from pathlib import Path

import pytest

from tests.factories import make_account, make_contact
from tests.opportunities.factories import make_opportunity

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_search_box_shortcuts_preview_and_results(org, login):
    account = make_account(org.rep, name="深圳华为技术有限公司")
    make_contact(account, name="王华明")
    deal = make_opportunity(org.rep, account, 500_000, name="华为 CRM 二期")
    page = login(org.rep)
    page.goto("/accounts/")
    box = page.locator("#global-search")

    # Ctrl+K focuses the box from anywhere
    page.locator("h1").click()
    page.keyboard.press("Control+k")
    assert page.evaluate("document.activeElement.id") == "global-search"

    # "/" focuses it too, but not while typing in a field
    page.locator("#id_q").click()
    page.keyboard.type("/")
    assert page.locator("#id_q").input_value() == "/"
    page.locator("#id_q").fill("")
    page.locator("h1").click()
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "global-search"
    assert box.input_value() == ""

    # results appear as one types, grouped by kind
    box.type("华为")
    results = page.locator("#global-search-results.show")
    results.locator("[data-search-group=opportunities]").wait_for()
    assert (
        results.locator("[data-search-hit=accounts]")
        .inner_text()
        .startswith("深圳华为技术有限公司")
    )

    # ↓ walks the results; Enter on one opens its record
    box.press("ArrowDown")
    assert page.evaluate("document.activeElement.dataset.searchHit") == "accounts"
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.dataset.searchHit") == "opportunities"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(f"/opportunities/{deal.pk}/")

    # Enter in the box opens the full results page; a click opens a record
    page.keyboard.press("Control+k")
    box.fill("华明")
    with page.expect_navigation():
        box.press("Enter")
    assert "/search/?q=" in page.url
    page.locator("[data-search-group=contacts] a").first.click()
    page.wait_for_url("**/contacts/*/")
    assert "王华明" in page.locator("h1").inner_text()


def test_escape_closes_the_preview(org, login):
    make_account(org.rep, name="Acme Robotics")
    page = login(org.rep)
    box = page.locator("#global-search")
    box.click()
    box.type("acme")
    page.locator("#global-search-results.show [data-search-hit=accounts]").wait_for()
    box.press("Escape")
    page.locator("#global-search-results.show").wait_for(state="detached")


def test_export_menu_downloads_the_filtered_list(org, login):
    make_account(org.rep, name="Acme Robotics")
    make_account(org.rep, name="Other Ltd")
    page = login(org.rep)
    page.goto("/accounts/")
    page.fill("#id_q", "acme")
    page.wait_for_url(lambda url: "q=acme" in url)  # htmx pushed the filter into the URL
    page.click("#export-accounts")
    with page.expect_download() as download:
        page.click("#export-accounts-csv")
    path = download.value.path()
    text = Path(path).read_text(encoding="utf-8-sig")
    assert "Acme Robotics" in text and "Other Ltd" not in text
    assert download.value.suggested_filename.endswith(".csv")


def test_hostile_names_in_the_preview_stay_text(org, login):
    hostile = "<img src=x id=pwned onerror=\"document.title='pwned'\">Evil Corp"
    make_account(org.rep, name=hostile)
    page = login(org.rep)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    box = page.locator("#global-search")
    box.click()
    box.type("evil")
    hit = page.locator("#global-search-results.show [data-search-hit=accounts]")
    hit.wait_for()
    assert hostile in hit.inner_text()
    assert page.locator("#pwned").count() == 0
    assert page.title() != "pwned" and dialogs == []
