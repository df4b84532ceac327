"""The segment report in a real browser: the table, the ECharts bar chart drawn from the
json_script data, no script errors."""

from datetime import date

import pytest

from tests.factories import make_account
from tests.insights.test_segments import _closed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_segment_report_draws_its_chart(org, login):
    smb = make_account(org.rep, name="<b>小微</b>", segment="SMB")
    _closed(org.rep, smb, 100_000, "won", date(2025, 1, 1), date(2025, 1, 31))
    _closed(org.rep, smb, 80_000, "lost", date(2025, 2, 1), date(2025, 3, 3))
    page = login(org.manager)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto("/")
    page.click("#report-segments")
    page.fill("#id_date_from", "2025-01-01")
    page.fill("#id_date_to", "2025-06-30")
    page.click("#segment-filters button")
    page.wait_for_selector('[data-testid="segment-table"] tr[data-segment="SMB"]')
    assert page.locator('tr[data-segment="SMB"] [data-testid="rate"]').inner_text() == "50.0 %"
    page.wait_for_selector("#segment-chart canvas")
    assert errors == []
