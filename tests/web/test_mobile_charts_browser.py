"""Charts that read and pages that fit a phone (issue #16, items 6 and 8), in real Chromium.

Phone: a 390×844 touch screen, Chinese and English. The main lists and the deal page never
scroll sideways, list rows are cards labelled with their column, buttons keep their words on
a line, the stage bar is one line, and the relationship map answers taps, pinches and drags.
Charts: stage moves of one week share one marker whose tooltip lists them (hostile stage names
stay text), the x-axis shows dates beside ISO weeks, the nine-box counts the accounts of each
cell and spreads dots that would hide each other, and a chart without data says so."""

import contextlib
import math
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from tests.accounts.factories import grade
from tests.factories import make_account, make_contact
from tests.opportunities.factories import make_competitor, make_opportunity
from tests.opportunities.winning import add_event, answer
from tests.web.browser_guard import assert_escaped, guard, hostile
from wuwei.methodology.presales import iso_week
from wuwei.notifications.services import notify
from wuwei.opportunities.models import OPEN_STAGES, StageHistory, StageTemplate
from wuwei.opportunities.services import opportunity_competitor_add, opportunity_move_stage
from wuwei.people.services import influence_add
from wuwei.support.services import request_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery-staple"
# Long names without spaces: the worst case for a narrow screen.
LONG = "Shanghai-Pudong-Development-Bank-Information-Technology-Centre-Procurement"

OVERFLOW = "() => [document.scrollingElement.scrollWidth, window.innerWidth]"
# Buttons whose words were broken apart: fewer than four characters per drawn line.
BROKEN_BUTTONS = """() => Array.from(document.querySelectorAll('.btn')).filter((b) => {
  const r = b.getBoundingClientRect();
  if (!r.width || !b.offsetParent) return false;
  const s = getComputedStyle(b);
  const line = parseFloat(s.lineHeight) || parseFloat(s.fontSize) * 1.5;
  const inner = r.height - parseFloat(s.paddingTop) - parseFloat(s.paddingBottom)
    - parseFloat(s.borderTopWidth) - parseFloat(s.borderBottomWidth);
  const lines = Math.max(1, Math.round(inner / line));
  const chars = b.textContent.replace(/\\s+/g, '').length;
  return lines > 1 && chars / lines < 4;
}).map((b) => b.textContent.trim())"""
# A list drawn as cards: each row a block, each cell labelled with its column's heading.
CARDS = """selector => {
  const table = document.querySelector(selector);
  const row = table.tBodies[0].rows[0];
  const headings = Array.from(table.tHead.rows[0].cells).map(
    (c) => c.textContent.replace(/\\s+/g, ' ').trim());
  return {
    display: getComputedStyle(row).display,
    headerShown: table.tHead.getBoundingClientRect().height > 1,
    labels: Array.from(row.cells).map((c) => c.getAttribute('data-label')),
    before: getComputedStyle(row.cells[1], '::before').content,
    headings: headings,
  };
}"""
CHART_READY = """selector => {
  const el = document.querySelector(selector);
  const chart = el && window.echarts && echarts.getInstanceByDom(el);
  return !!chart && chart.getWidth() > 100;
}"""


def _sign_in(page: Any, user: Any) -> None:
    page.goto("/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("#login-submit")
    page.wait_for_url(lambda url: "/login/" not in url)


@pytest.fixture(params=["zh-CN", "en-US"])
def phone(request: Any, browser: Any, live_server: Any) -> Any:
    """A 390×844 touch screen in Chinese, then in English (the site follows the browser)."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        base_url=live_server.url,
        locale=request.param,
        has_touch=True,
        is_mobile=True,
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    with contextlib.suppress(Exception):
        page.wait_for_load_state("networkidle", timeout=5_000)
    context.close()


def _open(page: Any, url: str) -> None:
    page.goto(url)
    page.wait_for_load_state("networkidle")


def _stage_template(hostile_names: bool = False) -> None:
    """The seven stages of the sales process. The seeded rows are gone after an earlier
    transactional test's flush: create them if needed (names hostile when asked)."""
    for number, stage in enumerate(OPEN_STAGES, start=1):
        name = hostile(stage) if hostile_names else stage.replace("_", " ").capitalize()
        StageTemplate.objects.update_or_create(
            stage=stage,
            defaults={
                "number": number,
                "name_en": name,
                "name_zh": name,
                "exit_criteria_en": "-",
                "exit_criteria_zh": "-",
            },
        )


def _busy_world(org: Any) -> Any:
    """A little of everything the main lists show, with long unbroken names."""
    account = make_account(org.rep, name=LONG + "-Account", region=LONG)
    grade(account, (80, 80, 50, 50))
    make_contact(account, LONG + "-Contact", title=LONG, email=f"{'x' * 60}@example.com")
    competitor = make_competitor(org.rep, name=LONG + "-Competitor")
    deal = make_opportunity(org.rep, account, 12_345_678, name=LONG + "-Deal")
    opportunity_competitor_add(user=org.rep, opportunity=deal, competitor=competitor)
    add_event(deal, org.rep)
    answer(deal, org.rep, (5, 5), [(competitor, 4, 4)])
    deal = opportunity_move_stage(user=org.rep, opportunity=deal, to="initiate")
    today = timezone.localdate()
    request_create(
        user=org.rep,
        opportunity=deal,
        skills=["erp"],
        effort_days=Decimal(5),
        start=today + timedelta(days=7),
        end=today + timedelta(days=14),
        purpose=LONG,
        confirm_warnings=True,
    )
    notify(
        recipients=[org.admin],
        kind="test",
        title=LONG + " notification",
        body=LONG,
        url=f"/opportunities/{deal.pk}/",
        key=f"mobile-{deal.pk}",
        opportunity=deal,
    )
    return deal


def test_main_lists_and_the_deal_page_fit_a_phone(org, phone):
    # given: records with long names, and an administrator on a 390 px phone
    _stage_template()
    deal = _busy_world(org)
    _sign_in(phone, org.admin)
    lists = {
        "/accounts/": "[data-testid=account-table]",
        "/contacts/": "[data-testid=contact-table]",
        "/opportunities/": "[data-testid=opportunity-table]",
        "/competitors/": "[data-testid=competitor-table]",
        "/support/": "[data-testid=request-queue]",
        "/connections/activities/": None,
        "/coaching/": None,
        "/notifications/": None,
        "/risks/": None,
        "/opportunities/registrations/": None,
        "/accounts/conflicts/": None,
        "/coaching/actions/": None,
        "/connections/": None,
        "/support/performance/": None,
        "/playbook/rules/": None,
        "/org/audit/": None,
    }
    for url, table in lists.items():
        # when
        _open(phone, url)
        # then: nothing wider than the screen, no button broken into single characters
        width, screen = phone.evaluate(OVERFLOW)
        assert width <= screen, (url, width, screen)
        assert phone.evaluate(BROKEN_BUTTONS) == [], url
        if table:
            cards = phone.evaluate(CARDS, table)
            assert cards["display"] == "block", url
            assert not cards["headerShown"], url
            assert cards["labels"] == cards["headings"][: len(cards["labels"])], url
            assert cards["before"] == f'"{cards["headings"][1]}"', url

    # the deal page: no sideways scrolling, the stage bar on one line, the current stage named
    _open(phone, f"/opportunities/{deal.pk}/")
    width, screen = phone.evaluate(OVERFLOW)
    assert width <= screen, (width, screen)
    assert phone.evaluate(BROKEN_BUTTONS) == []
    tops = phone.evaluate(
        "() => Array.from(document.querySelectorAll('[data-testid=stage-path] > *'))"
        ".map((s) => Math.round(s.getBoundingClientRect().top))"
    )
    assert len(tops) >= 7 and len(set(tops)) == 1, tops
    current = phone.locator("[data-testid=stage-path] .current")
    assert current.evaluate("(el) => el.scrollWidth <= el.clientWidth + 1")  # named in full
    header = phone.locator("[data-testid=opportunity-header]").bounding_box()
    assert header["height"] < 600, header
    # every tab of the deal fits as well (the tab strip itself scrolls, the page does not)
    for tab in phone.locator("[data-testid=tabs] [role=tab]").all():
        tab.evaluate("(el) => el.click()")
        phone.wait_for_load_state("networkidle")
        width, screen = phone.evaluate(OVERFLOW)
        assert width <= screen, (tab.get_attribute("id"), width, screen)


# ----------------------------------------------------------------------------------------
# The relationship map on a touch screen

NODE_PIXEL = """id => {
  const chart = echarts.getInstanceByDom(document.getElementById('relationship-map'));
  const node = chart.getOption().series[0].data.find((n) => n.id === String(id));
  const [x, y] = chart.convertToPixel({seriesIndex: 0}, [node.x, node.y]);
  const box = document.getElementById('relationship-map').getBoundingClientRect();
  return [box.left + x, box.top + y];
}"""
ROAM = """() => {
  const series = echarts.getInstanceByDom(document.getElementById('relationship-map'))
    .getOption().series[0];
  return {zoom: series.zoom || 1, center: series.center || null};
}"""
VISIBLE_TIP = """() => {
  const tip = Array.from(document.querySelectorAll('#relationship-map div')).find(
    (d) => d.style.zIndex === '9999999' && d.style.display !== 'none' && d.innerHTML
      && d.style.opacity !== '0' && d.style.visibility !== 'hidden');
  return tip ? {html: tip.innerHTML, text: tip.textContent,
    elements: Array.from(tip.querySelectorAll('*')).map((e) => e.tagName.toLowerCase())} : null;
}"""


def _touch(cdp: Any, kind: str, points: list[tuple[float, float]]) -> None:
    cdp.send(
        "Input.dispatchTouchEvent",
        {
            "type": kind,
            "touchPoints": [{"x": x, "y": y, "id": i} for i, (x, y) in enumerate(points)],
        },
    )


def _gesture(page: Any, start: list[tuple[float, float]], end: list[tuple[float, float]]) -> None:
    """Fingers put down at `start`, moved in ten steps to `end`, lifted."""
    cdp = page.context.new_cdp_session(page)
    _touch(cdp, "touchStart", start)
    for step in range(1, 11):
        t = step / 10
        points = [
            (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)
            for a, b in zip(start, end, strict=True)
        ]
        _touch(cdp, "touchMove", points)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    page.wait_for_timeout(200)


def test_relationship_map_answers_taps_pinches_and_drags(org, phone):
    # given: an account map with two hostile names
    account = make_account(org.rep, name="Touch account")
    boss = make_contact(account, hostile("boss"), title=hostile("title"), influence=5)
    cio = make_contact(account, hostile("cio"), reports_to=boss)
    influence_add(user=org.rep, source=cio, target=boss)
    traps = guard(phone)
    _sign_in(phone, org.rep)
    _open(phone, f"/connections/accounts/{account.pk}/map/")
    phone.wait_for_function(CHART_READY, arg="#relationship-map")
    width, screen = phone.evaluate(OVERFLOW)
    assert width <= screen
    # the map fits the screen with room to scroll the page past it
    assert phone.locator("#relationship-map").bounding_box()["height"] < 844 * 0.7

    # when: the rep taps a person
    x, y = phone.evaluate(NODE_PIXEL, boss.pk)
    phone.touchscreen.tap(x, y)
    phone.wait_for_function(f"() => !!({VISIBLE_TIP})()")
    # then: their tooltip shows, escaped, and the persona is not opened yet
    tip = phone.evaluate(VISIBLE_TIP)
    assert_escaped(tip, boss.name)
    assert phone.locator("#persona-panel form").count() == 0
    # a second tap on the same person opens the persona editor
    phone.touchscreen.tap(x, y)
    phone.wait_for_selector("#persona-panel form")
    # ...scrolled into view, since on a phone the panel sits below the map
    phone.wait_for_function(
        "() => { const r = document.getElementById('persona-panel').getBoundingClientRect();"
        " return r.top >= -1 && r.top < window.innerHeight; }"
    )

    # back on the map, a pinch zooms in and a one-finger drag moves the map
    phone.locator("#relationship-map").scroll_into_view_if_needed()
    box = phone.locator("#relationship-map").bounding_box()
    assert box["y"] >= -1 and box["y"] + box["height"] <= 845, box
    mid_x, mid_y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    before = phone.evaluate(ROAM)
    _gesture(
        phone,
        [(mid_x - 30, mid_y), (mid_x + 30, mid_y)],
        [(mid_x - 120, mid_y), (mid_x + 120, mid_y)],
    )
    zoomed = phone.evaluate(ROAM)
    assert zoomed["zoom"] > before["zoom"] * 1.5, (before, zoomed)
    _gesture(phone, [(mid_x, mid_y)], [(mid_x + 60, mid_y + 40)])
    moved = phone.evaluate(ROAM)
    assert moved["center"] != zoomed["center"], (zoomed, moved)
    traps.assert_clean("relationship map on a phone")


# ----------------------------------------------------------------------------------------
# Charts that read (desktop page of the shared fixture)


def test_win_rate_curve_groups_the_stage_moves_of_a_week(org, page, login):
    # given: a rated deal that entered three stages this week, each with a hostile name
    _stage_template(hostile_names=True)
    deal = make_opportunity(org.rep, make_account(org.rep), 2_000_000, name="Curve deal")
    competitor = make_competitor(org.rep, name="Curve rival")
    opportunity_competitor_add(user=org.rep, opportunity=deal, competitor=competitor)
    add_event(deal, org.rep)
    answer(deal, org.rep, (5, 5), [(competitor, 4, 4)])
    deal = opportunity_move_stage(user=org.rep, opportunity=deal, to="initiate")
    deal = opportunity_move_stage(user=org.rep, opportunity=deal, to="needs_analysis")
    moves = list(StageHistory.objects.filter(opportunity=deal).order_by("entered_at", "id"))
    assert [m.stage for m in moves] == ["validate", "initiate", "needs_analysis"]
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    traps = guard(page)
    login(org.rep)
    # when: the rep opens the win-rate tab
    page.goto(f"/opportunities/{deal.pk}/")
    page.click("#tab-winrate")
    page.wait_for_function(CHART_READY, arg="[data-testid=winrate-chart]")
    option = page.evaluate(
        "() => { const o = echarts.getInstanceByDom(document.querySelector("
        "'[data-testid=winrate-chart]')).getOption();"
        " return {weeks: o.xAxis[0].data, marks: o.series[0].markLine.data.map("
        "(m) => ({week: m.xAxis, name: m.name, moves: m.moves})),"
        " label: o.xAxis[0].axisLabel.formatter(o.xAxis[0].data[0], 0)}; }"
    )
    # then: one marker for the week, named after the last stage with "+2"
    assert option["marks"] == [
        {"week": iso_week(monday), "name": hostile("needs_analysis") + " +2", "moves": 3}
    ]
    # the axis shows the ISO week and its Monday
    assert option["weeks"] == [iso_week(monday)]
    assert option["label"] == f"{iso_week(monday)}\n{monday.isoformat()}"
    # the week's tooltip lists every move with its date, as text
    tip = traps.tooltip("[data-testid=winrate-chart]", 0, 0)
    for stage in ("validate", "initiate", "needs_analysis"):
        assert_escaped(tip, hostile(stage))
    assert tip["text"].count(f"({today.isoformat()})") == 3
    assert f"{iso_week(monday)} · {monday.isoformat()}" in tip["text"]
    traps.assert_clean("win-rate curve")


NINEBOX_SHOWN = """() => {
  const chart = echarts.getInstanceByDom(document.getElementById('ninebox-chart'));
  const option = chart.getOption();
  const dots = [];
  option.series.forEach((s, i) => s.data.forEach((d) => {
    const [x, y] = chart.convertToPixel({seriesIndex: i}, d.value);
    dots.push({id: d.id, value: d.value, x: x, y: y, contribution: d.contribution,
      potential: d.potential});
  }));
  const cells = option.series.find((s) => s.name === 'cells').markArea.data.map(
    (area) => ({cell: area[0].cell, count: area[0].count}));
  return {dots: dots, cells: cells};
}"""


def test_nine_box_counts_each_cell_and_spreads_dots_that_would_overlap(org, page, login):
    # given: six accounts graded alike (one hostile) and one elsewhere
    same = [make_account(org.rep, name=hostile("twin")) for _ in range(1)]
    same += [make_account(org.rep, name=f"Twin {n}") for n in range(5)]
    for account in same:
        grade(account, (90, 90, 50, 50))  # revenue (contribution) 90, potential 90
    alone = make_account(org.rep, name="Alone")
    grade(alone, (10, 50, 50, 50))
    traps = guard(page)
    login(org.rep)
    # when
    page.goto("/accounts/ninebox/")
    page.wait_for_function(CHART_READY, arg="#ninebox-chart")
    shown = page.evaluate(NINEBOX_SHOWN)
    # then: each cell says how many accounts it holds ([column, row], low → high)
    counts = {tuple(c["cell"]): c["count"] for c in shown["cells"]}
    assert counts == {
        (c, r): {(2, 2): 6, (0, 1): 1}.get((c, r), 0) for c in range(3) for r in range(3)
    }
    # the six twins are drawn apart (at least one dot apart), all inside the high/high cell
    twins = [d for d in shown["dots"] if d["id"] in {a.pk for a in same}]
    assert len(twins) == 6
    for a in twins:
        assert a["contribution"] == 90 and a["potential"] == 90  # true values kept
        assert 67 <= a["value"][0] <= 100 and 67 <= a["value"][1] <= 100, a
    distances = [
        math.dist((a["x"], a["y"]), (b["x"], b["y"]))
        for i, a in enumerate(twins)
        for b in twins[i + 1 :]
    ]
    assert min(distances) >= 14, distances  # a dot is 14 px wide
    # the layout is deterministic: the same picture after a reload
    page.reload()
    page.wait_for_function(CHART_READY, arg="#ninebox-chart")
    again = page.evaluate(NINEBOX_SHOWN)
    assert [d["value"] for d in again["dots"]] == [d["value"] for d in shown["dots"]]
    # the hostile name stays text in the tooltip
    series, index = page.evaluate(
        """id => {
          const el = document.getElementById('ninebox-chart');
          const option = echarts.getInstanceByDom(el).getOption();
          for (const [s, series] of option.series.entries()) {
            const d = series.data.findIndex((p) => p.id === id);
            if (d >= 0) return [s, d];
          }
          return null;
        }""",
        same[0].pk,
    )
    assert_escaped(traps.tooltip("#ninebox-chart", series, index), same[0].name)
    traps.assert_clean("nine-box")


@pytest.mark.parametrize(
    ("locale", "ninebox", "winrate"),
    [
        ("en-US", "No graded accounts to show.", "No weekly point yet"),
        ("zh-CN", "暂无已分级的客户。", "暂无周数据点"),
    ],
)
def test_charts_without_data_say_so(org, browser, live_server, locale, ninebox, winrate):
    # given: an account without contacts or grading, a deal never rated, nobody in presales
    account = make_account(org.rep, name="Empty account")
    deal = make_opportunity(org.rep, account, 100_000, name="Unrated deal")
    context = browser.new_context(
        viewport={"width": 1366, "height": 768}, base_url=live_server.url, locale=locale
    )
    page = context.new_page()
    try:
        traps = guard(page)
        _sign_in(page, org.admin)
        # when / then: every chart page shows its note instead of bare axes
        expected = {
            "/accounts/ninebox/": ("#ninebox-chart", ninebox),
            "/support/": ("#load-heatmap", None),
            f"/connections/accounts/{account.pk}/map/": ("#relationship-map", None),
        }
        for url, (selector, text) in expected.items():
            _open(page, url)
            note = page.locator(f"{selector} [data-testid=chart-empty]")
            assert note.is_visible(), url
            if text:
                assert note.inner_text() == text
            assert page.evaluate(
                "s => !window.echarts.getInstanceByDom(document.querySelector(s))", selector
            ), url
            assert page.locator(f"{selector} canvas").count() == 0, url
        page.goto(f"/opportunities/{deal.pk}/")
        page.click("#tab-winrate")
        note = page.locator("[data-testid=winrate-chart] [data-testid=chart-empty]")
        note.wait_for()
        assert note.inner_text().startswith(winrate)
        traps.assert_clean("empty charts")
    finally:
        with contextlib.suppress(Exception):
            page.wait_for_load_state("networkidle", timeout=5_000)
        context.close()
