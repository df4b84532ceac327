"""The full export: everything a user may see (`visible()` for every sheet) as CSV files or
one Excel workbook, in a zip, written row by row so memory stays flat however big it is.

Text that a spreadsheet would run as a formula (starting with = + - @, tab or carriage
return) is neutralised with a leading apostrophe (OWASP "CSV injection")."""

import csv
import io
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db.models import QuerySet
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from wuwei.accounts.models import Account
from wuwei.competitors.models import Competitor
from wuwei.core.exports import neutralise
from wuwei.core.visibility import visible
from wuwei.dataio.models import ExportFormat
from wuwei.opportunities import partners
from wuwei.opportunities.models import Opportunity
from wuwei.people.models import Activity, Contact

Progress = Callable[[int, int, str], None]
CHUNK = 2000


def _user_name(user: Any) -> str:
    return user.username if user is not None else ""


Column = tuple[Promise, Callable[[Any], Any]]
SHEETS: list[tuple[str, Promise, Any, tuple[str, ...], tuple[str, ...], list[Column]]] = [
    (
        "accounts",
        _lazy("Accounts"),
        Account,
        ("owner", "team"),
        (),
        [
            (_lazy("ID"), lambda a: a.pk),
            (_lazy("Account name"), lambda a: a.name),
            (_lazy("Registration number"), lambda a: a.registration_number or ""),
            (_lazy("Industry"), lambda a: a.industry),
            (_lazy("Region"), lambda a: a.region),
            (_lazy("Segment"), lambda a: a.segment),
            (_lazy("Status"), lambda a: a.status),
            (_lazy("Owner"), lambda a: _user_name(a.owner)),
            (_lazy("Team"), lambda a: a.team.name if a.team else ""),
            (_lazy("Grade"), lambda a: a.grade),
            (_lazy("Website"), lambda a: a.website),
            (_lazy("Annual revenue"), lambda a: a.annual_revenue),
            (_lazy("Employees"), lambda a: a.employee_count),
            (_lazy("Tags"), lambda a: ";".join(a.tags or [])),
            (_lazy("Notes"), lambda a: a.notes),
        ],
    ),
    (
        "contacts",
        _lazy("Contacts"),
        Contact,
        ("account",),
        (),
        [
            (_lazy("ID"), lambda c: c.pk),
            (_lazy("Account external ID"), lambda c: c.account_id),
            (_lazy("Account name"), lambda c: c.account.name),
            (_lazy("Contact name"), lambda c: c.name),
            (_lazy("Title"), lambda c: c.title),
            (_lazy("Department"), lambda c: c.department),
            (_lazy("Phone"), lambda c: c.phone),
            (_lazy("Email"), lambda c: c.email),
            (_lazy("Influence (1–5)"), lambda c: c.influence),
            (_lazy("Relationship status"), lambda c: c.relationship_status),
            (_lazy("Notes"), lambda c: c.notes),
        ],
    ),
    (
        "opportunities",
        _lazy("Opportunities"),
        Opportunity,
        ("account", "owner"),
        (),
        [
            (_lazy("ID"), lambda o: o.pk),
            (_lazy("Account external ID"), lambda o: o.account_id),
            (_lazy("Account name"), lambda o: o.account.name),
            (_lazy("Opportunity name"), lambda o: o.name),
            (_lazy("Amount"), lambda o: o.amount),
            (_lazy("Currency"), lambda o: o.currency),
            (_lazy("Stage"), lambda o: o.stage),
            (_lazy("Grade"), lambda o: o.grade),
            (_lazy("Expected close"), lambda o: o.expected_close),
            (_lazy("Owner"), lambda o: _user_name(o.owner)),
            (_lazy("Win rate"), lambda o: o.win_rate),
            (_lazy("Notes"), lambda o: o.notes),
        ],
    ),
    (
        "competitors",
        _lazy("Competitors"),
        Competitor,
        (),
        (),
        [
            (_lazy("ID"), lambda c: c.pk),
            (_lazy("Competitor name"), lambda c: c.name),
            (_lazy("Website"), lambda c: c.website),
            (_lazy("Headquarters"), lambda c: c.headquarters),
            (_lazy("Profile"), lambda c: c.description),
        ],
    ),
    (
        "activities",
        _lazy("Activities"),
        Activity,
        ("account", "owner"),
        ("contacts",),
        [
            (_lazy("ID"), lambda a: a.pk),
            (_lazy("Account external ID"), lambda a: a.account_id),
            (_lazy("Account name"), lambda a: a.account.name),
            (_lazy("Opportunity external ID"), lambda a: a.opportunity_id or ""),
            (_lazy("Activity type"), lambda a: a.kind),
            (_lazy("Date"), lambda a: a.occurred_on),
            (_lazy("Subject"), lambda a: a.subject),
            (_lazy("Contacts involved"), lambda a: ";".join(c.name for c in a.contacts.all())),
            (_lazy("Owner"), lambda a: _user_name(a.owner)),
            (_lazy("Notes"), lambda a: a.notes),
        ],
    ),
]


#: What a partner user may know of a deal (METHOD.md §1): never its owner, grade, win rate or
#: internal notes.
PARTNER_DEAL_COLUMNS = (
    "ID",
    "Account name",
    "Opportunity name",
    "Amount",
    "Currency",
    "Stage",
    "Expected close",
)


def _columns_for(user: Any, slug: str, columns: list[Column]) -> list[Column]:
    if slug != "opportunities" or not partners.is_partner(user):
        return columns
    with translation.override(None):  # compare the labels' msgids, whatever the language
        return [(label, getter) for label, getter in columns if str(label) in PARTNER_DEAL_COLUMNS]


def _queryset(
    model: Any, user: Any, related: tuple[str, ...], prefetch: tuple[str, ...]
) -> QuerySet[Any]:
    queryset = visible(model, user).filter(archived_at__isnull=True).order_by("pk")
    if related:
        queryset = queryset.select_related(*related)
    if prefetch:
        queryset = queryset.prefetch_related(*prefetch)
    return queryset


def _rows(queryset: QuerySet[Any], columns: list[Column]) -> Iterator[list[Any]]:
    for record in queryset.iterator(chunk_size=CHUNK):
        yield [neutralise(getter(record)) for _label, getter in columns]


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    return value


def export_write(*, user: Any, format: str, path: Path, progress: Progress) -> int:
    """Write everything `user` may see to the zip at `path`; returns the number of rows.
    `progress` may raise (a cancel): the half-written file is removed."""
    sheets = [
        (slug, title, _queryset(model, user, related, prefetch), _columns_for(user, slug, columns))
        for slug, title, model, related, prefetch, columns in SHEETS
    ]
    total = sum(queryset.count() for _slug, _title, queryset, _columns in sheets)
    counter = {"done": 0}
    progress(0, total, _("Exporting"))

    def tick() -> None:
        counter["done"] += 1
        if counter["done"] % CHUNK == 0:
            progress(
                counter["done"],
                total,
                _("Exporting: row %(done)s of %(total)s")
                % {"done": f"{counter['done']:,}", "total": f"{total:,}"},
            )

    try:
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            if format == ExportFormat.XLSX:
                _write_xlsx(archive, sheets, tick)
            else:
                _write_csv(archive, sheets, tick)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    progress(total, total, _("%(rows)s rows exported.") % {"rows": f"{total:,}"})
    return total


def _write_csv(archive: zipfile.ZipFile, sheets: list[Any], tick: Callable[[], None]) -> None:
    for slug, _title, queryset, columns in sheets:
        with archive.open(f"{slug}.csv", "w") as raw:
            text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
            writer = csv.writer(text)
            writer.writerow([str(label) for label, _getter in columns])
            for row in _rows(queryset, columns):
                writer.writerow([_csv_value(value) for value in row])
                tick()
            text.flush()
            text.detach()


def _write_xlsx(archive: zipfile.ZipFile, sheets: list[Any], tick: Callable[[], None]) -> None:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    for _slug, title, queryset, columns in sheets:
        sheet = workbook.create_sheet(str(title)[:31])
        sheet.append([str(label) for label, _getter in columns])
        for row in _rows(queryset, columns):
            sheet.append(row)
            tick()
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as handle:
        workbook.save(handle.name)
        archive.write(handle.name, "wuwei-export.xlsx")
