"""The forecast and pipeline pages in a real browser: the charts draw from the json_script
data, the table behind each chart is one click away, hostile names stay text, no script
errors under the CSP."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.insights.forecast_data import build

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_forecast_page_switches_to_the_table(org, login):
    today = timezone.localdate()
    data = build(org, today - timedelta(days=today.weekday() + 7))
    org.peer_rep.display_name = "<img src=x onerror=alert(1)>"
    org.peer_rep.save()
    page = login(org.manager)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("dialog", lambda dialog: errors.append("dialog " + dialog.message))
    page.goto("/")
    page.click("#report-forecast")
    page.fill("#id_date_from", "2027-01-01")
    page.fill("#id_date_to", "2027-03-31")
    page.click("#forecast-filters button")
    page.wait_for_selector("#forecast-chart canvas")
    assert not page.is_visible('[data-testid="forecast-period-table"]')

    page.click("#forecast-show-table")

    page.wait_for_selector('[data-testid="forecast-period-table"]', state="visible")
    row = page.locator('[data-testid="forecast-period-table"] tr[data-period="2027-Q1"]')
    assert row.locator('[data-testid="weighted"]').inner_text() == "1,422,000"
    assert page.locator(f'tr[data-rep="{org.peer_rep.pk}"] td').nth(1).inner_text() == (
        "<img src=x onerror=alert(1)>"
    )
    assert data.by_name["unrated"].name in page.locator('[data-testid="unrated"]').inner_text()
    page.click("#forecast-show-chart")
    page.wait_for_selector("#forecast-chart canvas", state="visible")
    assert errors == []


def test_a_team_row_opens_in_place(org, login):
    today = timezone.localdate()
    build(org, today - timedelta(days=today.weekday() + 7))
    org.east_ka.name = "<img src=x onerror=alert(1)>"
    org.east_ka.save()
    page = login(org.executive)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("dialog", lambda dialog: errors.append("dialog " + dialog.message))
    page.goto("/forecast/?date_from=2027-01-01&date_to=2027-03-31")
    assert page.locator(f'tr[data-rep="{org.rep.pk}"]').count() == 0

    page.click(f'tr[data-team="{org.east.pk}"] [data-testid="open-team"]')
    page.wait_for_selector(f'tr[data-team="{org.east_ka.pk}"]')
    assert page.locator(f'tr[data-team="{org.east_ka.pk}"] th').inner_text().strip() == (
        "▸<img src=x onerror=alert(1)>"
    )
    page.click(f'tr[data-team="{org.east_ka.pk}"] [data-testid="open-team"]')
    page.wait_for_selector(f'tr[data-rep="{org.rep.pk}"]')

    rep_row = page.locator(f'tr[data-rep="{org.rep.pk}"]')
    assert rep_row.locator('[data-testid="weighted"]').inner_text() == "1,322,000"
    # the rows follow the team they open: East, East KA, East KA's own row, its reps
    teams = page.locator('[data-testid="forecast-grid"] tbody tr').evaluate_all(
        "rows => rows.map(r => r.dataset.team || 'rep')"
    )
    assert teams[:5] == [str(org.east.pk), str(org.east_ka.pk), str(org.east_ka.pk), "rep", "rep"]
    assert errors == []


def test_pipeline_page_draws_its_charts(org, login):
    today = timezone.localdate()
    build(org, today - timedelta(days=today.weekday() + 7))
    page = login(org.manager)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto("/insights/pipeline/")
    page.wait_for_selector("#funnel-chart canvas")
    page.wait_for_selector("#bands-chart canvas")
    page.click("#funnel-show-table")
    page.wait_for_selector(
        '[data-testid="funnel-table"] tr[data-stage="validate"]', state="visible"
    )
    assert page.locator('tr[data-stage="validate"] [data-testid="deals"]').inner_text() == "7"
    assert errors == []


def test_team_curves_escape_a_hostile_rep_name(org, page, login):
    from tests.web.browser_guard import assert_escaped, guard, hostile

    today = timezone.localdate()
    build(org, today - timedelta(days=today.weekday() + 7))
    org.rep.display_name = hostile("rep")
    org.rep.save()
    traps = guard(page)
    login(org.manager)
    page.goto("/insights/pipeline/")
    page.wait_for_selector("#curves-chart canvas")
    # series 0 is the team average, then the reps by name; the one point is last week's
    names = page.evaluate(
        "() => echarts.getInstanceByDom(document.getElementById('curves-chart'))"
        ".getOption().series.map(s => s.name)"
    )
    index = names.index(hostile("rep"))
    assert_escaped(traps.tooltip("#curves-chart", index, 0), hostile("rep"))
    traps.assert_clean("team win-rate curves")
