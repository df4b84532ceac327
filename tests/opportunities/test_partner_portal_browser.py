"""The partner portal in real Chromium: a partner logs in, registers a deal from their home
page and sees until when it is protected (METHOD.md §4.2 E)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import make_account
from wuwei.opportunities.models import ProductLine

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_partner_registers_a_deal_and_sees_its_protection_expiry(org, login):
    customer = make_account(org.rep, name="宁波港集团", registration_number="91330200MA0001")
    # a transactional test may start after another flushed the seeded product lines
    cloud, _ = ProductLine.objects.get_or_create(
        code="cloud", defaults={"name_en": "Cloud platform", "name_zh": "云平台", "order": 1}
    )
    # given: a partner on their home page (Chinese, the default language)
    page = login(org.partner)
    assert page.locator("[data-testid=partner-home]").is_visible()
    assert page.locator("#ww-nav [data-area]").count() == 2
    # when: they register a deal
    page.click("#home-register-deal")
    page.fill("#id_customer_name", "宁波港集团有限公司")
    page.fill("#id_customer_registration_number", customer.registration_number)
    page.check(f"input[name=products][value='{cloud.pk}']")
    page.fill("#id_estimated_amount", "800000")
    page.fill("#id_expected_close", "2027-06-30")
    page.click("#registration-save")
    page.wait_for_url("**/opportunities/registrations/*/")
    # then: the page says until when it is protected, and that it overlaps (East KA's customer)
    expiry = (timezone.localdate() + timedelta(days=90)).isoformat()
    assert page.locator("[data-testid=expires-on]").inner_text() == expiry
    assert expiry in page.locator("[data-testid=protection]").inner_text()
    assert page.locator("[data-testid=registration-conflict]").is_visible()
    # and their home page lists it with the days left
    with page.expect_navigation():
        page.click(".navbar-brand")
    row = page.locator("[data-testid=protection-row]")
    assert row.count() == 1
    assert customer.name in row.inner_text() and expiry in row.inner_text()
    assert "90" in row.locator("td").nth(3).inner_text()
