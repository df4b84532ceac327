"""Every bad file gets one clear sentence and writes nothing (issue 15 §6)."""

import io
from typing import Any

import pytest
from openpyxl import Workbook

from wuwei.dataio.models import ImportKind, ImportRun
from wuwei.dataio.readers import OLE_MAGIC, FileProblem, Limits, decode_text, open_table
from wuwei.dataio.services import import_create

pytestmark = pytest.mark.django_db
LIMITS = Limits(max_bytes=20 * 1024 * 1024, max_rows=200_000, max_cell=32_767)


def _xlsx(*rows: list[Any]) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


BAD_FILES = [
    pytest.param(
        "a.csv",
        "Account name,Region\nCafé Müller,Zürich\n".encode("cp1252"),
        "The file's text encoding is not UTF-8 or GB18030 (GBK), so its text cannot be "
        "read reliably. Save it as “CSV UTF-8” and upload it again.",
        id="wrong-encoding",
    ),
    pytest.param(
        "a.csv",
        "Account name\n上海银行\n".encode() + "海尔集团\n".encode("gb18030"),
        "The file mixes two text encodings (some lines UTF-8, others not), so some "
        "Chinese text would come out garbled. Save it again as “CSV UTF-8”.",
        id="mixed-encoding",
    ),
    pytest.param(
        "a.csv",
        b"Account name,Region,account name\nA,B,C\n",
        "The column name “account name” appears twice (columns A and C). Rename or "
        "remove one of them.",
        id="duplicated-headers",
    ),
    pytest.param(
        "a.xlsx",
        b"PK\x03\x04" + b"\x00garbage" * 50,
        "The Excel file is damaged and cannot be opened. Save it again and upload it.",
        id="broken-xlsx",
    ),
    pytest.param(
        "a.xlsx",
        b"%PDF-1.7 not a workbook",
        "The file is not a valid Excel workbook (.xlsx).",
        id="not-a-workbook",
    ),
    pytest.param(
        "a.xlsx",
        OLE_MAGIC + b"\x00" * 512 + "EncryptedPackage".encode("utf-16-le"),
        "The Excel file is protected by a password. Remove the password and upload it.",
        id="password-protected-xlsx",
    ),
    pytest.param(
        "a.xlsx",
        OLE_MAGIC + b"\x00" * 512 + "Workbook".encode("utf-16-le"),
        "This is an old Excel file (.xls). Save it as .xlsx or CSV UTF-8 and upload it.",
        id="old-xls",
    ),
    pytest.param(
        "a.csv",
        b"Account name,Notes\nAcme," + b"x" * (10 * 1024 * 1024) + b"\n",
        "Row 2, column “Notes” holds 10,485,760 characters; a cell may hold at most 32767.".replace(
            "10,485,760", "10485760"
        ),
        id="10MB-cell",
    ),
    pytest.param(
        "a.csv",
        b"Account name\n" + b"Acme\n" * 1_000_000,
        "The file has more than 200,000 rows. Split it into smaller files.",
        id="million-rows",
    ),
    pytest.param(
        "a.csv",
        b'Account name,Website\nAcme,"=HYPERLINK(""http://evil"")"\n',
        'Row 2, column “Website” holds a formula (=HYPERLINK("http://evil")). Save the '
        "sheet with values only and upload it again.",
        id="formula-in-csv",
    ),
    pytest.param(
        "a.xlsx",
        _xlsx(["Account name", "Revenue"], ["Acme", "=SUM(1,2)"]),
        "Row 2, column B holds a formula. Copy the sheet and paste it as values only, "
        "then upload it again.",
        id="formula-cell-in-xlsx",
    ),
    pytest.param(
        "a.pdf", b"%PDF", "Only CSV and Excel (.xlsx) files can be imported.", id="wrong-type"
    ),
    pytest.param("a.csv", b"", "The file is empty.", id="empty"),
    pytest.param(
        "a.csv",
        b"Account name,Region\n\n,\n",
        "The file has column names but no rows to import.",
        id="no-rows",
    ),
    pytest.param(
        "a.csv",
        "Account name\nA\n".encode("utf-16"),
        "The file is saved as UTF-16. Save it as “CSV UTF-8” and upload it again.",
        id="utf-16",
    ),
]


@pytest.mark.parametrize(("filename", "content", "message"), BAD_FILES)
def test_bad_file_is_refused_with_a_clear_message(
    org: Any, filename: str, content: bytes, message: str
) -> None:
    with pytest.raises(FileProblem) as caught:
        import_create(user=org.rep, kind=ImportKind.ACCOUNTS, filename=filename, content=content)
    assert caught.value.message == message
    assert not ImportRun.objects.exists()


def test_upload_size_is_limited(org: Any, settings: Any) -> None:
    settings.WUWEI_IMPORT_MAX_BYTES = 1024 * 1024
    with pytest.raises(FileProblem) as caught:
        import_create(
            user=org.rep,
            kind=ImportKind.ACCOUNTS,
            filename="a.csv",
            content=b"Account name\n" + b"A\n" * 600_000,
        )
    assert caught.value.message == "The file is larger than 1 MB. Split it into smaller files."


@pytest.mark.parametrize(
    ("content", "text", "encoding"),
    [
        ("名称\n上海银行\n".encode(), "名称\n上海银行\n", "utf-8"),
        ("名称\n上海银行\n".encode("utf-8-sig"), "名称\n上海银行\n", "utf-8"),
        ("名称\n上海银行\n".encode("gb18030"), "名称\n上海银行\n", "gb18030"),
        (b"name\nplain\n", "name\nplain\n", "utf-8"),
    ],
)
def test_encodings_are_detected(content: bytes, text: str, encoding: str) -> None:
    assert decode_text(content) == (text, encoding)


def test_xlsx_values_come_as_text() -> None:
    from datetime import datetime

    table = open_table(
        "a.xlsx",
        _xlsx(
            ["Name", "Amount", "Date", "Empty"], ["Acme", 1200000.5, datetime(2027, 3, 31), None]
        ),
        LIMITS,
    )
    assert (table.headers, list(table.rows())) == (
        ["Name", "Amount", "Date", "Empty"],
        [(2, ["Acme", "1200000.5", "2027-03-31", ""])],
    )
