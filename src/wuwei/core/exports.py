"""Every list and report exports what it shows as CSV or Excel (issue 14): one helper,
`export_response`, fed by the list's own filtered queryset (its selector already applied
`visible()` and the filters in the URL), so an export never holds a row the page would not.

A list view answers an export when the URL asks for one (`?export=csv|xlsx`, the list's
filters kept beside it):

    if fmt := export_format(request):
        return export_response(request, qs, COLUMNS, filename="accounts", fmt=fmt)

- memory stays flat however many rows: a queryset is read with `.iterator()` in chunks; CSV
  streams (`StreamingHttpResponse`), XLSX is written by openpyxl's write-only workbook to a
  temporary file that `FileResponse` then streams;
- column labels are translated in the language of the request, choice values shown by label
  (callers pass `get_<field>_display`), booleans as words, datetimes in local time;
- text a spreadsheet would run as a formula (starting with = + - @, tab or carriage return) is
  neutralised with a leading apostrophe (OWASP "CSV injection");
- a column marked `internal` (owner, grade, win rate, notes…) is left out for partner users
  (METHOD.md §1: partners are outsiders to internal work), whatever list it is on.
"""

import csv
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from itertools import islice
from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest, StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.text import slugify
from django.utils.translation import gettext as _

from wuwei.core.replica import reading, replica_reads
from wuwei.core.visibility import scope_for

CSV = "csv"
XLSX = "xlsx"
FORMATS = (CSV, XLSX)
EXPORT_PARAMETER = "export"
CHUNK = 2000
#: Excel's sheet holds 1,048,576 rows, one of them the header.
XLSX_MAX_ROWS = 1_048_575
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """A cell value safe to open in a spreadsheet: text never starts a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


@dataclass(frozen=True, slots=True)
class Column:
    """One exported column: its (translatable) label and how to read it from a row.
    `internal` columns are internal work: never exported to a partner user."""

    label: Promise | str
    value: Callable[[Any], Any]
    internal: bool = False


def display(model: Any, field: str, path: str = "") -> Callable[[Any], str]:
    """A column reader giving a choice field's label, like `get_<field>_display()` but from a
    table built once per language (the model method re-hashes lazy labels on every row, most
    of an export's time). `path` reaches a related record first ("opportunity")."""
    choices = dict(model._meta.get_field(field).flatchoices)
    tables: dict[str | None, dict[Any, str]] = {}

    def read(record: Any) -> str:
        for step in path.split(".") if path else ():
            record = getattr(record, step)
        language = translation.get_language()
        table = tables.get(language)
        if table is None:
            table = tables[language] = {key: str(label) for key, label in choices.items()}
        value = getattr(record, field)
        return table.get(value, "" if value is None else str(value))

    return read


def export_format(request: HttpRequest) -> str | None:
    """The format the URL asks for (`?export=csv` or `xlsx`), or None for the page itself."""
    fmt = request.GET.get(EXPORT_PARAMETER, "")
    return fmt if fmt in FORMATS else None


def columns_for(user: Any, columns: Sequence[Column]) -> list[Column]:
    """The columns this user may read: a partner user gets no internal column."""
    if scope_for(user).is_partner:
        return [column for column in columns if not column.internal]
    return list(columns)


def cell(value: Any) -> Any:
    """A Python value as a spreadsheet cell (numbers and dates kept, text neutralised)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return value.replace(tzinfo=None)
    if isinstance(value, (int, float, Decimal, date)):
        return value
    if isinstance(value, (list, tuple, set, frozenset)):
        return neutralise("; ".join(str(item) for item in value))
    return neutralise(str(value))


def export_rows(rows: Iterable[Any], columns: Sequence[Column]) -> Iterator[list[Any]]:
    """The cells of every row, read in chunks when `rows` is a queryset."""
    records = rows.iterator(chunk_size=CHUNK) if isinstance(rows, QuerySet) else rows
    for record in records:
        yield [cell(column.value(record)) for column in columns]


def in_batches(
    queryset: QuerySet[Any], facts: Callable[[list[Any]], Any], size: int = CHUNK
) -> Iterator[tuple[Any, Any]]:
    """(record, facts) for every record, the facts gathered once per batch of `size` records
    (`facts(batch)`, a fixed number of queries) — for lists whose rows add figures computed
    for a page of records at a time, exported in constant memory."""
    records = queryset.iterator(chunk_size=size)
    while batch := list(islice(records, size)):
        found = facts(batch)
        for record in batch:
            yield record, found


def export_response(
    request: HttpRequest,
    rows: Iterable[Any],
    columns: Sequence[Column],
    *,
    filename: str,
    fmt: str,
) -> StreamingHttpResponse | FileResponse:
    """`rows` (a visible, filtered queryset or any iterable of records) as a download, read
    from the replica when there is one (`core.replica`)."""
    chosen = columns_for(request.user, columns)
    language = translation.get_language()
    header = [str(column.label) for column in chosen]
    name = f"wuwei-{slugify(filename) or 'export'}-{timezone.localdate().isoformat()}.{fmt}"
    if fmt == XLSX:
        with replica_reads():
            return _xlsx_response(rows, chosen, header, name)
    response = StreamingHttpResponse(
        reading(_csv_lines(rows, chosen, header, language)),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


class _Echo:
    """A file-like object whose write() hands the line back (csv.writer into a generator)."""

    def write(self, value: str) -> str:
        return value


def _csv_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def _csv_lines(
    rows: Iterable[Any], columns: Sequence[Column], header: list[str], language: str | None
) -> Iterator[str]:
    # The rows are read while the response streams, after the view returned: keep the
    # request's language for labels of choices and yes/no. The BOM lets Excel read UTF-8.
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(header)
    with translation.override(language):
        for row in export_rows(rows, columns):
            yield writer.writerow([_csv_value(value) for value in row])


def _xlsx_response(
    rows: Iterable[Any], columns: Sequence[Column], header: list[str], name: str
) -> FileResponse:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(name.rsplit(".", 1)[0][:31])
    sheet.append(header)
    for row in islice(export_rows(rows, columns), XLSX_MAX_ROWS):
        sheet.append(row)
    # Removed when FileResponse closes it after the last byte is sent.
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115
    workbook.save(handle)
    handle.seek(0)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=name,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
