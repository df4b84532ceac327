"""Import and export pages: who gets 404, the upload → columns → check → apply flow, the
rejects file, the template, a fixed number of queries on the import page."""

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.dataio.helpers import FILES, sample
from wuwei.core.jobs import run_pending
from wuwei.core.models import JobRun
from wuwei.dataio.models import ImportKind, ImportRun, RunStatus
from wuwei.dataio.services import import_create
from wuwei.opportunities.models import Opportunity

pytestmark = pytest.mark.django_db


def _upload(client: Any, name: str, kind: str) -> Any:
    with (FILES / name).open("rb") as handle:
        return client.post("/data/import/", {"kind": kind, "file": handle})


def _step(client: Any, url: str, data: dict[str, str]) -> Any:
    """Post a step, then let the job queue run it (as a worker would)."""
    response = client.post(url, data)
    run_pending()
    return response


def test_anonymous_is_sent_to_login(client: Any) -> None:
    response = client.get("/data/")
    assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.parametrize("who", ["partner", "presales"])
def test_non_importers_get_404_on_every_import_endpoint(org: Any, web: Any, who: str) -> None:
    run = import_create(
        user=org.rep,
        kind=ImportKind.ACCOUNTS,
        filename="a.csv",
        content=sample("salesforce_accounts.csv"),
    )
    client = web(getattr(org, who))
    assert _upload(client, "salesforce_accounts.csv", "accounts").status_code == 404
    for url in (
        f"/data/import/{run.pk}/",
        f"/data/import/{run.pk}/progress/",
        f"/data/import/{run.pk}/rejects.csv",
        "/data/template/accounts.csv",
    ):
        assert client.get(url).status_code == 404, url
    for url in (f"/data/import/{run.pk}/columns/", f"/data/import/{run.pk}/apply/"):
        assert client.post(url).status_code == 404, url
    if who == "partner":  # not part of the partner portal: they export their deal list
        assert client.get("/data/").status_code == 404
    else:
        page = client.get("/data/").content.decode()
        assert "upload-form" not in page and "export-form" in page
    assert ImportRun.objects.get().status == RunStatus.UPLOADED


def test_another_rep_cannot_open_my_import(org: Any, web: Any) -> None:
    run = import_create(
        user=org.rep,
        kind=ImportKind.ACCOUNTS,
        filename="a.csv",
        content=sample("salesforce_accounts.csv"),
    )
    assert web(org.peer_rep).get(f"/data/import/{run.pk}/").status_code == 404


def test_upload_check_apply_and_open_the_deal(org: Any, web: Any) -> None:
    client = web(org.rep)
    response = _upload(client, "salesforce_accounts.csv", "accounts")
    run = ImportRun.objects.get()
    assert response["Location"] == f"/data/import/{run.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "Salesforce accounts" in page and "Shanghai Pudong Development Bank" in page
    columns = {f"column-{i}": run.columns.get(h, "") for i, h in enumerate(run.headers)}
    _step(client, f"/data/import/{run.pk}/columns/", {**columns, "save_as": "SF report"})
    run.refresh_from_db()
    assert run.status == RunStatus.CHECKED
    assert "3 to create, 0 to update" in client.get(f"/data/import/{run.pk}/").content.decode()
    _step(client, f"/data/import/{run.pk}/apply/", {"mode": "all"})
    run.refresh_from_db()
    assert (run.status, run.is_applied) == (RunStatus.DONE, True)
    _upload(client, "salesforce_opportunities.csv", "opportunities")
    deals = ImportRun.objects.latest("pk")
    columns = {f"column-{i}": deals.columns.get(h, "") for i, h in enumerate(deals.headers)}
    _step(client, f"/data/import/{deals.pk}/columns/", columns)
    _step(client, f"/data/import/{deals.pk}/apply/", {"mode": "rows"})
    page = client.get(f"/data/import/{deals.pk}/").content.decode()
    deal = Opportunity.objects.get(name="SPDB core banking upgrade")
    assert f'href="/opportunities/{deal.pk}/"' in page
    assert client.get(f"/opportunities/{deal.pk}/").status_code == 200


def test_bad_upload_shows_the_message_and_keeps_nothing(org: Any, web: Any) -> None:
    client = web(org.rep)
    response = client.post(
        "/data/import/",
        {"kind": "accounts", "file": _file("a.csv", b"Account name,account name\nA,B\n")},
        follow=True,
    )
    assert "appears twice" in response.content.decode()
    assert not ImportRun.objects.exists()


def _file(name: str, content: bytes) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


def test_rejects_file_download(org: Any, web: Any) -> None:
    client = web(org.rep)
    run = import_create(
        user=org.rep,
        kind=ImportKind.ACCOUNTS,
        filename="a.csv",
        content=b"Account name,Annual revenue\nGood,1\nBad,-1\n",
        mode="rows",
    )
    columns = {f"column-{i}": run.columns.get(h, "") for i, h in enumerate(run.headers)}
    _step(client, f"/data/import/{run.pk}/columns/", columns)
    _step(client, f"/data/import/{run.pk}/apply/", {"mode": "rows"})
    response = client.get(f"/data/import/{run.pk}/rejects.csv")
    assert response.status_code == 200
    assert response.content.decode("utf-8-sig").splitlines()[1] == (
        "Bad,-1,The amount cannot be negative."
    )


def test_template_download(org: Any, web: Any) -> None:
    client = web(org.rep)
    csv_template = client.get("/data/template/contacts.csv")
    assert csv_template.content.decode("utf-8-sig").startswith(
        "External ID,Account external ID,Account name,Contact name"
    )
    xlsx = client.get("/data/template/accounts.xlsx")
    assert xlsx.status_code == 200 and xlsx.content.startswith(b"PK")
    assert client.get("/data/template/nothing.csv").status_code == 404


def test_hostile_names_are_escaped(org: Any, web: Any) -> None:
    hostile = "<img src=x onerror=alert(1)>"
    run = import_create(
        user=org.rep,
        kind=ImportKind.ACCOUNTS,
        filename=f"{hostile}.csv",
        content=f"Account name,{hostile}\n{hostile},x\n".encode(),
    )
    page = web(org.rep).get(f"/data/import/{run.pk}/").content.decode()
    assert hostile not in page and "&lt;img src=x onerror=alert(1)&gt;" in page


def test_import_page_queries_do_not_grow_with_rows(org: Any, web: Any) -> None:
    client = web(org.rep)
    counts = []
    for rows in (2, 60):
        content = (
            "External ID,Account name,Industry\n"
            + "".join(f"X{rows}-{i},Firm {rows}-{i},Nowhere\n" for i in range(rows))
        ).encode()
        run = import_create(
            user=org.rep, kind=ImportKind.ACCOUNTS, filename="a.csv", content=content
        )
        columns = {f"column-{i}": run.columns.get(h, "") for i, h in enumerate(run.headers)}
        _step(client, f"/data/import/{run.pk}/columns/", columns)
        _step(client, f"/data/import/{run.pk}/apply/", {"mode": "all"})
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/data/import/{run.pk}/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_export_from_the_page(org: Any, web: Any, settings: Any, tmp_path: Any) -> None:
    settings.WUWEI_JOB_FILES = tmp_path
    client = web(org.rep)
    response = client.post("/data/export/", {"format": "csv"})
    run = JobRun.objects.get()
    assert response["Location"] == f"/jobs/{run.pk}/"
    run_pending()
    run.refresh_from_db()
    assert (run.status, run.result) == ("succeeded", {"rows": 0})
    assert client.get(f"/jobs/{run.pk}/file/").status_code == 200
    assert f"/jobs/{run.pk}/" in client.get("/data/").content.decode()
    assert web(org.peer_rep).get(f"/jobs/{run.pk}/file/").status_code == 404
