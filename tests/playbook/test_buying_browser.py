"""The buying-process journey in a real browser: the deal page's tab follows a template,
maps a contact (with a hostile name, shown as text) to a role, and the role turns
covered (htmx swaps)."""

import pytest

from tests.factories import make_account, make_contact
from tests.opportunities.factories import make_opportunity
from wuwei.playbook.buying import services
from wuwei.playbook.models import BuyingRoleContact

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HOSTILE = "<img src=x onerror=alert(1)>"


def test_follow_a_template_and_map_a_contact(org, login):
    # live-server tests run after others flushed the tables, seeded rows included
    template = services.template_create(
        user=org.admin,
        code="gov",
        name_en="Public tender",
        name_zh="公开招标",
        industry="government",
    )
    step = services.step_create(
        user=org.admin, template=template, name_en="Budget", name_zh="预算批复", stage="initiate"
    )
    role = services.role_create(
        user=org.admin,
        step=step,
        name_en="Finance office",
        name_zh="财务处",
        function="finance",
        kind="approval",
    )
    account = make_account(org.rep, name="市政务局", industry="government")
    contact = make_contact(account, HOSTILE, department="财务处")
    deal = make_opportunity(org.rep, account, name="政务云")
    page = login(org.rep)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    page.goto(f"/opportunities/{deal.pk}/#buying")
    page.wait_for_selector("#pane-buying.active.show #buying-tab")
    assert page.locator('[data-testid="no-template"]').count() == 1
    page.select_option("#buying-template-form select", str(template.pk))
    page.click("#buying-template-form button")
    page.wait_for_selector('[data-testid="buying-template"]')
    page.wait_for_selector(f'[data-role="{role.pk}"][data-covered="0"]')
    page.click(f'[data-role="{role.pk}"] form button')
    page.wait_for_selector(f'[data-role="{role.pk}"][data-covered="1"]')
    assert HOSTILE in page.locator('[data-testid="mapped-contact"]').inner_text()
    assert page.locator('[data-testid="cover-finance"].text-bg-success').count() == 1
    assert dialogs == []
    assert BuyingRoleContact.objects.get().contact_id == contact.pk
