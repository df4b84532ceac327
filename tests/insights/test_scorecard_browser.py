"""The scorecard in a real browser: the radar drawn from json_script, the table one click away,
a KPI drilled down to the deals it counted, and a payment recorded on the won deal's
Collections tab — with no script errors and a hostile rep name shown as text."""

from datetime import date

import pytest
from django.utils import timezone

from tests.factories import make_account
from tests.insights.test_scorecard import _deal
from wuwei.insights.scorecard.models import Payment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_drill_from_a_kpi_to_its_deals_and_record_a_payment(org, login):
    org.rep.display_name = "<img src=x>销售"
    org.rep.save()
    account = make_account(org.rep, name="钻取客户", segment="KA")
    year = timezone.localdate().year
    won_on = date(year, 1, 1)
    big = _deal(org.rep, account, 2_000_000, stage="won", closed=won_on, name="大单")
    _deal(org.rep, account, 300_000, stage="won", closed=won_on, name="小单")
    _deal(org.rep, account, 500_000, name="在跟")
    page = login(org.manager)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"/scorecard/?team={org.east_ka.pk}")
    page.wait_for_selector("#scorecard-chart canvas")
    page.click('[data-testid="show-table"]')
    rep_row = page.locator(f'tr[data-rep="{org.rep.pk}"]')
    assert "<img src=x>销售" in rep_row.locator("th").inner_text()
    rep_row.locator('a[data-kpi="won"]').click()
    page.wait_for_selector('[data-testid="records"]')
    names = page.locator('[data-testid="records"] tbody tr td:first-child').all_inner_texts()
    assert names == ["大单", "小单"]
    # from the record to the deal, and its collections
    page.click("text=大单")
    page.wait_for_url(f"**/opportunities/{big.pk}/")
    page.click("#tab-collections")
    form = page.locator('[data-testid="payment-form"]')
    form.locator('input[name="received_on"]').fill(won_on.isoformat())
    form.locator('input[name="amount"]').fill("500000")
    form.locator("button").click()
    page.locator('[data-testid="payments"] tbody td.text-end').first.wait_for()
    assert Payment.objects.filter(opportunity=big).count() == 1
    assert errors == []


def test_an_executive_opens_the_teams_down_to_a_reps_records(org, login, monkeypatch):
    from wuwei.insights.scorecard import views

    monkeypatch.setattr(views, "REP_ROWS", 3)  # the company's eight people: its teams first
    org.east.name = "<i>东区</i>"
    org.east.save()
    account = make_account(org.rep, name="团队客户", segment="KA")
    won_on = date(timezone.localdate().year, 1, 1)
    _deal(org.rep, account, 700_000, stage="won", closed=won_on, name="团队大单")
    page = login(org.executive)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"/scorecard/?team={org.company.pk}")
    page.wait_for_selector("#scorecard-chart canvas")
    page.click('[data-testid="show-table"]')
    east = page.locator(f'tr[data-team="{org.east.pk}"]')
    assert "<i>东区</i>" in east.locator("th").inner_text()
    assert east.locator('a[data-kpi="won"]').inner_text().startswith("1 ·")
    east.locator('[data-testid="open-team"]').click()
    east_ka = page.locator(f'tr[data-team="{org.east_ka.pk}"]')
    east_ka.wait_for()
    east_ka.locator('[data-testid="open-team"]').click()
    rep_row = page.locator(f'tr[data-rep="{org.rep.pk}"]')
    rep_row.wait_for()
    rep_row.locator('a[data-kpi="won"]').click()
    page.wait_for_selector('[data-testid="records"]')
    names = page.locator('[data-testid="records"] tbody tr td:first-child').all_inner_texts()
    assert names == ["团队大单"]
    assert errors == []
