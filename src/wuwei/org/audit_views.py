"""The audit trail for administrators (issue 11 §8): filter by user, record type, action and
date; keyset pages; the same rows as CSV. Anyone else gets 404 (no existence oracle)."""

import csv
from collections.abc import Iterator
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wuwei.core.audit import audit_list, change_text
from wuwei.core.exports import Column, display, export_format, export_response, neutralise
from wuwei.core.models import AuditAction, AuditEvent
from wuwei.core.pages import page_from_request, render_list
from wuwei.org.http import AuthedHttpRequest
from wuwei.org.models import User
from wuwei.org.permissions import Action, may

# Record types the trail holds, for the filter (label, app_label.model).
RECORD_TYPES = [
    ("org.user", _("user")),
    ("org.apitoken", _("API token")),
    ("opportunities.opportunity", _("opportunity")),
    ("people.activity", _("activity")),
]
EXPORT_LIMIT = 100_000
#: The page's export (translated labels, CSV or Excel); `audit/export.csv` keeps the stable
#: machine-readable column names for scripts.
AUDIT_COLUMNS = [
    Column(_("When"), lambda e: e.at),
    Column(_("Who"), lambda e: e.actor_name),
    Column(_("Action"), display(AuditEvent, "action")),
    Column(_("Record type"), lambda e: e.model),
    Column(_("Record ID"), lambda e: e.object_id),
    Column(_("Record"), lambda e: e.object_repr),
    Column(_("Changes"), lambda e: change_text(e.changes, e.model)),
    Column(_("Address"), lambda e: e.ip_address),
]


class AuditFilterForm(forms.Form):
    user = forms.CharField(label=_("User"), required=False, max_length=150)
    model = forms.ChoiceField(
        label=_("Record type"), required=False, choices=[("", "—"), *RECORD_TYPES]
    )
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", "—"), *AuditAction.choices]
    )
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


def _require_admin(user: User) -> None:
    if not may(user, Action.AUDIT_READ):
        raise Http404


def _events(request: AuthedHttpRequest) -> tuple[AuditFilterForm, Any]:
    form = AuditFilterForm(request.GET or None)
    data: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    events = audit_list(
        actor=data.get("user", "").strip(),
        model=data.get("model", ""),
        action=data.get("action", ""),
        date_from=data.get("date_from"),
        date_to=data.get("date_to"),
    )
    return form, events


@login_required
def audit_trail(request: AuthedHttpRequest) -> HttpResponseBase:
    _require_admin(request.user)
    form, events = _events(request)
    if fmt := export_format(request):
        rows = events.order_by("-at", "-pk")[:EXPORT_LIMIT]
        return export_response(request, rows, AUDIT_COLUMNS, filename="audit", fmt=fmt)
    page = page_from_request(request, events, sort="-at")
    rows = [(event, change_text(event.changes, event.model)) for event in page.items]
    return render_list(
        request,
        "org/audit.html",
        "org/_audit_table.html",
        {"form": form, "page": page, "rows": rows, "export_query": request.GET.urlencode()},
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_rows(events: Any) -> Iterator[list[str]]:
    yield ["when", "who", "action", "record_type", "record_id", "record", "changes", "address"]
    event: AuditEvent
    for event in events.iterator(chunk_size=2000):
        yield [
            timezone.localtime(event.at).isoformat(),
            event.actor_name,
            event.action,
            event.model,
            event.object_id,
            _cell(event.object_repr),
            _cell(change_text(event.changes)),
            event.ip_address or "",
        ]


def _cell(text: str) -> str:
    """Spreadsheets run a cell starting with = + - @ as a formula: defuse it."""
    return str(neutralise(text))


@login_required
def audit_export(request: AuthedHttpRequest) -> StreamingHttpResponse:
    _require_admin(request.user)
    _form, events = _events(request)
    writer = csv.writer(_Echo())
    response = StreamingHttpResponse(
        (writer.writerow(row) for row in _csv_rows(events[:EXPORT_LIMIT])),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="wuwei-audit.csv"'
    return response
