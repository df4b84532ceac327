"""Hostile content in real Chromium (issue: stored XSS through charts). Every free-text field
that reaches a chart holds `<img src=x onerror=alert(1)>`, a `<script>`, quotes and an ECharts
`{b}` placeholder; an administrator visits every chart page and hovers the hostile items.
Nothing may run (no dialog), nothing may be blocked by the Content-Security-Policy (a blocked
inline handler would mean the value reached the DOM as markup), and every tooltip shows the
value as typed text."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

from tests.accounts.factories import grade
from tests.factories import make_account, make_contact, make_user
from tests.opportunities.factories import make_competitor, make_opportunity
from tests.opportunities.winning import add_event, answer
from tests.web.browser_guard import assert_escaped, guard, hostile
from wuwei.accounts.models import Account
from wuwei.competitors.models import Competitor
from wuwei.opportunities.models import Opportunity, StageTemplate
from wuwei.opportunities.services import opportunity_competitor_add
from wuwei.org.models import Role, User
from wuwei.people.models import Contact
from wuwei.people.services import (
    competitor_relation_set,
    decision_influence_add,
    influence_add,
    participant_add,
)
from wuwei.support.services import level_rate_set, resource_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NINEBOX_INDEX = """id => {
  const chart = echarts.getInstanceByDom(document.getElementById("ninebox-chart"));
  for (const [s, series] of chart.getOption().series.entries()) {
    const d = series.data.findIndex((p) => p.id === id);
    if (d >= 0) return [s, d];
  }
  return null;
}"""
HEAT_INDEX = """name => {
  const option = echarts.getInstanceByDom(document.getElementById("load-heatmap")).getOption();
  const row = option.yAxis[0].data.indexOf(name);
  return option.series[0].data.findIndex((cell) => cell[1] === row);
}"""
NODE_INDEX = """id => echarts.getInstanceByDom(document.getElementById("relationship-map"))
  .getOption().series[0].data.findIndex((n) => n.id === String(id))"""
NODE_LABEL = """index => {
  const node = echarts.getInstanceByDom(document.getElementById("relationship-map"))
    .getOption().series[0].data[index];
  return node.label.formatter();
}"""
CHART_READY = """selector => {
  const el = document.querySelector(selector);
  const chart = el && window.echarts && echarts.getInstanceByDom(el);
  return !!chart && chart.getWidth() > 100;
}"""


@dataclass
class World:
    account: Account
    boss: Contact
    deal: Opportunity
    competitor: Competitor
    presales: User


def _hostile_world(org: Any) -> World:
    account = make_account(org.rep, name=hostile("account"), website="https://example.com")
    grade(account, (20, 90, 50, 50))
    competitor = make_competitor(org.rep, name=hostile("competitor"))
    boss = make_contact(
        account,
        hostile("boss"),
        title=hostile("title"),
        circle=hostile("circle"),
        influence=5,
        relationship_status="positive",
    )
    cio = make_contact(account, hostile("cio"), title=hostile("cio title"), reports_to=boss)
    influence_add(user=org.rep, source=cio, target=boss)
    competitor_relation_set(user=org.rep, contact=boss, competitor=competitor, status="positive")
    deal = make_opportunity(org.rep, account, 2_000_000, name=hostile("deal"))
    # Stage names are editable by administrators (the sales process template, §4.11). The
    # seeded rows are gone after an earlier transactional test's flush: create them if needed.
    StageTemplate.objects.update_or_create(
        stage=deal.stage,
        defaults={
            "number": 1,
            "name_en": hostile("stage"),
            "name_zh": hostile("stage"),
            "exit_criteria_en": "-",
            "exit_criteria_zh": "-",
        },
    )
    opportunity_competitor_add(user=org.rep, opportunity=deal, competitor=competitor)
    add_event(deal, org.rep)  # a confirmed compelling event: the deal can be rated
    answer(deal, org.rep, (5, 5), [(competitor, 4, 4)])  # this week's point on the curve
    first = participant_add(user=org.rep, opportunity=deal, contact=boss, decision_role="approver")
    second = participant_add(user=org.rep, opportunity=deal, contact=cio, decision_role="user")
    decision_influence_add(user=org.rep, source=second, target=first)
    presales = make_user(
        "hostile_presales", roles=[Role.PRESALES], team=org.company, display_name=hostile("user")
    )
    level = level_rate_set(user=org.admin, level="P1", day_rate=Decimal(1000))
    resource_create(user=org.admin, person=presales, level=level, skills=["erp"])
    return World(account, boss, deal, competitor, presales)


def _open(page: Any, url: str, chart: str | None = None) -> None:
    page.goto(url)
    page.wait_for_load_state("networkidle")
    if chart:
        page.wait_for_function(CHART_READY, arg=chart)


def test_ninebox_tooltip_escapes_a_hostile_account_name(org, page, login):
    # given: a rep named an account like a script, and it is graded onto the nine-box
    world = _hostile_world(org)
    traps = guard(page)
    login(org.admin)
    # when: an administrator hovers its dot
    _open(page, "/accounts/ninebox/", "#ninebox-chart")
    series, index = page.evaluate(NINEBOX_INDEX, world.account.pk)
    tip = traps.tooltip("#ninebox-chart", series, index)
    # then: the name is shown as text and nothing ran
    assert_escaped(tip, world.account.name)
    traps.assert_clean("nine-box")


def test_heat_map_tooltip_escapes_a_hostile_display_name(org, page, login):
    # given: a presales person whose display name is a script
    world = _hostile_world(org)
    traps = guard(page)
    login(org.admin)
    # when: an administrator hovers their row on the delivery-centre load heat map
    _open(page, "/support/", "#load-heatmap")
    index = page.evaluate(HEAT_INDEX, str(world.presales))
    assert index >= 0
    tip = traps.tooltip("#load-heatmap", 0, index)
    # then
    assert_escaped(tip, str(world.presales))
    traps.assert_clean("load heat map")


def test_hostile_names_on_every_chart_page(org, page, login):
    """Account, contact names, titles and circles, competitor, deal, stage and user display
    names, all hostile; every chart page is visited and its hostile items hovered."""
    world = _hostile_world(org)
    traps = guard(page)
    login(org.admin)

    # nine-box: account name
    _open(page, "/accounts/ninebox/", "#ninebox-chart")
    series, index = page.evaluate(NINEBOX_INDEX, world.account.pk)
    assert_escaped(traps.tooltip("#ninebox-chart", series, index), world.account.name)
    traps.assert_clean("nine-box")

    # delivery-centre heat map: user display name
    _open(page, "/support/", "#load-heatmap")
    index = page.evaluate(HEAT_INDEX, str(world.presales))
    assert_escaped(traps.tooltip("#load-heatmap", 0, index), str(world.presales))
    traps.assert_clean("load heat map")

    # relationship map: contact name, title and circle in the tooltip, the name as a node
    # label (plain text, the {b} placeholder shown as typed), our view and a competitor's
    _open(page, f"/connections/accounts/{world.account.pk}/map/", "#relationship-map")
    index = page.evaluate(NODE_INDEX, world.boss.pk)
    tip = traps.tooltip("#relationship-map", 0, index)
    for value in (world.boss.name, world.boss.title, world.boss.circle):
        assert_escaped(tip, value)
    assert page.evaluate(NODE_LABEL, index).startswith(world.boss.name)
    page.select_option("#map-view", str(world.competitor.pk))
    assert_escaped(traps.tooltip("#relationship-map", 0, index), world.boss.name)
    assert world.competitor.name in page.locator("#closeness").inner_text()
    traps.assert_clean("relationship map")

    # decision map (a table): contact names, titles and the competitor as text
    _open(page, f"/connections/deals/{world.deal.pk}/decision-map/")
    table = page.locator("[data-testid=decision-map]").inner_text()
    assert world.boss.name in table and world.boss.title in table
    assert world.competitor.name in table
    traps.assert_clean("decision map")

    # deal page, win-rate tab: the curve's stage markers carry the (hostile) stage name
    _open(page, f"/opportunities/{world.deal.pk}/")
    assert page.locator("#opportunity-name").inner_text().startswith(world.deal.name)
    page.click("#tab-winrate")
    _open_tab_chart(page)
    last = page.evaluate(
        "() => echarts.getInstanceByDom(document.querySelector('[data-testid=winrate-chart]'))"
        ".getOption().xAxis[0].data.length - 1"
    )
    tip = traps.tooltip("[data-testid=winrate-chart]", 0, last)
    assert_escaped(tip, hostile("stage"))
    traps.assert_clean("win-rate curve")

    # pages that show the same values as text
    for url in (
        f"/accounts/{world.account.pk}/",
        f"/contacts/{world.boss.pk}/",
        f"/competitors/{world.competitor.pk}/",
        f"/support/deals/{world.deal.pk}/",
        "/accounts/",
        "/contacts/",
        "/opportunities/",
        "/opportunities/board/",
        "/competitors/",
    ):
        _open(page, url)
        traps.assert_clean(url)


def _open_tab_chart(page: Any) -> None:
    page.wait_for_function(CHART_READY, arg="[data-testid=winrate-chart]")
