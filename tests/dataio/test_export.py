"""The full export obeys visibility and neutralises formula text."""

import csv
import io
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from tests.factories import make_account, make_contact
from tests.opportunities.factories import products
from wuwei.competitors.services import competitor_create
from wuwei.dataio.exports import export_write, neutralise
from wuwei.opportunities.models import Opportunity
from wuwei.opportunities.registrations import registration_convert, registration_create

pytestmark = pytest.mark.django_db
HOSTILE = '=HYPERLINK("http://evil.example","click")'


def _export(user: Any, fmt: str = "csv", folder: Path | None = None) -> zipfile.ZipFile:
    path = (folder or Path("/tmp")) / f"export-{user.pk}-{fmt}.zip"
    rows = export_write(user=user, format=fmt, path=path, progress=lambda *a: None)
    assert rows >= 0
    return zipfile.ZipFile(path)


def _sheet(archive: zipfile.ZipFile, name: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(archive.read(name).decode("utf-8-sig"))))


@pytest.fixture
def data(org: Any) -> Any:
    mine = make_account(org.rep, HOSTILE)
    make_contact(mine, "+86 138 0000 0000")
    make_account(org.peer_rep, "Peer Account")
    competitor_create(user=org.admin, name="Kingdee")
    return mine


@pytest.mark.parametrize(
    ("value", "safe"),
    [
        ("=1+1", "'=1+1"),
        ("+86 138", "'+86 138"),
        ("-5", "'-5"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("Acme", "Acme"),
        (5, 5),
        (None, None),
        ("", ""),
    ],
)
def test_neutralise(value: Any, safe: Any) -> None:
    assert neutralise(value) == safe


def test_rep_exports_only_their_records_with_formulas_neutralised(org: Any, data: Any) -> None:
    archive = _export(org.rep)
    assert sorted(archive.namelist()) == [
        "accounts.csv",
        "activities.csv",
        "competitors.csv",
        "contacts.csv",
        "opportunities.csv",
    ]
    accounts = _sheet(archive, "accounts.csv")
    assert [row[1] for row in accounts[1:]] == ["'" + HOSTILE]
    assert [row[3] for row in _sheet(archive, "contacts.csv")[1:]] == ["'+86 138 0000 0000"]
    assert [row[1] for row in _sheet(archive, "competitors.csv")[1:]] == ["Kingdee"]


def test_manager_exports_the_team(org: Any, data: Any) -> None:
    accounts = _sheet(_export(org.manager), "accounts.csv")
    assert sorted(row[1] for row in accounts[1:]) == ["'" + HOSTILE, "Peer Account"]


@pytest.mark.parametrize("who", ["partner", "other_manager"])
def test_partner_and_outsider_export_nothing_internal(org: Any, data: Any, who: str) -> None:
    archive = _export(getattr(org, who))
    assert _sheet(archive, "accounts.csv")[1:] == []
    assert _sheet(archive, "contacts.csv")[1:] == []
    if who == "partner":
        assert _sheet(archive, "competitors.csv")[1:] == []


def test_partner_export_of_their_deal_has_only_partner_fields(org: Any) -> None:
    # given: a deal the partner's company runs, with internal fields filled in
    account = make_account(org.rep, "Partner Customer")
    registration = registration_create(
        user=org.partner, account=account, partner=org.partner_team, products=products("cloud")
    )
    deal = registration_convert(
        user=org.partner, registration=registration, name="Partner deal", amount=Decimal(300_000)
    )
    Opportunity.objects.filter(pk=deal.pk).update(win_rate=64, notes="internal: price floor 280k")
    # when
    rows = _sheet(_export(org.partner), "opportunities.csv")
    # then: one deal, no owner, grade, win rate or notes column, no internal note anywhere
    assert len(rows) == 2
    assert len(rows[0]) == 7
    assert "Partner deal" in rows[1]
    assert not any("price floor" in cell or cell == "64" for cell in rows[1])


def test_xlsx_export_holds_text_not_formulas(org: Any, data: Any) -> None:
    archive = _export(org.rep, "xlsx")
    workbook = load_workbook(io.BytesIO(archive.read("wuwei-export.xlsx")))
    cell = workbook.worksheets[0]["B2"]
    assert (cell.value, cell.data_type) == ("'" + HOSTILE, "s")
