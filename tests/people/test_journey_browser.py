"""The rep's daily journey in real Chromium (issue 16, items 3 and 4): from the account, add a
contact in the relationship map's drawer, start a deal from the account with the type-ahead
account picker, move it with the stage bar, and log an activity that shows on the deal
timeline — never leaving the page where a drawer or inline form does the job."""

import os
import re

import pytest

from tests.factories import make_account, make_contact
from wuwei.opportunities.models import Opportunity
from wuwei.people.models import Activity, Contact

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

MAP_HAS = """name => window.wuweiMap && window.wuweiMap.data().nodes.some(n => n.name === name)"""


def test_rep_daily_journey(org, login):
    account = make_account(org.rep, name="Journey Logistics")
    make_account(org.rep, name="Journey Foods")  # a second match for the picker
    make_contact(account, "Boss Gao", influence=5)
    page = login(org.rep)

    # the relationship map: add a contact in the drawer, first with a mistake
    page.goto(f"/accounts/{account.pk}/")
    page.click("#account-map")
    page.wait_for_function("() => window.wuweiMap !== undefined", polling=100)
    page.click("#map-add-contact")
    page.wait_for_selector("#contact-drawer.show #id_drawer-name")
    page.fill("#id_drawer-email", "not-an-email")
    page.click("#contact-drawer-save")
    page.wait_for_selector("#contact-drawer .invalid-feedback")
    assert page.url.endswith(f"/connections/accounts/{account.pk}/map/")
    assert not Contact.objects.filter(account=account, email="not-an-email").exists()
    page.fill("#id_drawer-name", "Liu Yang")
    page.fill("#id_drawer-title", "CIO")
    page.fill("#id_drawer-email", "liu@example.com")
    page.click("#contact-drawer-save")
    page.wait_for_selector("[data-testid=contact-created]")
    # the map and its contact list reload with the new person, on the same page
    page.wait_for_function(MAP_HAS, arg="Liu Yang", polling=100)
    page.wait_for_selector("[data-testid=map-contacts] >> text=Liu Yang")
    liu = Contact.objects.get(account=account, name="Liu Yang")
    assert (liu.title, liu.email) == ("CIO", "liu@example.com")

    # a new deal from the account page: the account is already chosen
    page.goto(f"/accounts/{account.pk}/")
    page.click("#account-new-deal")
    page.wait_for_url(re.compile(r"/opportunities/new/\?account="))
    assert page.input_value("#id_account") == "Journey Logistics"
    # the picker answers as the rep types, and works from the keyboard
    page.fill("#id_account", "journey")
    page.wait_for_selector("#id_account-list.show [role=option] >> text=Journey Foods")
    page.press("#id_account", "ArrowDown")  # Foods first (alphabetical), then Logistics
    page.press("#id_account", "Enter")
    assert page.input_value("#id_account") == "Journey Logistics"
    assert page.input_value("input[name=account]") == str(account.pk)
    page.fill("#id_name", "Cold-chain tracking")
    page.fill("#id_amount", "180000")
    page.click("#opportunity-save")
    page.wait_for_url(re.compile(r"/opportunities/\d+/$"))
    deal = Opportunity.objects.get(name="Cold-chain tracking")
    assert deal.account_id == account.pk and page.url.endswith(f"/opportunities/{deal.pk}/")

    # the stage bar: only allowed stages are buttons; lost asks for its fields only
    form = page.locator("#stage-form")
    assert form.is_hidden()
    page.click("[data-stage-pick=lost]")
    assert form.is_visible()
    assert page.locator("#id_winning_price").is_visible()
    page.click("[data-stage-pick=needs_analysis]")
    assert page.input_value("select[name=to]") == "needs_analysis"
    assert page.locator("#id_winning_price").is_hidden()
    page.fill("#id_reason", "Needs confirmed in the workshop")
    page.click("#stage-submit")
    page.wait_for_selector(".ww-path .step.current[data-stage=needs_analysis]")
    deal.refresh_from_db()
    assert (deal.stage, deal.version) == ("needs_analysis", 2)

    # log an activity on the deal and see it on the deal timeline without leaving the page
    page.click("#tab-timeline")
    page.wait_for_selector("#deal-activity-form #id_deal-subject")
    page.fill("#id_deal-subject", "Workshop with the CIO")
    page.check(f"#deal-activity-form input[name=deal-contacts][value='{liu.pk}']")
    page.click("#deal-activity-save")
    page.wait_for_selector("#deal-events [data-kind=activity] >> text=Workshop with the CIO")
    assert page.url.split("#")[0].endswith(f"/opportunities/{deal.pk}/")
    activity = Activity.objects.get(subject="Workshop with the CIO")
    assert activity.opportunity_id == deal.pk and list(activity.contacts.all()) == [liu]
