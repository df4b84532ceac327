"""The relationship map in real Chromium: click a node, change the status inline, and the
node's colour on the ECharts map changes."""

import os

import pytest

from tests.factories import make_account, make_contact

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

NODE_COLOUR = """id => {
  const chart = echarts.getInstanceByDom(document.getElementById('relationship-map'));
  const node = chart.getOption().series[0].data.find(n => n.id === String(id));
  return node.itemStyle.color;
}"""
NODE_PIXEL = """id => {
  const chart = echarts.getInstanceByDom(document.getElementById('relationship-map'));
  const node = chart.getOption().series[0].data.find(n => n.id === String(id));
  return chart.convertToPixel({seriesIndex: 0}, [node.x, node.y]);
}"""


def test_change_status_on_the_map_recolours_the_node(org, login):
    account = make_account(org.rep, name="Acme")
    boss = make_contact(account, "Boss", influence=5, relationship_status="positive")
    cio = make_contact(account, "CIO", reports_to=boss, influence=3)
    page = login(org.rep)
    page.goto(f"/connections/accounts/{account.pk}/map/")
    page.wait_for_function("() => window.wuweiMap !== undefined", polling=100)
    assert page.evaluate(NODE_COLOUR, cio.pk) == "#9aa4ae"  # neutral
    # click the node on the canvas
    x, y = page.evaluate(NODE_PIXEL, cio.pk)
    box = page.locator("#relationship-map").bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)
    page.wait_for_selector(f"[data-testid=persona][data-contact='{cio.pk}']")
    page.select_option("#id_relationship_status", "strong_negative")
    page.click("#persona-save")
    page.wait_for_function(f"() => ({NODE_COLOUR})({cio.pk}) === '#d62828'", timeout=10_000)
    assert page.evaluate(NODE_COLOUR, boss.pk) == "#74c365"
    cio.refresh_from_db()
    assert cio.relationship_status == "strong_negative"
    # the closeness badge follows: 50 + 25 × (5×1 + 3×−2) / 8 = 46.9
    assert page.locator("[data-closeness=us]").inner_text() == "46.9"
