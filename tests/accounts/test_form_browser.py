"""The account form in a real browser: the KA profile options follow the segment chosen, and a
custom field is a typed input that saves (issue 16 item 10)."""

import pytest

from wuwei.accounts.models import Account, AccountFieldDefinition, FieldKind
from wuwei.core import services as core_services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _offered(page) -> list[str]:
    return page.eval_on_selector_all(
        "[data-ka-segment=ka_type] option", "els => els.filter(o => !o.disabled).map(o => o.value)"
    )


def test_ka_profile_follows_the_segment_and_custom_fields_save(org, login):
    core_services.save_new(
        AccountFieldDefinition(
            key="it_budget", label_en="IT budget", label_zh="IT 预算", kind=FieldKind.NUMBER
        ),
        user=org.admin,
    )
    page = login(org.rep)
    page.goto("/accounts/new/")
    page.select_option("[data-ka-segment=segment]", "SMB")
    assert _offered(page) == ["", "none"]
    page.select_option("[data-ka-segment=segment]", "KA")
    assert _offered(page) == ["", "global", "national", "regional", "high_willingness"]
    page.select_option("[data-ka-segment=ka_type]", "national")
    # switching back to SMB drops the KA profile that no longer fits
    page.select_option("[data-ka-segment=segment]", "SMB")
    assert page.input_value("[data-ka-segment=ka_type]") == ""
    page.fill("#id_name", "Harbour Logistics")
    assert page.get_attribute("[name=cf_it_budget]", "type") == "number"
    page.fill("[name=cf_it_budget]", "250000")
    with page.expect_navigation():
        page.click("#account-save")
    account = Account.objects.get(name="Harbour Logistics")
    assert account.custom_fields == {"it_budget": 250000}
    assert account.ka_profile_overridden is False
