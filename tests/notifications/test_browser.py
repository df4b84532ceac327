"""A win-rate move reaches the rep: the bell counts it, the list shows it, marking it read
(htmx) updates the row and the bell without reloading the page."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import make_account
from tests.opportunities.factories import make_opportunity
from wuwei.opportunities.models import Opportunity
from wuwei.opportunities.winning.snapshots import snapshot_week

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_rep_sees_the_change_event_and_marks_it_read(org, login):
    # given: the deal was at 45 % last week and is at 30 % now
    deal = make_opportunity(org.rep, make_account(org.rep), name="Core banking")
    Opportunity.objects.filter(pk=deal.pk).update(win_rate=45)
    today = timezone.localdate()
    snapshot_week(as_of=today - timedelta(days=7))
    Opportunity.objects.filter(pk=deal.pk).update(win_rate=30)
    assert snapshot_week(as_of=today).change_events == 1
    # when
    page = login(org.rep)
    count = page.locator("#notification-count")
    assert count.inner_text().split()[0] == "1"
    page.click("#notification-bell")
    page.locator("[data-testid=notification-preview] [data-testid=notification-see-all]").click()
    page.wait_for_url("**/notifications/")
    row = page.locator("[data-testid=notification]")
    assert row.count() == 1
    assert "Core banking" in row.inner_text()
    assert "−15" in row.inner_text()  # stored in the recipient's language (default zh-hans)
    row.locator("[data-testid=mark-read]").click()
    # then
    page.wait_for_selector("[data-testid=notification][data-read=true]")
    page.wait_for_selector("#notification-count.d-none", state="attached")
    assert page.locator("[data-testid=mark-read]").count() == 0
    # the link opens the deal's strategy tab
    page.click("[data-testid=notification] a")
    page.wait_for_url(f"**/opportunities/{deal.pk}/#strategy")


def test_bell_opens_a_dropdown_preview_and_marks_all_read(org, login):
    from tests.notifications.factories import make_notification

    hostile = "<img src=x onerror=alert(1)>"
    deal = make_opportunity(org.rep, make_account(org.rep), name=hostile)
    for i in range(6):
        make_notification(org.rep, title=f"Older {i}", url="/notifications/")
    make_notification(org.rep, title=f"Win rate moved: {hostile}", url=f"/opportunities/{deal.pk}/")
    page = login(org.rep)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    assert page.locator("#notification-count").inner_text().split()[0] == "7"
    page.click("#notification-bell")
    preview = page.locator("[data-testid=notification-preview]")
    preview.wait_for()
    items = preview.locator("[data-testid=notification-preview-item]")
    assert items.count() == 5
    assert hostile in items.first.inner_text()  # shown as text, not run
    assert dialogs == []
    # mark all read from the dropdown: the preview empties and the bell count hides
    preview.locator("[data-testid=notification-preview-read-all]").click()
    page.wait_for_selector("[data-testid=notification-preview-empty]")
    page.wait_for_selector("#notification-count.d-none", state="attached")
    assert not page.url.endswith("/notifications/")


def test_preview_item_opens_its_record(org, login):
    from tests.notifications.factories import make_notification

    deal = make_opportunity(org.rep, make_account(org.rep), name="Port logistics")
    make_notification(org.rep, title="Coaching action for you", url=f"/opportunities/{deal.pk}/")
    page = login(org.rep)
    page.click("#notification-bell")
    page.locator("[data-testid=notification-preview-item]").first.click()
    page.wait_for_url(f"**/opportunities/{deal.pk}/")
