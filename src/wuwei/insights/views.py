"""Insights pages: the segment report (METHOD.md §7.2) as a table and a bar chart."""

from datetime import date
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from wuwei.core.exports import Column, export_format, export_response
from wuwei.core.visibility import scope_for, visible
from wuwei.insights.selectors import segment_report
from wuwei.org.models import Team

DATE = forms.DateInput(attrs={"type": "date", "class": "form-control form-control-sm"})


def default_period(today: date | None = None) -> tuple[date, date]:
    """This calendar year up to today."""
    today = today or timezone.localdate()
    return date(today.year, 1, 1), today


class SegmentFilterForm(forms.Form):
    date_from = forms.DateField(label=gettext_lazy("From"), required=False, widget=DATE)
    date_to = forms.DateField(label=gettext_lazy("To"), required=False, widget=DATE)
    team = forms.ModelChoiceField(
        label=gettext_lazy("Team"),
        queryset=Team.objects.none(),
        required=False,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        teams = visible(Team, user).filter(archived_at__isnull=True).order_by("path")
        self.fields["team"].queryset = teams  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = default_period()
        data["date_from"] = data.get("date_from") or start
        data["date_to"] = data.get("date_to") or end
        if data["date_from"] > data["date_to"]:
            raise forms.ValidationError(_("The period starts after it ends."))
        return data


SEGMENT_COLUMNS = [
    Column(gettext_lazy("Segment"), lambda row: row.label),
    Column(gettext_lazy("Counted deals"), lambda row: row.basis),
    Column(gettext_lazy("Won"), lambda row: row.rate.won),
    Column(gettext_lazy("Closed"), lambda row: row.rate.closed),
    Column(gettext_lazy("Rate (%)"), lambda row: row.rate.rate),
    Column(gettext_lazy("Reference (%)"), lambda row: row.rate.reference),
    Column(gettext_lazy("All closed"), lambda row: row.closed),
    Column(gettext_lazy("Average cycle (days)"), lambda row: row.average_cycle_days),
    Column(gettext_lazy("Average won amount"), lambda row: row.average_won_amount),
    Column(gettext_lazy("Presales cost"), lambda row: row.presales_cost),
]


@login_required
@require_GET
def segments(request: HttpRequest) -> HttpResponseBase:
    if scope_for(request.user).is_partner:
        raise Http404
    form = SegmentFilterForm(request.GET or None, user=request.user)
    start, end = default_period()
    report = None
    if form.is_valid() or not request.GET:
        data = form.cleaned_data if form.is_bound else {}
        report = segment_report(
            user=request.user,
            date_from=data.get("date_from", start),
            date_to=data.get("date_to", end),
            team=data.get("team"),
        )
    if fmt := export_format(request):
        rows = report.rows if report is not None else []
        return export_response(request, rows, SEGMENT_COLUMNS, filename="segments", fmt=fmt)
    if not form.is_bound:
        form = SegmentFilterForm(initial={"date_from": start, "date_to": end}, user=request.user)
    chart = None
    if report is not None and not report.is_empty:
        # Only translated fixed strings and numbers reach the chart (no user values).
        chart = {
            "categories": [str(row.label) for row in report.rows],
            "series": [
                {
                    "name": _("Actual (%)"),
                    "data": [
                        None if r.rate.rate is None else float(r.rate.rate) for r in report.rows
                    ],
                },
                {
                    "name": _("Reference (%)"),
                    "data": [float(r.rate.reference) for r in report.rows],
                },
            ],
        }
    context = {"form": form, "report": report, "chart": chart}
    return render(request, "insights/segments.html", context)
