"""Reading an uploaded CSV or XLSX file into header + rows of text, or a clear refusal.

Every check that can refuse a file runs in `open_table` before any record is written: type
and size, encoding (UTF-8, UTF-8 with BOM or GB18030, detected — never asked), mixed
encodings, duplicated or missing headers, row and cell limits, formula cells, damaged or
password-protected workbooks.
"""

import csv
import io
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
ENCRYPTED_MARK = "EncryptedPackage".encode("utf-16-le")
ALLOWED_EXTENSIONS = (".csv", ".txt", ".xlsx")


class FileProblem(Exception):
    """The file cannot be imported; `message` says why in words a sales assistant follows."""

    def __init__(self, message: str, *, row: int | None = None, column: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.row = row
        self.column = column


@dataclass(frozen=True)
class Limits:
    max_bytes: int
    max_rows: int
    max_cell: int

    @classmethod
    def from_settings(cls) -> "Limits":
        return cls(
            max_bytes=settings.WUWEI_IMPORT_MAX_BYTES,
            max_rows=settings.WUWEI_IMPORT_MAX_ROWS,
            max_cell=settings.WUWEI_IMPORT_MAX_CELL,
        )


@dataclass
class Table:
    """The checked file: headers and a way to walk its rows again (row numbers as a
    spreadsheet shows them, the header being row 1)."""

    headers: list[str]
    row_count: int
    encoding: str
    _content: bytes | str
    _is_xlsx: bool

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        if self._is_xlsx:
            assert isinstance(self._content, bytes)
            rows = _xlsx_rows(self._content)
        else:
            assert isinstance(self._content, str)
            rows = _csv_rows(self._content)
        next(rows, None)  # the header
        width = len(self.headers)
        for number, cells in rows:
            if _is_blank(cells):
                continue
            yield number, (cells + [""] * width)[:width]


def column_letter(index: int) -> str:
    """Spreadsheet column name of a 0-based index (0 → A, 26 → AA)."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _is_blank(cells: list[str]) -> bool:
    return not any(cell.strip() for cell in cells)


# ---------------------------------------------------------------------------------------
# type and encoding


def check_upload(filename: str, size: int, limits: Limits) -> None:
    if not filename.lower().endswith(ALLOWED_EXTENSIONS):
        raise FileProblem(_("Only CSV and Excel (.xlsx) files can be imported."))
    if size > limits.max_bytes:
        raise FileProblem(
            _("The file is larger than %(limit)s MB. Split it into smaller files.")
            % {"limit": limits.max_bytes // (1024 * 1024)}
        )
    if size == 0:
        raise FileProblem(_("The file is empty."))


def decode_text(content: bytes) -> tuple[str, str]:
    """(text, encoding name): UTF-8 (with or without BOM) first, then GB18030, strictly. A
    file whose lines are partly UTF-8 and partly something else is refused, not guessed."""
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FileProblem(
            _("The file is saved as UTF-16. Save it as “CSV UTF-8” and upload it again.")
        )
    try:
        return content.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    utf8_lines = other_lines = 0
    for line in content.splitlines():
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
            utf8_lines += 1
        except UnicodeDecodeError:
            other_lines += 1
    if utf8_lines and other_lines:
        raise FileProblem(
            _(
                "The file mixes two text encodings (some lines UTF-8, others not), so some "
                "Chinese text would come out garbled. Save it again as “CSV UTF-8”."
            )
        )
    try:
        text = content.decode("gb18030")
    except UnicodeDecodeError:
        raise FileProblem(_unknown_encoding()) from None
    if any(unicodedata.category(char) in ("Co", "Cn") for char in text):
        raise FileProblem(_unknown_encoding())
    return text, "gb18030"


def _unknown_encoding() -> str:
    return _(
        "The file's text encoding is not UTF-8 or GB18030 (GBK), so its text cannot be "
        "read reliably. Save it as “CSV UTF-8” and upload it again."
    )


# ---------------------------------------------------------------------------------------
# CSV


def _csv_rows(text: str) -> Iterator[tuple[int, list[str]]]:
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    if sample.count("\t") > max(sample.count(","), sample.count(";")):
        delimiter = "\t"
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    for cells in reader:
        yield reader.line_num, [cell.replace("\x00", "") for cell in cells]


# ---------------------------------------------------------------------------------------
# XLSX


def _xlsx_workbook(content: bytes) -> Any:
    from openpyxl import load_workbook

    if content.startswith(OLE_MAGIC):
        if ENCRYPTED_MARK in content:
            raise FileProblem(
                _("The Excel file is protected by a password. Remove the password and upload it.")
            )
        raise FileProblem(
            _("This is an old Excel file (.xls). Save it as .xlsx or CSV UTF-8 and upload it.")
        )
    if not content.startswith(ZIP_MAGIC):
        raise FileProblem(_("The file is not a valid Excel workbook (.xlsx)."))
    try:
        return load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError, IndexError):
        raise FileProblem(
            _("The Excel file is damaged and cannot be opened. Save it again and upload it.")
        ) from None
    except Exception:  # openpyxl raises its own exceptions for malformed parts
        raise FileProblem(
            _("The Excel file is damaged and cannot be opened. Save it again and upload it.")
        ) from None


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return format(Decimal(repr(value)).normalize(), "f") if value == value else ""
    return str(value)


def _xlsx_rows(content: bytes) -> Iterator[tuple[int, list[str]]]:
    workbook = _xlsx_workbook(content)
    try:
        sheet = workbook.worksheets[0]
        for number, cells in enumerate(sheet.iter_rows(), start=1):
            texts = []
            for index, cell in enumerate(cells):
                if getattr(cell, "data_type", None) == "f":
                    raise FileProblem(
                        _(
                            "Row %(row)s, column %(column)s holds a formula. Copy the sheet and "
                            "paste it as values only, then upload it again."
                        )
                        % {"row": number, "column": column_letter(index)},
                        row=number,
                        column=column_letter(index),
                    )
                texts.append(_cell_text(cell.value))
            yield number, texts
    except FileProblem:
        raise
    except Exception:
        raise FileProblem(
            _("The Excel file is damaged and cannot be opened. Save it again and upload it.")
        ) from None
    finally:
        workbook.close()


# ---------------------------------------------------------------------------------------
# the whole check


def _check_headers(cells: list[str]) -> list[str]:
    headers = [cell.strip() for cell in cells]
    while headers and not headers[-1]:
        headers.pop()
    if not any(headers):
        raise FileProblem(_("The first row must hold the column names, but it is empty."))
    seen: dict[str, int] = {}
    for index, header in enumerate(headers):
        if not header:
            continue
        key = header.casefold()
        if key in seen:
            raise FileProblem(
                _(
                    "The column name “%(name)s” appears twice (columns %(first)s and "
                    "%(second)s). Rename or remove one of them."
                )
                % {
                    "name": header,
                    "first": column_letter(seen[key]),
                    "second": column_letter(index),
                },
                column=header,
            )
        seen[key] = index
    return headers


def _check_row(number: int, cells: list[str], headers: list[str], limits: Limits) -> None:
    for index, cell in enumerate(cells):
        if len(cell) > limits.max_cell:
            name = headers[index] if index < len(headers) else column_letter(index)
            raise FileProblem(
                _(
                    "Row %(row)s, column “%(column)s” holds %(size)s characters; a cell may "
                    "hold at most %(limit)s."
                )
                % {"row": number, "column": name, "size": len(cell), "limit": limits.max_cell},
                row=number,
                column=name,
            )
        if cell.startswith("=") and len(cell) > 1:
            name = headers[index] if index < len(headers) else column_letter(index)
            raise FileProblem(
                _(
                    "Row %(row)s, column “%(column)s” holds a formula (%(text)s). Save the "
                    "sheet with values only and upload it again."
                )
                % {"row": number, "column": name, "text": cell[:40]},
                row=number,
                column=name,
            )


def open_table(filename: str, content: bytes, limits: Limits | None = None) -> Table:
    """Check the whole file and return it as a Table, or raise FileProblem."""
    limits = limits or Limits.from_settings()
    check_upload(filename, len(content), limits)
    is_xlsx = filename.lower().endswith(".xlsx")
    source: bytes | str
    if is_xlsx:
        source, encoding = content, "xlsx"
        rows = _xlsx_rows(content)
    else:
        source, encoding = decode_text(content)
        rows = _csv_rows(source)
    csv.field_size_limit(max(limits.max_bytes, 131072))
    try:
        first = next(rows, None)
        if first is None:
            raise FileProblem(_("The file is empty."))
        headers = _check_headers(first[1])
        count = 0
        for number, cells in rows:
            if _is_blank(cells):
                continue
            count += 1
            if count > limits.max_rows:
                raise FileProblem(
                    _("The file has more than %(limit)s rows. Split it into smaller files.")
                    % {"limit": f"{limits.max_rows:,}"}
                )
            _check_row(number, cells, headers, limits)
    except csv.Error:
        raise FileProblem(
            _(
                "The CSV file is malformed or has a cell longer than %(limit)s characters "
                "(for example a quote that is never closed)."
            )
            % {"limit": limits.max_cell}
        ) from None
    if count == 0:
        raise FileProblem(_("The file has column names but no rows to import."))
    return Table(
        headers=headers, row_count=count, encoding=encoding, _content=source, _is_xlsx=is_xlsx
    )
