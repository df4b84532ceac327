"""The foundation journey in real Chromium: log in, switch language, create, search."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_login_switch_language_create_account_and_find_it(org, login):
    # given: a rep logs in (the default language is Chinese)
    page = login(org.rep)
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    # when: switching to English
    with page.expect_navigation():
        page.select_option("#language-select", "en")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("[data-area=accounts]").inner_text().strip().startswith("Accounts")
    # and creating an account
    page.click("[data-area=accounts]")
    page.click("#account-new")
    page.fill("#id_name", "Shanghai Harbour Logistics Co., Ltd.")
    page.select_option("#id_industry", "transport")
    page.select_option("#id_segment", "KA")
    page.click("#account-save")
    page.wait_for_url("**/accounts/*/")
    assert page.locator("#account-name").inner_text().startswith("Shanghai Harbour Logistics")
    # then: searching the list (htmx, as you type) finds it by a name variant
    page.click("[data-area=accounts]")
    page.fill("#id_q", "shanghai harbour logistics")
    page.wait_for_function(
        "document.querySelectorAll('[data-testid=account-table] tbody tr a').length === 1"
    )
    rows = page.locator("[data-testid=account-table] tbody tr a")
    assert rows.first.inner_text() == "Shanghai Harbour Logistics Co., Ltd."


def test_switching_back_to_chinese_translates_the_shell(org, login):
    page = login(org.rep)
    with page.expect_navigation():
        page.select_option("#language-select", "en")
    with page.expect_navigation():
        page.select_option("#language-select", "zh-hans")
    assert "客户" in page.locator("[data-area=accounts]").inner_text()


def test_form_errors_are_shown_next_to_the_field(org, login):
    page = login(org.rep)
    page.goto("/accounts/new/")
    with page.expect_navigation():  # the refused form comes back as a new page
        page.click("#account-save")
    assert page.locator(".invalid-feedback").count() >= 1
    assert "/accounts/new/" in page.url
