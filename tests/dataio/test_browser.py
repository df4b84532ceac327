"""The journey of issue 15: upload a Salesforce export, adjust the columns, check it (dry
run), import it, watch the progress bar reach the end, then import deals and open one."""

import pytest

from tests.dataio.helpers import FILES
from wuwei.accounts.models import Account
from wuwei.core.jobs import run_pending
from wuwei.opportunities.models import Opportunity

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _upload(page, kind: str, name: str) -> None:
    page.goto("/data/")
    page.select_option("#id_kind", kind)
    page.set_input_files("#id_file", str(FILES / name))
    page.click("[data-testid=upload-submit]")
    page.wait_for_url("**/data/import/*/")


def _worker_runs_it(page) -> None:
    """The step is queued: its job's progress bar shows; a worker runs it; the page reloads
    by itself when the step has finished."""
    page.wait_for_selector("[data-testid=job-progress]")
    assert run_pending() == 1


def test_upload_map_check_apply_and_open_an_imported_deal(org, login):
    page = login(org.rep)
    _upload(page, "accounts", "salesforce_accounts.csv")
    assert page.locator("[data-testid=preset]").inner_text() == "Salesforce 客户"
    # map: leave the employee count out of this import
    employees = page.locator("select[aria-label=Employees]")
    assert employees.input_value() == "employee_count"
    employees.select_option("")
    page.fill("#save-as", "Salesforce 报表")
    page.click("[data-testid=check]")
    _worker_runs_it(page)
    page.wait_for_selector("[data-testid=report]")
    assert "将新建 3 条" in page.locator("[data-testid=summary]").inner_text()
    assert Account.objects.count() == 0  # the dry run wrote nothing
    page.check("input[name=mode][value=all]")
    page.click("[data-testid=apply]")
    _worker_runs_it(page)
    page.wait_for_selector("[data-testid=progress][data-status=done]")
    assert page.locator("[data-testid=progress-bar]").inner_text() == "100%"
    assert Account.objects.count() == 3
    assert Account.objects.filter(employee_count__isnull=False).count() == 0
    _upload(page, "opportunities", "salesforce_opportunities.csv")
    page.click("[data-testid=check]")
    _worker_runs_it(page)
    page.wait_for_selector("[data-testid=apply]")
    page.click("[data-testid=apply]")
    _worker_runs_it(page)
    page.wait_for_selector("[data-testid=progress][data-status=done]")
    page.click("[data-testid=records] a >> text=SPDB core banking upgrade")
    deal = Opportunity.objects.get(name="SPDB core banking upgrade")
    page.wait_for_url(f"**/opportunities/{deal.pk}/")
    assert "SPDB core banking upgrade" in page.locator("h1").inner_text()
