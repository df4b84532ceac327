"""The "?" next to a method term explains it on hover and leads to its glossary entry."""

import pytest

from tests.factories import make_contact
from tests.opportunities.winning import make_deal
from wuwei.people import services as people

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_closeness_help_explains_on_hover_and_opens_the_glossary(org, login):
    # given: a deal with a hostile-named contact on its decision map
    deal, _rivals = make_deal(org.rep, rivals=0)
    hostile = make_contact(deal.account, "<img src=x onerror=alert(1)>", title="CIO")
    people.participant_add(
        user=org.rep, opportunity=deal, contact=hostile, decision_role="approver"
    )
    page = login(org.rep)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(f"/connections/deals/{deal.pk}/decision-map/")
    # when: hovering the "?" next to the closeness index
    page.hover("a.ww-term[data-term=closeness]")
    # then: a tooltip explains the index in the page's language (Chinese by default)
    tooltip = page.locator(".tooltip.show")
    tooltip.wait_for()
    assert "50 为中立" in tooltip.inner_text()
    # and clicking it opens the glossary at the closeness entry
    page.click("a.ww-term[data-term=closeness]")
    page.wait_for_url("**/help/glossary/#closeness")
    assert page.locator("#closeness h2").inner_text() == "紧密度指数"
    assert page.evaluate("document.querySelector('#closeness').matches(':target')")
    # and the help icon in the navigation leads to the same page
    page.goto("/accounts/")
    page.click("#nav-help")
    page.wait_for_url("**/help/glossary/")
    assert dialogs == []
