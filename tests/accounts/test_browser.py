"""Browser journey (Playwright + Debian chromium): grade an account and see its dot move on
the nine-box chart, then click the dot to reach the account."""

from collections.abc import Iterator
from typing import Any

import pytest

from tests.accounts.factories import grade
from tests.factories import PASSWORD, make_account, make_team, make_user

pytestmark = pytest.mark.browser


@pytest.fixture
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    """A larger English page on the one session browser (tests/conftest.py)."""
    context = browser.new_context(locale="en-US", viewport={"width": 1400, "height": 1000})
    yield context.new_page()
    context.close()


DOT = """(accountId) => {
  const chart = echarts.getInstanceByDom(document.getElementById('ninebox-chart'));
  for (const [index, series] of chart.getOption().series.entries()) {
    const point = series.data.find((d) => d.id === accountId);
    if (point) {
      const [x, y] = chart.convertToPixel({seriesIndex: index}, point.value);
      return {cls: series.name, value: point.value, x, y};
    }
  }
  return null;
}"""


def _dot(page: Any, live_server: Any, account_id: int) -> Any:
    page.goto(f"{live_server.url}/accounts/ninebox/")
    page.wait_for_function(
        "() => window.echarts && echarts.getInstanceByDom(document.getElementById('ninebox-chart'))"
    )
    return page.evaluate(DOT, account_id)


def test_grading_moves_the_dot_on_the_ninebox(
    page: Any, live_server: Any, transactional_db: Any
) -> None:
    # given an account in class C (high potential, low contribution)
    team = make_team("East KA")
    rep = make_user("browser_rep", team=team)
    account = make_account(rep, name="Browser Test Co", status="customer")
    grade(account, (20, 90, 50, 50))
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "browser_rep")
    page.fill("#id_password", PASSWORD)
    page.click("#login-submit")
    page.wait_for_url(f"{live_server.url}/")
    before = _dot(page, live_server, account.pk)
    assert (before["cls"], before["value"]) == ("C", [20, 90])

    # when the rep grades it with a high revenue contribution on the grading tab
    page.goto(f"{live_server.url}/accounts/{account.pk}/?tab=grading")
    page.fill("#id_revenue", "90")
    page.fill("#id_potential", "80")
    page.fill("#id_demonstration", "70")
    page.fill("#id_can_win_deliver", "70")
    page.fill("#id_revenue_justification", "Signed the framework contract")
    page.click("#grading-save")
    page.wait_for_function(
        "() => document.getElementById('grading-class')?.textContent.trim() === 'A'"
    )

    # then its dot moved to class A at (90, 80)
    after = _dot(page, live_server, account.pk)
    assert (after["cls"], after["value"]) == ("A", [90, 80])
    assert after["x"] > before["x"]

    # and clicking the dot opens the account
    box = page.locator("#ninebox-chart").bounding_box()
    page.mouse.click(box["x"] + after["x"], box["y"] + after["y"])
    page.wait_for_url(f"{live_server.url}/accounts/{account.pk}/")
    assert page.inner_text("#account-name").startswith("Browser Test Co")
