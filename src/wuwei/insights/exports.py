"""Reports as CSV or XLSX downloads. Numbers stay numbers; every text cell goes through
`core.exports.neutralise`, so a team, rep, deal or competitor name that starts like a formula
is shown as typed, never run by the spreadsheet. Reports are a few hundred aggregated rows, laid
out as cells, so they are written in memory; lists of records stream (`core.exports`)."""

import csv
import io
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook

from wuwei.core.exports import neutralise

CSV = "text/csv; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, Decimal | int | float | date):
        return value
    return neutralise(str(value))


def report_response(
    fmt: str, slug: str, title: Any, header: Sequence[Any], rows: Sequence[Sequence[Any]]
) -> HttpResponse:
    """A download of `rows` under `header`: XLSX when `fmt` is `xlsx`, else CSV (UTF-8 with a
    byte-order mark, so spreadsheet programs read Chinese correctly)."""
    stamp = timezone.localdate().isoformat()
    table = [[_cell(v) for v in header], *([_cell(v) for v in row] for row in rows)]
    if fmt == "xlsx":
        book = Workbook(write_only=True)
        sheet = book.create_sheet(title=str(title)[:31])
        for line in table:
            sheet.append([float(v) if isinstance(v, Decimal) else v for v in line])
        buffer = io.BytesIO()
        book.save(buffer)
        response = HttpResponse(buffer.getvalue(), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{slug}-{stamp}.xlsx"'
        return response
    text = io.StringIO()
    text.write("\ufeff")
    writer = csv.writer(text)
    writer.writerows(table)
    response = HttpResponse(text.getvalue().encode("utf-8"), content_type=CSV)
    response["Content-Disposition"] = f'attachment; filename="{slug}-{stamp}.csv"'
    return response
