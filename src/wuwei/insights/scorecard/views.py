"""Scorecard pages: the five-dimension scorecard (radar, the table one click away), the records
behind each KPI, the export, and the collections tab of a won deal."""

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from wuwei.core.errors import DomainError, NotAllowed, NotFound
from wuwei.core.forms import limit_choices
from wuwei.core.replica import reads_from_replica
from wuwei.insights.scorecard import exports, selectors, services
from wuwei.insights.scorecard.collections import collections_get
from wuwei.insights.scorecard.records import KPIS
from wuwei.insights.scorecard.scope import (
    Period,
    Reach,
    period_errors,
    scorecard_reach,
    scorecard_teams,
)
from wuwei.insights.scorecard.selectors import AXES
from wuwei.insights.selectors import default_period
from wuwei.opportunities.models import Opportunity
from wuwei.opportunities.selectors import internal_opportunity_get
from wuwei.org.http import AuthedHttpRequest
from wuwei.org.models import Team

DATE = forms.DateInput(attrs={"type": "date", "class": "form-control form-control-sm"})
RECORDS_SHOWN = 200
RADAR_REPS = 8
#: Reps shown at once; beyond them the table opens with the sub-teams (their reps on demand).
REP_ROWS = 40
USE_LABELS = (
    ("connections", gettext_lazy("Connections used")),
    ("solution", gettext_lazy("Solution used")),
    ("rules", gettext_lazy("Rules kept")),
)


class ScorecardFilterForm(forms.Form):
    team = forms.ModelChoiceField(
        label=gettext_lazy("Team"),
        queryset=Team.objects.none(),
        required=False,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    date_from = forms.DateField(label=gettext_lazy("From"), required=False, widget=DATE)
    date_to = forms.DateField(label=gettext_lazy("To"), required=False, widget=DATE)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "team", scorecard_teams(user))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = default_period()
        data["date_from"] = data.get("date_from") or start
        data["date_to"] = data.get("date_to") or end
        errors = period_errors(data["date_from"], data["date_to"])
        if errors:
            raise forms.ValidationError(
                _("Please correct the period.") + " " + "; ".join(m for _f, m in errors)
            )
        return data


def _filters(request: HttpRequest) -> tuple[ScorecardFilterForm, Reach, Period]:
    """The filter form, the reach and the period (this year when the form has errors: the
    caller shows them). A team outside the user's reach answers 404, like a hidden record."""
    team_id = request.GET.get("team") or None
    try:
        reach = scorecard_reach(
            user=request.user, team_id=int(team_id) if team_id is not None else None
        )
    except (NotFound, ValueError):
        raise Http404 from None
    form = ScorecardFilterForm(request.GET or None, user=request.user)
    start, end = default_period()
    if not form.is_bound:
        form = ScorecardFilterForm(
            initial={"team": reach.team, "date_from": start, "date_to": end}, user=request.user
        )
        return form, reach, Period(start, end)
    if not form.is_valid():
        return form, reach, Period(start, end)
    return form, reach, Period(form.cleaned_data["date_from"], form.cleaned_data["date_to"])


def _radar_data(card: selectors.Scorecard, lines: list[selectors.Line]) -> dict[str, Any]:
    """Names are user values: the script shows them through Wuwei.esc/Wuwei.text."""
    series = [{"name": _("Team"), "values": _values(card.total)}]
    for line in lines[:RADAR_REPS]:
        name = line.team.name if line.team is not None else str(line.row.user)
        series.append({"name": name, "values": _values(line.row)})
    return {"axes": [str(a) for a in AXES], "series": series, "no_data": _("no data")}


def _table_lines(
    lines: list[selectors.Line], reach: Reach, period: Period
) -> list[tuple[selectors.Row, str, Team | None, str]]:
    """Each line with the link prefix of its KPIs (a rep of the reach, or a sub-team's reach)
    and, for a sub-team, the address of its own lines."""
    records, rows = reverse("scorecard:records"), reverse("scorecard:rows")
    result: list[tuple[selectors.Row, str, Team | None, str]] = []
    for line in lines:
        if line.team is not None:
            query = _query(Reach(team=line.team, reps=[]), period)
            result.append((line.row, f"{records}?{query}", line.team, f"{rows}?{query}"))
        else:
            assert line.row.user is not None
            link = f"{records}?{_query(reach, period)}&rep={line.row.user.pk}"
            result.append((line.row, link, None, ""))
    return result


def _values(row: selectors.Row) -> list[float | None]:
    return [None if v is None else float(v) for v in row.radar.as_list()]


@login_required
@require_GET
@reads_from_replica
def scorecard_page(request: HttpRequest) -> HttpResponse:
    form, reach, period = _filters(request)
    card = None
    lines: list[selectors.Line] = []
    if not form.errors:
        # beyond REP_ROWS reps only the sub-teams' lines are shown: no row per rep
        card = selectors.scorecard(
            user=request.user,
            reps=reach.reps,
            period=period,
            rows=len(reach.reps) <= REP_ROWS,
            everyone=reach.everyone,
        )
        lines = selectors.scorecard_lines(card, reach.team, REP_ROWS, reach.reps)
    query = _query(reach, period)
    records = f"{reverse('scorecard:records')}?{query}"
    context = {
        "form": form,
        "reach": reach,
        "period": period,
        "card": card,
        "chart": _radar_data(card, lines) if card is not None and not card.is_empty else None,
        "query": query,
        "lines": _table_lines(lines, reach, period),
        "total_link": records,
        "uses": [(key, label, card.total.uses[key]) for key, label in USE_LABELS] if card else [],
    }
    return render(request, "insights/scorecard/page.html", context)


@login_required
@require_GET
@reads_from_replica
def scorecard_rows(request: HttpRequest) -> HttpResponse:
    """A sub-team's lines, fetched when its line is opened (htmx): its reps, or again its
    sub-teams when they are many. A team outside the user's reach is not found."""
    form, reach, period = _filters(request)
    if form.errors or reach.team is None:
        raise Http404
    card = selectors.scorecard(
        user=request.user,
        reps=reach.reps,
        period=period,
        rows=len(reach.reps) <= REP_ROWS,
        resources=False,
    )
    lines = selectors.scorecard_lines(card, reach.team, REP_ROWS, reach.reps)
    context = {
        "lines": _table_lines(lines, reach, period),
        "indent": min(reach.team.path.count("/") - 1, 5),
    }
    return render(request, "insights/scorecard/_rows.html", context)


def _query(reach: Reach, period: Period) -> str:
    team = f"team={reach.team.pk}&" if reach.team is not None else ""
    return f"{team}date_from={period.date_from.isoformat()}&date_to={period.date_to.isoformat()}"


@login_required
@require_GET
@reads_from_replica
def scorecard_records(request: HttpRequest) -> HttpResponse:
    """The deals or accounts a KPI counted, for one rep or the whole team."""
    kpi = KPIS.get(request.GET.get("kpi", ""))
    form, reach, period = _filters(request)
    if kpi is None or form.errors:
        raise Http404
    reps = reach.reps
    rep_id = request.GET.get("rep")
    if rep_id:
        reps = [r for r in reps if str(r.pk) == rep_id]
        if not reps:
            raise Http404
    if kpi.kind == "accounts":
        base: Any = selectors.team_accounts(request.user, reps).select_related("owner")
        records = kpi.select(base, period).order_by("name", "pk")
    else:
        base = selectors.team_deals(request.user, reps).select_related("account", "owner")
        records = kpi.select(base, period).order_by("-amount", "pk")
    total = records.count()
    context = {
        "kpi": kpi,
        "reach": reach,
        "rep": reps[0] if rep_id else None,
        "period": period,
        "records": list(records[:RECORDS_SHOWN]),
        "total": total,
        "shown": RECORDS_SHOWN,
        "query": _query(reach, period),
    }
    return render(request, "insights/scorecard/records.html", context)


@login_required
@require_GET
@reads_from_replica
def scorecard_export(request: HttpRequest) -> HttpResponse:
    form, reach, period = _filters(request)
    if form.errors:
        raise Http404
    card = selectors.scorecard(
        user=request.user, reps=reach.reps, period=period, everyone=reach.everyone
    )
    return exports.scorecard_response(request.GET.get("format", "csv"), card)


# ----------------------------------------------------------------------------------------
# collections on a won deal


class ContractForm(forms.Form):
    value = forms.DecimalField(
        label=gettext_lazy("Contract value"), min_value=0.01, max_digits=16, decimal_places=2
    )
    signed_on = forms.DateField(label=gettext_lazy("Signed on"), required=False, widget=DATE)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class PaymentForm(forms.Form):
    received_on = forms.DateField(label=gettext_lazy("Received on"), widget=DATE)
    amount = forms.DecimalField(
        label=gettext_lazy("Amount"), min_value=0.01, max_digits=16, decimal_places=2
    )
    note = forms.CharField(label=gettext_lazy("Note"), max_length=300, required=False)


def _deal(request: HttpRequest, opportunity_id: int) -> Opportunity:
    try:
        return internal_opportunity_get(user=request.user, id=opportunity_id)
    except NotFound:
        raise Http404 from None


def _tab(
    request: HttpRequest,
    deal: Opportunity,
    contract_form: ContractForm | None = None,
    payment_form: PaymentForm | None = None,
    error: str = "",
) -> HttpResponse:
    view = collections_get(user=request.user, opportunity=deal)
    contract = view["contract"]
    context = {
        "deal": deal,
        **view,
        "error": error,
        "contract_form": contract_form
        or ContractForm(
            initial={
                "value": contract.value if contract else deal.amount,
                "signed_on": contract.signed_on if contract else deal.closed_on,
                "version": contract.version if contract else None,
            }
        ),
        "payment_form": payment_form or PaymentForm(),
    }
    return render(request, "insights/scorecard/_collections_tab.html", context)


@login_required
@require_GET
def collections_tab(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    return _tab(request, _deal(request, opportunity_id))


@login_required
@require_POST
def collections_contract(request: AuthedHttpRequest, opportunity_id: int) -> HttpResponse:
    deal = _deal(request, opportunity_id)
    form = ContractForm(request.POST)
    if not form.is_valid():
        return _tab(request, deal, contract_form=form)
    try:
        services.contract_set(
            user=request.user,
            opportunity=deal,
            value=form.cleaned_data["value"],
            signed_on=form.cleaned_data["signed_on"],
            expected_version=form.cleaned_data["version"],
        )
    except NotAllowed as exc:
        raise PermissionDenied(exc.detail) from None
    except DomainError as exc:
        return _tab(request, deal, contract_form=form, error=exc.detail)
    return _tab(request, deal)


@login_required
@require_POST
def collections_payment(request: AuthedHttpRequest, opportunity_id: int) -> HttpResponse:
    deal = _deal(request, opportunity_id)
    form = PaymentForm(request.POST)
    if not form.is_valid():
        return _tab(request, deal, payment_form=form)
    try:
        services.payment_add(
            user=request.user,
            opportunity=deal,
            received_on=form.cleaned_data["received_on"],
            amount=form.cleaned_data["amount"],
            note=form.cleaned_data["note"],
        )
    except NotAllowed as exc:
        raise PermissionDenied(exc.detail) from None
    except DomainError as exc:
        return _tab(request, deal, payment_form=form, error=exc.detail)
    return _tab(request, deal)
