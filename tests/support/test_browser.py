"""The delivery lead assigns a proposed person and the load heat map shows the new load."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.support.conftest import make_deal, make_request

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEAT = "echarts.getInstanceByDom(document.getElementById('load-heatmap'))"


def _load_of(page, person: str, week: str) -> float:
    return page.evaluate(
        f"""([person, week]) => {{
            const option = {HEAT}.getOption();
            const x = option.xAxis[0].data.indexOf(week);
            const y = option.yAxis[0].data.indexOf(person);
            const cell = option.series[0].data.find(c => c[0] === x && c[1] === y);
            return cell ? cell[2] : null;
        }}""",
        [person, week],
    )


def test_lead_assigns_a_resource_and_the_heat_map_updates(org, mci, login):
    # given: an AB deal asks for 5 days of ERP work next week (Monday to Friday)
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday()) + timedelta(weeks=1)
    deal = make_deal(org.rep, "5000000")
    request = make_request(
        deal, effort_days=Decimal(5), start=monday, end=monday + timedelta(days=4)
    )
    week = f"{monday.isocalendar()[0]}-W{monday.isocalendar()[1]:02d}"
    page = login(mci.lead)
    page.goto("/support/")
    page.wait_for_function(f"{HEAT} !== undefined")
    assert _load_of(page, "alice", week) == 0
    # when: the lead opens the request and assigns the best-fitting person
    page.click(f"[data-request='{request.pk}']")
    first = page.locator("[data-testid=proposals] tbody tr").first
    assert first.get_attribute("data-resource") == str(mci.alice.pk)
    with page.expect_navigation():
        first.locator("button[data-assign]").click()
    # then: back on the board, alice is at 100 % that week, and the cost is on the ledger
    page.wait_for_function(f"{HEAT} !== undefined")
    assert _load_of(page, "alice", week) == 100
    assert _load_of(page, "bob", week) == 0
    burn = page.locator("[data-testid=budget-burn]").inner_text()
    assert "15,000.00" in burn and "10.0 %" in burn
