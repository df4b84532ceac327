"""The main journey of the winning engine in real Chromium: open a deal, answer this week's
questionnaire on the Win rate tab, and see the win rate and the curve gain a point."""

import pytest

from tests.opportunities.winning import add_event, make_deal

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RATED_POINTS = """el => {
  const chart = echarts.getInstanceByDom(el);
  return chart ? chart.getOption().series[0].data.filter(v => v !== null).length : -1;
}"""


def test_submit_questionnaire_and_the_curve_gains_a_point(org, login):
    # given: a deal with two competitors and a confirmed compelling event, not yet rated
    deal, (main, second) = make_deal(org.rep, rivals=2, primary=True, name="Harbour ERP")
    add_event(deal, org.rep)
    page = login(org.rep)
    page.goto(f"/opportunities/{deal.pk}/")
    page.click("#tab-winrate")
    chart = page.locator("[data-testid=winrate-chart]")
    chart.wait_for()
    assert chart.get_attribute("data-rated-points") == "0"
    # no week rated yet: the curve says so instead of drawing bare axes
    chart.locator("[data-testid=chart-empty]").wait_for()
    assert chart.evaluate(RATED_POINTS) == -1
    assert page.locator("[data-testid=win-rate]").inner_text().strip() != "33 %"

    # when: the rep answers side by side (us and each competitor) and saves
    page.check("#id_has_inside_source_0")  # yes, we have a coach
    page.fill("#id_us_fit", "5")
    page.fill("#id_us_closeness", "5")
    page.fill(f"#id_c{main.pk}_fit", "6")
    page.fill(f"#id_c{main.pk}_closeness", "6")
    page.fill(f"#id_c{second.pk}_fit", "4")
    page.fill(f"#id_c{second.pk}_closeness", "4")
    page.click("#questionnaire-submit")

    # then: 10 / (10 + 12 + 8) = 33 %, in the tab, in the header, and on the curve
    page.locator("[data-testid=questionnaire-saved]").wait_for()
    assert page.locator("[data-testid=winrate-value]").inner_text().strip() == "33 %"
    assert page.locator("[data-testid=win-rate]").inner_text().strip() == "33 %"
    chart = page.locator("[data-testid=winrate-chart]")
    assert chart.get_attribute("data-rated-points") == "1"
    page.wait_for_function(
        "() => { const c = echarts.getInstanceByDom(document.querySelector("
        "'[data-testid=winrate-chart]')); return c && c.getWidth() > 100; }"
    )
    assert chart.evaluate(RATED_POINTS) == 1
    assert page.locator("[data-testid=questionnaire-pair]").count() == 1
