"""Insights pages: the segment report (METHOD.md §7.2) as a table and a bar chart."""

from datetime import date
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import get_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from wuwei.core.exports import Column, export_format, export_response
from wuwei.core.replica import reads_from_replica
from wuwei.core.visibility import scope_for
from wuwei.insights.exports import report_response
from wuwei.insights.forms import SegmentFilterForm
from wuwei.insights.pipeline import Curve, PipelineReport, pipeline_curves, pipeline_report
from wuwei.insights.selectors import default_period, segment_report
from wuwei.opportunities.models import Grade

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
@reads_from_replica
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


# --- pipeline analytics (METHOD.md §8) ------------------------------------------------------


def _pipeline(
    request: HttpRequest, *, with_curves: bool = True
) -> tuple[SegmentFilterForm, PipelineReport | None]:
    form = SegmentFilterForm(request.GET or None, user=request.user)
    start, end = default_period()
    if request.GET and not form.is_valid():
        return form, None
    data = form.cleaned_data if form.is_bound else {}
    report = pipeline_report(
        user=request.user,
        date_from=data.get("date_from", start),
        date_to=data.get("date_to", end),
        team=data.get("team"),
        with_curves=with_curves,
    )
    if not form.is_bound:
        form = SegmentFilterForm(initial={"date_from": start, "date_to": end}, user=request.user)
    return form, report


def pipeline_charts(report: PipelineReport) -> dict[str, Any]:
    """Chart data for the page. Rep names reach the curves' legend and tooltips: the script
    draws them through Wuwei.text/Wuwei.tip (escaped), never as markup."""
    grades = [g.value for g in Grade]
    return {
        "funnel": [
            {"name": str(row.label), "value": row.deals, "amount": float(row.amount)}
            for row in report.funnel
        ],
        "grades": {
            "categories": [str(row.label) for row in report.funnel],
            "series": [
                {"name": grade, "data": [row.by_grade[grade][0] for row in report.funnel]}
                for grade in grades
            ],
        },
        "bands": {
            "categories": [b.label or str(_("Not rated")) for b in report.bands],
            "deals": [b.deals for b in report.bands],
            "amounts": [float(b.amount) for b in report.bands],
            "deals_name": _("Deals"),
        },
    }


def curves_chart(weeks: list[date], curves: list[Curve]) -> dict[str, Any]:
    """Chart data of the team curves (rep names: escaped by the script, as above)."""
    return {
        "weeks": [w.isoformat() for w in weeks],
        "series": [
            {
                "name": c.name or _("Team average"),
                "team": c.user_id is None,
                "data": [None if w not in c.points else float(c.points[w]) for w in weeks],
            }
            for c in curves
        ],
    }


def curve_rows(chart: dict[str, Any]) -> list[tuple[str, SafeString]]:
    """The curves' table: each series' name (escaped by the template) and its week cells as
    one string. A rep per row at 200k deals is ~500 rows of 12 weeks, which cost ~130 ms in
    the template's nested loop; here a cell is a number (a float, written as `{{ v }}` writes
    one: its localized decimal point, no grouping below 1000) or a dash — no user value."""
    point = str(get_format("DECIMAL_SEPARATOR"))
    cell = '<td class="text-end">{} %</td>'
    empty = '<td class="text-end">—</td>'
    rows = []
    for series in chart["series"]:
        cells = "".join(
            empty if v is None else cell.format(str(float(v)).replace(".", point))
            for v in series["data"]
        )
        rows.append((series["name"], mark_safe(cells)))  # numbers and our markup only
    return rows


@login_required
@require_GET
@reads_from_replica
def pipeline(request: HttpRequest) -> HttpResponse:
    if scope_for(request.user).is_partner:
        raise Http404
    # the curves (the biggest pass, ~500 reps' lines at 200k deals) load on their own
    form, report = _pipeline(request, with_curves=False)
    context = {
        "form": form,
        "report": report,
        "charts": pipeline_charts(report) if report is not None else None,
        "grades": [g.value for g in Grade],
        "query": request.GET.urlencode(),
    }
    return render(request, "insights/pipeline.html", context)


@login_required
@require_GET
@reads_from_replica
def pipeline_curves_view(request: HttpRequest) -> HttpResponse:
    """The page's team curves (chart and table), loaded after the page: the page's filters
    (only the team matters: the curves are the last twelve weeks); 404 for a partner or a
    team out of reach (the form's choices)."""
    if scope_for(request.user).is_partner:
        raise Http404
    form = SegmentFilterForm(request.GET or None, user=request.user)
    if request.GET and not form.is_valid():
        raise Http404
    team = form.cleaned_data.get("team") if form.is_bound else None
    weeks, curves = pipeline_curves(user=request.user, team=team)
    chart = curves_chart(weeks, curves)
    context = {"weeks": weeks, "chart": chart, "rows": curve_rows(chart)}
    return render(request, "insights/_pipeline_curves.html", context)


@login_required
@require_GET
@reads_from_replica
def pipeline_export(request: HttpRequest) -> HttpResponse:
    if scope_for(request.user).is_partner:
        raise Http404
    _form, report = _pipeline(request)
    if report is None:
        return redirect(reverse("insights:pipeline") + "?" + request.GET.urlencode())
    header = [_("Section"), _("Name"), _("Deals"), _("Amount"), _("Detail")]
    rows: list[list[Any]] = []
    for row in report.funnel:
        detail = ", ".join(f"{g}: {n}" for g, (n, _a) in row.by_grade.items() if n)
        rows.append([_("Funnel"), row.label, row.deals, row.amount, detail])
    for flow in report.flow:
        rows.append(
            [
                _("Stage conversion"),
                flow.label,
                flow.entered,
                "",
                _("%(advanced)s went on (%(rate)s %%), %(days)s days in stage on average")
                % {
                    "advanced": flow.advanced,
                    "rate": "—" if flow.conversion is None else flow.conversion,
                    "days": "—" if flow.average_days is None else flow.average_days,
                },
            ]
        )
    for band in report.bands:
        rows.append([_("Win rate"), band.label or _("Not rated"), band.deals, band.amount, ""])
    for c in report.competitors:
        rows.append(
            [
                _("Competitor"),
                c.name,
                c.won + c.lost,
                c.won_amount + c.lost_amount,
                _("won %(won)s, lost %(lost)s, lost to them %(lost_to)s")
                % {"won": c.won, "lost": c.lost, "lost_to": c.lost_to},
            ]
        )
    for s in report.slipped:
        rows.append(
            [
                _("Slipped close date"),
                s.name,
                1,
                s.amount,
                f"{s.first_close or ''} → {s.expected_close or ''}",
            ]
        )
    return report_response(
        request.GET.get("format", "csv"), "pipeline", _("Pipeline analytics"), header, rows
    )
