"""The deal page's "Strategy" and "Value proposition" tabs (htmx fragments, loaded lazily and
re-rendered after each form), and the competitive tactics library page. Every write calls the
same service as the API; without htmx a form post redirects back to the tab."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from wuwei.core.errors import DomainError, NotAllowed, NotFound
from wuwei.core.tactics.views import TacticLibraryPages
from wuwei.core.visibility import visible
from wuwei.opportunities.models import CompetitiveStrategy, DealTactic, Opportunity
from wuwei.opportunities.selectors import internal_opportunity_get as opportunity_get
from wuwei.org.http import AuthedHttpRequest
from wuwei.people.models import ActivityKind, Contact
from wuwei.pursuit import forms, selectors, services
from wuwei.pursuit.messages import reason_message


def _deal(request: AuthedHttpRequest, opportunity_id: int) -> Opportunity:
    try:
        return opportunity_get(user=request.user, id=opportunity_id)
    except NotFound:
        raise Http404 from None


def _deal_tactic(
    request: AuthedHttpRequest, opportunity: Opportunity, tactic_id: int
) -> DealTactic:
    try:
        return selectors.deal_tactic_get(user=request.user, opportunity=opportunity, id=tactic_id)
    except NotFound:
        raise Http404 from None


def _can_edit(user: Any, opportunity: Opportunity) -> bool:
    try:
        services.require_writer(user)
    except NotAllowed:
        return False
    return opportunity.archived_at is None


def _run(call: Callable[[], Any]) -> DomainError | None:
    """Call the service; its refusal is returned to show. NotAllowed is a 403."""
    try:
        call()
    except NotAllowed as exc:
        raise PermissionDenied(exc.detail) from None
    except DomainError as exc:
        return exc
    return None


def _error_text(error: DomainError) -> str:
    return " ".join([error.detail, *(message for _field, message in error.errors)])


def _respond(
    request: AuthedHttpRequest, opportunity: Opportunity, tab: str, error: DomainError | None = None
) -> HttpResponse:
    """The tab again: the fragment for htmx (200, with the refusal shown), else a redirect
    to the deal page opened on the tab."""
    if error is not None:
        messages.error(request, _error_text(error))
    if getattr(request, "htmx", False):
        if tab == "value":
            return value_fragment(request, opportunity)
        library = request.POST.get("library")  # the library the user was looking at
        library = library if library in CompetitiveStrategy.values else None
        return strategy_fragment(request, opportunity, library)
    return redirect(reverse("opportunities:detail", args=[opportunity.pk]) + f"#{tab}")


def _form_error(form: Any) -> DomainError:
    """A form that did not validate, as one refusal naming each field."""
    problems: list[tuple[str, str]] = []
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        label = str(field.label) if field is not None and field.label else ""
        problems.extend((name, f"{label}: {e}" if label else str(e)) for e in errors)
    return DomainError(_("Please correct the errors below."), problems)


# ----------------------------------------------------------------------------------------
# Strategy tab


def strategy_fragment(
    request: AuthedHttpRequest, opportunity: Opportunity, library: str | None = None
) -> HttpResponse:
    """The tab; the library shown is `library`, else the chosen strategy's, else the
    suggested one's."""
    user: Any = request.user
    view = selectors.strategy_view(user=user, opportunity=opportunity)
    shown = library or (view.chosen.strategy if view.chosen else str(view.suggestion.strategy))
    tactics = list(selectors.tactic_list(user=user, strategy=shown).order_by("position", "id"))
    adopted = list(selectors.deal_tactics(user=user, opportunity=opportunity).order_by("id"))
    adopted_ids = {t.tactic_id for t in adopted}
    context = {
        "opportunity": opportunity,
        "view": view,
        "reasons": [reason_message(r) for r in view.suggestion.reasons],
        "strategies": [
            (value, label, forms.STRATEGY_HELP[value])
            for value, label in CompetitiveStrategy.choices
        ],
        "suggested_label": CompetitiveStrategy(str(view.suggestion.strategy)).label,
        "shown_strategy": shown,
        "shown_label": CompetitiveStrategy(shown).label,
        "library": [(t, t.pk in adopted_ids) for t in tactics],
        "adopted": adopted,
        "people": list(forms.deal_people(opportunity).order_by("username")),
        "contacts": list(
            visible(Contact, user)
            .filter(account_id=opportunity.account_id, archived_at__isnull=True)
            .order_by("name", "id")
        ),
        "statuses": services.TacticStatus.choices,
        "kinds": ActivityKind.choices,
        "today": timezone.localdate(),
        "can_edit": _can_edit(user, opportunity),
    }
    return render(request, "pursuit/_strategy.html", context)


@login_required
@require_GET
def strategy_tab(request: AuthedHttpRequest, opportunity_id: int) -> HttpResponse:
    library = request.GET.get("library")
    library = library if library in CompetitiveStrategy.values else None
    return strategy_fragment(request, _deal(request, opportunity_id), library)


@login_required
@require_POST
def strategy_save(request: AuthedHttpRequest, opportunity_id: int) -> HttpResponse:
    opportunity = _deal(request, opportunity_id)
    form = forms.StrategyForm(request.POST)
    if not form.is_valid():
        return _respond(request, opportunity, "strategy", _form_error(form))
    data = form.cleaned_data
    suggestion = selectors.strategy_view(user=request.user, opportunity=opportunity).suggestion
    error = _run(
        lambda: services.deal_strategy_set(
            user=request.user,
            opportunity=opportunity,
            strategy=data["strategy"],
            rationale=data["rationale"],
            suggested=str(suggestion.strategy),
            expected_version=data["version"],
        )
    )
    if error is None:
        messages.success(request, _("Strategy saved."))
    return _respond(request, opportunity, "strategy", error)


@login_required
@require_POST
def tactics_adopt(request: AuthedHttpRequest, opportunity_id: int) -> HttpResponse:
    opportunity = _deal(request, opportunity_id)
    form = forms.AdoptForm(
        request.POST,
        tactics=selectors.tactic_list(user=request.user),
        people=forms.deal_people(opportunity),
    )
    if not form.is_valid():
        return _respond(request, opportunity, "strategy", _form_error(form))
    data = form.cleaned_data
    error = _run(
        lambda: services.deal_tactics_adopt(
            user=request.user,
            opportunity=opportunity,
            tactics=list(data["tactics"]),
            titles=[data["title"]] if data["title"] else [],
            owner=data["owner"],
            due=data["due"],
        )
    )
    return _respond(request, opportunity, "strategy", error)


@login_required
@require_POST
def tactic_update(request: AuthedHttpRequest, opportunity_id: int, tactic_id: int) -> HttpResponse:
    opportunity = _deal(request, opportunity_id)
    deal_tactic = _deal_tactic(request, opportunity, tactic_id)
    form = forms.DealTacticForm(request.POST, people=forms.deal_people(opportunity))
    if not form.is_valid():
        return _respond(request, opportunity, "strategy", _form_error(form))
    data = dict(form.cleaned_data)
    version = data.pop("version")
    error = _run(
        lambda: services.deal_tactic_update(
            user=request.user,
            deal_tactic=deal_tactic,
            changes=data,
            expected_version=version,
        )
    )
    return _respond(request, opportunity, "strategy", error)


@login_required
@require_POST
def tactic_activity(
    request: AuthedHttpRequest, opportunity_id: int, tactic_id: int
) -> HttpResponse:
    opportunity = _deal(request, opportunity_id)
    deal_tactic = _deal_tactic(request, opportunity, tactic_id)
    contacts = visible(Contact, request.user).filter(account_id=opportunity.account_id)
    form = forms.TacticActivityForm(request.POST, contacts=contacts)
    if not form.is_valid():
        return _respond(request, opportunity, "strategy", _form_error(form))
    data = form.cleaned_data
    error = _run(
        lambda: services.deal_tactic_to_activity(
            user=request.user,
            deal_tactic=deal_tactic,
            kind=data["kind"],
            occurred_on=data["occurred_on"],
            contacts=list(data["contacts"]),
        )
    )
    if error is None:
        messages.success(request, _("Activity recorded."))
    return _respond(request, opportunity, "strategy", error)


@login_required
@require_POST
def tactic_remove(request: AuthedHttpRequest, opportunity_id: int, tactic_id: int) -> HttpResponse:
    opportunity = _deal(request, opportunity_id)
    deal_tactic = _deal_tactic(request, opportunity, tactic_id)
    error = _run(lambda: services.deal_tactic_archive(user=request.user, deal_tactic=deal_tactic))
    return _respond(request, opportunity, "strategy", error)


# ----------------------------------------------------------------------------------------
# Value proposition tab


def _parties(view: selectors.ValueView) -> dict[str, Any]:
    return {"us": None, **{str(item.competitor.pk): item.competitor for item in view.competitors}}


def _cell(form: forms.ValueForm, dimension: str, party: str, cell: selectors.Cell) -> Any:
    """What one cell of the table shows: the posted values when the form came back."""
    rating_field, note_field = f"rating-{dimension}-{party}", f"note-{dimension}-{party}"
    rating, note = cell.rating, cell.note
    if form.is_bound:
        rating = int(form.data[rating_field]) if form.data.get(rating_field, "").isdigit() else None
        note = form.data.get(note_field, "")
    return {
        "party": party,
        "rating": rating,
        "note": note,
        "standing": cell.standing,
        "errors": [*form.errors.get(rating_field, []), *form.errors.get(note_field, [])],
    }


def value_fragment(
    request: AuthedHttpRequest, opportunity: Opportunity, form: forms.ValueForm | None = None
) -> HttpResponse:
    user: Any = request.user
    view = selectors.value_view(user=user, opportunity=opportunity)
    proposition = view.proposition
    if form is None:
        initial: dict[str, Any] = {
            "solution": proposition.solution if proposition else "",
            "business_value": proposition.business_value if proposition else "",
            "version": proposition.version if proposition else 0,
        }
        form = forms.ValueForm(initial=initial, parties=_parties(view))
    parties = [str(item.competitor.pk) for item in view.competitors]
    rows = [
        {
            "row": row,
            "us": _cell(form, row.dimension, "us", row.us),
            "cells": [
                _cell(form, row.dimension, party, cell)
                for party, cell in zip(parties, row.competitors, strict=True)
            ],
        }
        for row in view.rows
    ]
    context = {
        "opportunity": opportunity,
        "view": view,
        "form": form,
        "rows": rows,
        "ratings": range(1, 6),
        "can_edit": _can_edit(user, opportunity),
    }
    return render(request, "pursuit/_value.html", context)


@login_required
@require_GET
def value_tab(request: AuthedHttpRequest, opportunity_id: int) -> HttpResponse:
    return value_fragment(request, _deal(request, opportunity_id))


@login_required
@require_POST
def value_save(request: AuthedHttpRequest, opportunity_id: int) -> HttpResponse:
    opportunity = _deal(request, opportunity_id)
    view = selectors.value_view(user=request.user, opportunity=opportunity)
    form = forms.ValueForm(request.POST, parties=_parties(view))
    if not form.is_valid():
        if getattr(request, "htmx", False):  # keep what was typed, with the errors
            messages.error(request, _("Please correct the errors below."))
            return value_fragment(request, opportunity, form)
        return _respond(request, opportunity, "value", _form_error(form))
    shown = {item.competitor.pk for item in view.competitors}
    kept = [  # cells of competitors no longer in the top two stay as they were
        services.ComparisonInput(c.dimension, c.competitor, c.rating, c.note)
        for c in view.comparisons
        if c.competitor_id is not None and c.competitor_id not in shown
    ]
    data = form.cleaned_data
    error = _run(
        lambda: services.value_proposition_set(
            user=request.user,
            opportunity=opportunity,
            solution=data["solution"],
            business_value=data["business_value"],
            comparisons=[*form.comparisons(), *kept],
            expected_version=data["version"],
        )
    )
    if error is None:
        messages.success(request, _("Value proposition saved."))
    return _respond(request, opportunity, "value", error)


# ----------------------------------------------------------------------------------------
# the library page


#: The competitive strategies' tactics library pages: the one library editor (core.tactics).
LIBRARY_PAGES = TacticLibraryPages(
    library=services.COMPETITIVE_TACTICS,
    strategies=CompetitiveStrategy,
    namespace="opportunities",
    url_prefix="competitive_tactic",
    title=gettext_lazy("Competitive tactics"),
    heading=gettext_lazy("Competitive strategies and tactics"),
    testid="competitive-tactics",
    help=forms.STRATEGY_HELP,
)
