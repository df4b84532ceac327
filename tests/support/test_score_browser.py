"""The presales owner of a stage scores its participants when the deal leaves the stage
(METHOD.md §5.4): the notification leads to the deal's scores, a score is submitted in the
page, and the deal's Stage scores tab shows what is left."""

import pytest

from tests.support.test_score_pages import _move, _staffed_deal
from wuwei.support.models import StageScore

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_stage_owner_scores_at_stage_exit(org, mci, login):
    # given: alice (presales) owns the deal's first stage; the rep moves the deal on
    deal = _staffed_deal(org, mci)
    first = deal.stage
    _move(org, deal, "initiate" if first == "validate" else "needs_analysis")
    page = login(mci.alice.user)
    # when: she follows the notification to the deal's scores
    page.goto("/notifications/")
    with page.expect_navigation():
        page.locator("[data-testid=notification] a").first.click()
    assert page.url.endswith(f"/support/deals/{deal.pk}/scores/")
    forms = page.locator("[data-testid=score-form]")
    assert forms.count() == 2
    rep_form = page.locator(f"[data-testid=score-form][data-participant='{org.rep.pk}']")
    rep_form.locator("input[name$=-score]").fill("88")
    rep_form.locator("input[name$=-comment]").fill("Drove the customer workshop")
    with page.expect_navigation():
        rep_form.locator("button").click()
    # then: back on the deal on its Stage scores tab, one score left to give
    assert page.url.endswith(f"/opportunities/{deal.pk}/#scores")
    tab = page.locator("[data-testid=scores-tab]")
    tab.wait_for()
    assert page.locator("#pane-scores").is_visible()
    assert tab.locator("[data-testid=score-form]").count() == 1
    assert "88" in tab.locator("[data-testid=scores-given]").inner_text()
    assert StageScore.objects.get().score == 88
    # the last score empties her list of scores to give
    peer_form = tab.locator(f"[data-testid=score-form][data-participant='{org.peer_rep.pk}']")
    peer_form.locator("input[name$=-score]").fill("75")
    with page.expect_navigation():
        peer_form.locator("button").click()
    page.goto("/support/scores/")
    assert page.locator("[data-testid=no-pending]").is_visible()
    assert sorted(StageScore.objects.values_list("score", flat=True)) == [75, 88]
