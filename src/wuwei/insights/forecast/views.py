"""Forecast pages (METHOD.md §8): the grid with its chart and table, the unrated deals apart,
the manager's adjustment form, and the CSV/XLSX export of the grid. The grid's rows are one
level of the team tree (selectors module docstring); a team row opens in place with the htmx
fragment `rows/?team=&period=` (the team's own reps and its child teams, for that period)."""

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from wuwei.core.errors import DomainError
from wuwei.core.forms import limit_choices
from wuwei.core.replica import reads_from_replica
from wuwei.core.visibility import scope_for, visible
from wuwei.insights.exports import report_response
from wuwei.insights.forecast import selectors, services
from wuwei.insights.models import ForecastAdjustment
from wuwei.methodology.forecast import Period, PeriodKind, parse_period
from wuwei.org.models import Team

DATE = forms.DateInput(attrs={"type": "date", "class": "form-control form-control-sm"})
SELECT = forms.Select(attrs={"class": "form-select form-select-sm"})
UNRATED_SHOWN = 20


class ForecastFilterForm(forms.Form):
    period = forms.ChoiceField(
        label=gettext_lazy("By"),
        choices=[
            (PeriodKind.QUARTER.value, gettext_lazy("Quarter")),
            (PeriodKind.MONTH.value, gettext_lazy("Month")),
        ],
        required=False,
        widget=SELECT,
    )
    date_from = forms.DateField(label=gettext_lazy("Closing from"), required=False, widget=DATE)
    date_to = forms.DateField(label=gettext_lazy("To"), required=False, widget=DATE)
    team = forms.ModelChoiceField(
        label=gettext_lazy("Team"), queryset=Team.objects.none(), required=False, widget=SELECT
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "team", selectors.openable_teams(user))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = PeriodKind(data.get("period") or PeriodKind.QUARTER)
        start, end = selectors.default_range(kind, timezone.localdate())
        data["period"] = kind
        data["date_from"] = data.get("date_from") or start
        data["date_to"] = data.get("date_to") or max(data["date_from"], end)
        if data["date_from"] > data["date_to"]:
            raise forms.ValidationError(_("The period starts after it ends."))
        if (data["date_to"] - data["date_from"]).days > 3 * 366:
            raise forms.ValidationError(_("Ask for at most three years at a time."))
        return data


def _refuse_partner(request: HttpRequest) -> None:
    if scope_for(request.user).is_partner:
        raise Http404


def _grid(request: HttpRequest) -> tuple[ForecastFilterForm, selectors.Forecast | None]:
    form = ForecastFilterForm(request.GET, user=request.user)
    if not form.is_valid():
        return form, None
    data = form.cleaned_data
    grid = selectors.forecast_grid(
        user=request.user,
        kind=data["period"],
        date_from=data["date_from"],
        date_to=data["date_to"],
        team=data.get("team"),
    )
    return form, grid


def _money(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def forecast_chart(grid: selectors.Forecast) -> dict[str, Any] | None:
    """Bars per period: commit, best case, weighted, pipeline (and the unrated apart). Only
    period labels, translated series names and numbers: no user values."""
    if grid.is_empty:
        return None
    series = [
        ("commit", _("Commit")),
        ("best_case", _("Best case")),
        ("weighted", _("Weighted")),
        ("pipeline", _("Pipeline")),
        ("unrated", _("Unrated (not weighted)")),
    ]
    return {
        "categories": [p.period.label for p in grid.periods],
        "series": [
            {
                "key": key,
                "name": name,
                "data": [_money(getattr(p.figures, key)) for p in grid.periods],
            }
            for key, name in series
        ],
        "previous": {
            "name": _("Weighted last week"),
            "data": [_money(p.previous.weighted if p.previous else None) for p in grid.periods],
        },
    }


def _headline(grid: selectors.Forecast) -> list[tuple[str, Any, Decimal, Decimal | None]]:
    f, c, config = grid.figures, grid.change, grid.config
    return [
        ("weighted", _("Weighted"), f.weighted, c.weighted),
        ("commit", _("Commit (≥ %(n)s %%)") % {"n": config.commit_min}, f.commit, c.commit),
        (
            "best_case",
            _("Best case (≥ %(n)s %%)") % {"n": config.best_case_min},
            f.best_case,
            c.best_case,
        ),
        ("pipeline", _("Pipeline"), f.pipeline, None),
        ("unrated", _("Unrated (not weighted)"), f.unrated, None),
    ]


@login_required
@require_GET
def forecast(request: HttpRequest) -> HttpResponse:
    _refuse_partner(request)
    form, grid = _grid(request)
    unrated: list[Any] = []
    if grid is not None and grid.figures.unrated_deals:
        unrated = list(
            selectors.unrated_deals(
                user=request.user, date_from=grid.date_from, date_to=grid.date_to, team=grid.team
            ).order_by("-amount", "id")[:UNRATED_SHOWN]
        )
    context = {
        "form": form,
        "grid": grid,
        "headline": _headline(grid) if grid is not None else [],
        "chart": forecast_chart(grid) if grid is not None else None,
        "unrated": unrated,
        **_row_links(request, grid),
        "query": request.GET.urlencode(),
    }
    return render(request, "insights/forecast.html", context)


def _row_links(request: HttpRequest, grid: selectors.Forecast | None) -> dict[str, set[int]]:
    """The teams of the rows the user may adjust and may open (no query)."""
    if grid is None:
        return {"adjustable": set(), "openable": set()}
    adjustable = {
        pk for pk, path in grid.team_paths.items() if services.may_adjust_path(request.user, path)
    }
    return {"adjustable": adjustable, "openable": selectors.openable_ids(request.user, grid)}


def _team_and_period(request: HttpRequest) -> tuple[Team, Period]:
    """`?team=&period=` of a team the user sees and a valid period; 404 otherwise, and for
    partner users."""
    _refuse_partner(request)
    try:
        team = visible(Team, request.user).get(pk=int(request.GET.get("team", "")))
        return team, parse_period(request.GET.get("period", ""))
    except (ValueError, Team.DoesNotExist):
        raise Http404 from None


@login_required
@require_GET
@reads_from_replica
def forecast_rows(request: HttpRequest) -> HttpResponse:
    """One team opened in one period (`?team=&period=2027-Q1`): the rows of its own reps and
    of its child teams, as table rows to insert after the team's row (htmx). 404 for a team
    the user may not break down (`may_open`) and for partner users."""
    team, period = _team_and_period(request)
    if not selectors.may_open(request.user, team):
        raise Http404
    grid = selectors.forecast_grid(
        user=request.user, kind=period.kind, date_from=period.start, date_to=period.end, team=team
    )
    context = {"p": grid.periods[0], "nested": True, **_row_links(request, grid)}
    return render(request, "insights/_forecast_rows.html", context)


@login_required
@require_GET
@reads_from_replica
def forecast_export(request: HttpRequest) -> HttpResponse:
    _refuse_partner(request)
    _form, grid = _grid(request)
    if grid is None:
        return redirect(reverse("forecast:forecast") + "?" + request.GET.urlencode())
    header = [
        _("Period"),
        _("Team"),
        _("Sales rep"),
        _("Deals"),
        _("Pipeline"),
        _("Weighted"),
        _("Commit"),
        _("Best case"),
        _("Unrated deals"),
        _("Unrated amount"),
        _("Weighted last week"),
        _("Change of weighted"),
        _("Adjusted weighted"),
        _("Adjusted commit"),
        _("Adjusted best case"),
        _("Adjustment comment"),
    ]
    rows: list[list[Any]] = []
    for p in grid.periods:
        label = p.period.label
        for t in p.teams:
            rows.append(_export_row(label, t.name, "", t, t.adjustment))
            rows.extend(_export_row(label, t.name, r.name, r) for r in t.reps)
        rows.append(_export_row(label, _("Total"), "", p))
    return report_response(
        request.GET.get("format", "csv"), "forecast", _("Forecast"), header, rows
    )


def _export_row(
    period: str, team: str, rep: str, cell: Any, adjustment: ForecastAdjustment | None = None
) -> list[Any]:
    f, previous = cell.figures, cell.previous
    a = adjustment
    return [
        period,
        team,
        rep,
        f.deals,
        f.pipeline,
        f.weighted,
        f.commit,
        f.best_case,
        f.unrated_deals,
        f.unrated,
        previous.weighted if previous else "",
        "" if cell.change.weighted is None else cell.change.weighted,
        *([a.weighted, a.commit, a.best_case, a.comment] if a else ["", "", "", ""]),
    ]


class AdjustmentForm(forms.Form):
    weighted = forms.DecimalField(
        label=gettext_lazy("Weighted"),
        required=False,
        min_value=0,
        max_digits=16,
        decimal_places=2,
    )
    commit = forms.DecimalField(
        label=gettext_lazy("Commit"),
        required=False,
        min_value=0,
        max_digits=16,
        decimal_places=2,
    )
    best_case = forms.DecimalField(
        label=gettext_lazy("Best case"),
        required=False,
        min_value=0,
        max_digits=16,
        decimal_places=2,
    )
    comment = forms.CharField(
        label=gettext_lazy("Why"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name != "version":
                field.widget.attrs.setdefault("class", "form-control form-control-sm")


@login_required
@require_http_methods(["GET", "POST"])
def forecast_adjust(request: HttpRequest) -> HttpResponse:
    """Adjust one team's forecast for one period (`?team=&period=`): only a manager of that
    team; the computed figures are shown beside the form."""
    team, period = _team_and_period(request)
    if not services.may_adjust(request.user, team):
        raise Http404
    existing = (
        visible(ForecastAdjustment, request.user)
        .filter(team=team, period=period.label, archived_at__isnull=True)
        .first()
    )
    grid = selectors.forecast_grid(
        user=request.user, kind=period.kind, date_from=period.start, date_to=period.end, team=team
    )
    # the team's whole subtree: the grid holds only its deals
    computed = grid.periods[0] if grid.periods and not grid.is_empty else None
    if request.method == "POST":
        form = AdjustmentForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            figures = {k: data.get(k) for k in ("weighted", "commit", "best_case")}
            try:
                if existing is None:
                    services.forecast_adjustment_create(
                        user=request.user,
                        team=team,
                        period=period.label,
                        comment=data["comment"],
                        **figures,
                    )
                else:
                    services.forecast_adjustment_update(
                        user=request.user,
                        adjustment=existing,
                        changes={**figures, "comment": data["comment"]},
                        expected_version=data.get("version") or 0,
                    )
            except DomainError as error:
                form.add_error(None, str(error))
                for field, message in getattr(error, "errors", []) or []:
                    if field in form.fields:
                        form.add_error(field, message)
            else:
                query = urlencode(
                    {
                        "period": period.kind.value,
                        "date_from": period.start.isoformat(),
                        "date_to": period.end.isoformat(),
                        "team": team.pk,
                    }
                )
                return redirect(reverse("forecast:forecast") + "?" + query)
    elif existing is not None:
        form = AdjustmentForm(
            initial={
                "weighted": existing.weighted,
                "commit": existing.commit,
                "best_case": existing.best_case,
                "comment": existing.comment,
                "version": existing.version,
            }
        )
    else:
        form = AdjustmentForm(
            initial=(
                {
                    "weighted": computed.figures.weighted,
                    "commit": computed.figures.commit,
                    "best_case": computed.figures.best_case,
                }
                if computed
                else {}
            )
        )
    context = {
        "form": form,
        "team": team,
        "period": period,
        "computed": computed,
        "existing": existing,
    }
    return render(request, "insights/forecast_adjust.html", context)
