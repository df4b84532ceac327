"""The pursuit journey in a real browser: a link to #strategy opens that tab; choose the
strategy, adopt a tactic, carry it out as an activity, rate the value table (htmx swaps)."""

import pytest

from tests.factories import make_contact
from tests.pursuit.factories import answer, make_deal, on_deal
from wuwei.opportunities.models import DealStrategy, ValueComparison
from wuwei.people.models import Activity
from wuwei.pursuit import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_strategy_and_value_journey(org, login):
    deal = make_deal(org.rep, name="Hash deal")
    make_contact(deal.account, name="Wang")
    first, second = on_deal(deal, "Huaxin", "Oriental")
    answer(deal, (6, 6), [(first, 7, 7), (second, 4, 4)], win_rate=30)
    # live-server tests run after others flushed the tables, seeded rows included
    tactic = services.competitive_tactic_create(
        user=org.manager,
        strategy="flanking",
        title_en="Redefine the criteria",
        title_zh="重新定义标准",
    )
    page = login(org.rep)

    page.goto(f"/opportunities/{deal.pk}/#strategy")
    page.wait_for_selector("#pane-strategy.active.show #pursuit-strategy")
    assert page.locator("#tab-strategy").get_attribute("aria-selected") == "true"
    page.fill("#strategy-rationale", "Two points behind: change the criteria")
    page.click("#strategy-save")
    page.wait_for_selector('[data-testid="chosen-strategy"][data-strategy="flanking"]')
    page.check(f"#library-{tactic.pk}")
    page.click("#adopt-submit")
    page.wait_for_selector('[data-testid="deal-tactic"]')
    page.click('[data-testid="deal-tactic"] [data-testid="make-activity"]')
    page.click("[data-testid=activity-form] button")
    page.wait_for_selector('[data-testid="tactic-activity"]')

    page.click("#tab-value")
    page.wait_for_function("location.hash === '#value'")
    page.select_option('select[name="rating-solution-us"]', "4")
    page.select_option(f'select[name="rating-solution-{first.pk}"]', "5")
    page.click("#value-save")
    page.wait_for_selector('#pursuit-value [data-testid="tab-message"]')
    assert (
        page.locator(f'#pursuit-value td[data-party="{first.pk}"]').first.get_attribute(
            "data-standing"
        )
        == "lag"
    )
    page.reload()
    page.wait_for_selector("#pane-value.active.show #pursuit-value")

    assert DealStrategy.objects.get(opportunity=deal).strategy == "flanking"
    assert Activity.objects.get().opportunity_id == deal.pk
    assert ValueComparison.objects.filter(opportunity=deal).count() == 2
