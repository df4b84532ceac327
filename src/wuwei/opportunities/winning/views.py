"""The deal page's "Compelling events" and "Win rate" tabs: htmx fragments loaded with the
page and re-rendered by every action on them (same services as the API)."""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wuwei.core.errors import DomainError, NotFound
from wuwei.core.forms import add_domain_error
from wuwei.methodology.compelling_events import is_due_for_reevaluation
from wuwei.methodology.presales import iso_week
from wuwei.opportunities import partners
from wuwei.opportunities.models import CompellingEvent, Opportunity, Questionnaire
from wuwei.opportunities.selectors import opportunity_competitors, stage_names
from wuwei.opportunities.winning import selectors, services
from wuwei.opportunities.winning.explain import explain
from wuwei.opportunities.winning.forms import ConfirmForm, EventForm, QuestionnaireForm
from wuwei.org.http import AuthedHttpRequest
from wuwei.org.permissions import Action, may

TAB = "opportunities/winning/_winrate.html"
EVENTS_TAB = "opportunities/winning/_events.html"


def _deal(request: AuthedHttpRequest, opportunity_id: int) -> Opportunity:
    qs = Opportunity.objects.select_related("owner__team", "team")
    try:
        return partners.internal_deal(request.user, qs, opportunity_id)
    except NotFound:
        raise Http404 from None


def _changed(response: HttpResponse) -> HttpResponse:
    """Tell the page the win rate may have moved: the other tab reloads itself."""
    response["HX-Trigger"] = "winrate-changed"
    return response


# ----------------------------------------------------------------------------------------
# Win rate tab


@dataclass(frozen=True, slots=True)
class PairRow:
    label: str
    rep: str
    manager: str | None

    @property
    def differs(self) -> bool:
        return self.manager is not None and self.manager != self.rep


def _scores(questionnaire: Questionnaire | None) -> dict[str, str]:
    if questionnaire is None:
        return {}
    scores = {"us": f"{questionnaire.us_fit} · {questionnaire.us_closeness}"}
    for answer in questionnaire.competitor_answers.all():
        scores[answer.competitor.name] = f"{answer.fit} · {answer.closeness}"
    return scores


def _pair_rows(pair: selectors.QuestionnairePair) -> list[PairRow]:
    """Rep's version next to the manager's, party by party (§4.5 "both versions kept")."""
    rep, manager = pair.rep, pair.adjustment
    yes_no = {True: _("yes"), False: _("no")}
    rows = [
        PairRow(
            _("Inside source"),
            yes_no[rep.has_inside_source],
            yes_no[manager.has_inside_source] if manager else None,
        )
    ]
    rep_scores, manager_scores = _scores(rep), _scores(manager)
    for party in dict.fromkeys([*rep_scores, *manager_scores]):
        label = _("Us") if party == "us" else party
        rows.append(
            PairRow(
                label,
                rep_scores.get(party, "—"),
                manager_scores.get(party, "—") if manager else None,
            )
        )
    return rows


def _percent(value: int | None) -> str:
    return "—" if value is None else f"{value} %"


def _curve(opportunity: Opportunity, today: date) -> dict[str, Any]:
    """The weekly curve from the first snapshot to this week. A week without a snapshot
    keeps the value before it (the stored win rate only changes through a refresh, which
    writes a snapshot); stage changes become labelled markers on their week."""
    snapshots = {s.week: s.win_rate for s in selectors.win_rate_history(opportunity=opportunity)}
    weeks: list[str] = []
    starts: list[str] = []
    values: list[int | None] = []
    if snapshots:
        week, last = min(snapshots), max(max(snapshots), selectors.week_monday(today))
        value = None
        while week <= last:
            value = snapshots.get(week, value)
            weeks.append(iso_week(week))
            starts.append(week.isoformat())
            values.append(value)
            week += timedelta(days=7)
    names = stage_names()
    stages = [
        {
            "week": iso_week(day),
            "date": day.isoformat(),
            "label": names.get(stage, stage),
        }
        for change in selectors.stage_changes(opportunity=opportunity)
        for stage, day in [(change["stage"], timezone.localdate(change["entered_at"]))]
    ]
    return {
        "weeks": weeks,
        "starts": starts,
        "values": values,
        "stages": [s for s in stages if s["week"] in weeks],
        "points": len(snapshots),
        "rated": sum(1 for v in snapshots.values() if v is not None),
        "label": _("Win rate"),
    }


def _winrate_context(
    request: AuthedHttpRequest,
    opportunity: Opportunity,
    form: QuestionnaireForm | None = None,
    adjust_form: QuestionnaireForm | None = None,
) -> dict[str, Any]:
    user: Any = request.user
    evaluation = selectors.win_rate_evaluate(opportunity=opportunity)
    links = opportunity_competitors(opportunity=opportunity)
    pairs = selectors.questionnaire_pairs(user=user, opportunity=opportunity)
    newest = pairs[0] if pairs else None
    is_open = opportunity.is_open and opportunity.archived_at is None
    may_adjust = bool(newest and is_open and services.may_adjust(user, opportunity))
    current = evaluation.questionnaire
    return {
        "opportunity": opportunity,
        "evaluation": evaluation,
        "explanation": explain(
            evaluation.reasons, selectors.competitor_names(user, [evaluation.questionnaire])
        ),
        "curve": _curve(opportunity, timezone.localdate()),
        "curve_id": f"winrate-data-{opportunity.pk}",
        "can_answer": is_open and may(user, Action.DEAL_QUESTIONNAIRE),
        "form": form
        or QuestionnaireForm(competitors=links, initial=QuestionnaireForm.initial_from(current)),
        "pairs": [(pair, _pair_rows(pair)) for pair in pairs],
        "newest": newest,
        "may_adjust": may_adjust,
        "adjust_form": adjust_form
        or QuestionnaireForm(
            competitors=links, prefix="adjust", initial=QuestionnaireForm.initial_from(current)
        ),
    }


@login_required
def winrate_tab(request: AuthedHttpRequest, opportunity_id: int) -> HttpResponse:
    opportunity = _deal(request, opportunity_id)
    return render(request, TAB, _winrate_context(request, opportunity))


def _answer(form: QuestionnaireForm, save: Any) -> bool:
    if not form.is_valid():
        return False
    try:
        save(form.answers())
    except DomainError as exc:
        form.add_service_errors(exc)
        return False
    return True


@login_required
@require_POST
def questionnaire_submit(request: AuthedHttpRequest, opportunity_id: int) -> HttpResponse:
    opportunity = _deal(request, opportunity_id)
    user: Any = request.user
    form = QuestionnaireForm(
        request.POST, competitors=opportunity_competitors(opportunity=opportunity)
    )
    saved = _answer(
        form,
        lambda answers: services.questionnaire_submit(
            user=user, opportunity=opportunity, **answers
        ),
    )
    context = _winrate_context(request, opportunity, form=None if saved else form)
    return render(request, TAB, {**context, "saved": saved, "oob": True})


@login_required
@require_POST
def questionnaire_adjust(
    request: AuthedHttpRequest, opportunity_id: int, questionnaire_id: int
) -> HttpResponse:
    opportunity = _deal(request, opportunity_id)
    try:
        original = selectors.questionnaire_get(
            user=request.user, opportunity=opportunity, id=questionnaire_id
        )
    except NotFound:
        raise Http404 from None
    user: Any = request.user
    links = opportunity_competitors(opportunity=opportunity)
    form = QuestionnaireForm(request.POST, competitors=links, prefix="adjust")
    saved = _answer(
        form,
        lambda answers: services.questionnaire_adjust(user=user, questionnaire=original, **answers),
    )
    context = _winrate_context(request, opportunity, adjust_form=None if saved else form)
    return render(request, TAB, {**context, "adjusted": saved, "oob": True})


# ----------------------------------------------------------------------------------------
# Compelling events tab


def _events_context(
    request: AuthedHttpRequest,
    opportunity: Opportunity,
    *,
    form: EventForm | None = None,
    editing: CompellingEvent | None = None,
    edit_form: EventForm | None = None,
    error: str = "",
) -> dict[str, Any]:
    today = timezone.localdate()
    events = list(selectors.event_list(opportunity=opportunity))
    rows = [(event, is_due_for_reevaluation(event.reevaluate_on, today)) for event in events]
    if editing is not None and edit_form is None:
        edit_form = EventForm(initial=EventForm.initial_from(editing), editing=True)
    return {
        "opportunity": opportunity,
        "rows": rows,
        "due": sum(1 for _event, due in rows if due),
        "has_confirmed": any(event.is_confirmed for event in events),
        "can_edit": opportunity.is_open
        and opportunity.archived_at is None
        and may(request.user, Action.DEAL_WRITE),
        "form": form or EventForm(),
        "editing": editing,
        "edit_form": edit_form,
        "error": error,
    }


def _events(request: AuthedHttpRequest, opportunity: Opportunity, **extra: Any) -> HttpResponse:
    context = _events_context(request, opportunity, **extra)
    if request.method == "POST":
        opportunity.refresh_from_db(fields=["win_rate"])
        context["oob"] = True
    return render(request, EVENTS_TAB, context)


def _event(opportunity: Opportunity, event_id: int) -> CompellingEvent:
    try:
        return selectors.event_get(opportunity=opportunity, id=event_id)
    except NotFound:
        raise Http404 from None


@login_required
def events_tab(request: AuthedHttpRequest, opportunity_id: int) -> HttpResponse:
    return _events(request, _deal(request, opportunity_id))


@login_required
@require_POST
def event_create(request: AuthedHttpRequest, opportunity_id: int) -> HttpResponse:
    opportunity = _deal(request, opportunity_id)
    form = EventForm(request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("version")
        try:
            services.compelling_event_create(user=request.user, opportunity=opportunity, **data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            return _changed(_events(request, opportunity))
    return _events(request, opportunity, form=form)


@login_required
def event_edit(request: AuthedHttpRequest, opportunity_id: int, event_id: int) -> HttpResponse:
    opportunity = _deal(request, opportunity_id)
    event = _event(opportunity, event_id)
    if request.method != "POST":
        return _events(request, opportunity, editing=event)
    form = EventForm(request.POST, editing=True)
    if form.is_valid():
        changes = dict(form.cleaned_data)
        version = changes.pop("version")
        try:
            services.compelling_event_update(
                user=request.user,
                event=event,
                changes=changes,
                expected_version=version,
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            return _changed(_events(request, opportunity))
    return _events(request, opportunity, editing=event, edit_form=form)


def _event_action(
    request: AuthedHttpRequest, opportunity: Opportunity, action: Any
) -> HttpResponse:
    try:
        action()
    except DomainError as exc:
        return _events(request, opportunity, error=exc.detail)
    return _changed(_events(request, opportunity))


@login_required
@require_POST
def event_confirm(request: AuthedHttpRequest, opportunity_id: int, event_id: int) -> HttpResponse:
    opportunity = _deal(request, opportunity_id)
    event = _event(opportunity, event_id)
    form = ConfirmForm(request.POST)
    if not form.is_valid():
        return _events(request, opportunity, error=_("Reload the page and try again."))
    return _event_action(
        request,
        opportunity,
        lambda: services.compelling_event_confirm(
            user=request.user,
            event=event,
            confirmed=form.cleaned_data["confirmed"],
            expected_version=form.cleaned_data["version"],
        ),
    )


@login_required
@require_POST
def event_archive(request: AuthedHttpRequest, opportunity_id: int, event_id: int) -> HttpResponse:
    opportunity = _deal(request, opportunity_id)
    event = _event(opportunity, event_id)
    return _event_action(
        request,
        opportunity,
        lambda: services.compelling_event_archive(user=request.user, event=event),
    )
