"""The relationship map (per account, ECharts, persona edited inline with htmx) and the
decision map (per opportunity). The page draws what the API returns, so the two agree."""

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wuwei.core.errors import DomainError
from wuwei.core.forms import add_domain_error
from wuwei.opportunities import partners
from wuwei.opportunities.models import Opportunity
from wuwei.org.http import AuthedHttpRequest
from wuwei.people import selectors, services
from wuwei.people.api.maps import (
    RelationshipMapOut,
    relationship_map_out,
)
from wuwei.people.forms import (
    DecisionInfluenceForm,
    ParticipantEditForm,
    ParticipantForm,
    PersonaForm,
)
from wuwei.people.models import (
    BehaviorOrientation,
    Contact,
    DecisionInfluence,
    DecisionParticipant,
    DecisionRole,
    InteractionLevel,
    RelationshipStatus,
    RelationshipStrategy,
)
from wuwei.people.views.common import allowed, found


def _labels() -> dict[str, Any]:
    """Translated labels for the map's legend and tooltips."""
    return {
        "status": dict(RelationshipStatus.choices),
        "interaction": dict(InteractionLevel.choices),
        "orientation": dict(BehaviorOrientation.choices),
        "unknown": _("Not recorded"),
        "us": _("Us"),
        "reportsTo": _("Reports to"),
        "influences": _("Influences"),
        "influence": _("Influence"),
        "circle": _("Circle"),
        "noCircle": _("No circle"),
        "connections": _("Connections"),
    }


@login_required
def relationship_map_page(request: AuthedHttpRequest, account_id: int) -> HttpResponse:
    data = found(
        selectors.relationship_map,
        user=request.user,
        account_id=account_id,
        as_of=timezone.localdate(),
    )
    payload = relationship_map_out(data)
    return render(
        request,
        "people/map.html",
        {
            "account": data.account,
            "map": data,
            "map_json": RelationshipMapOut.model_validate(payload).model_dump(mode="json"),
            "labels": _labels(),
            "api_url": reverse("api:relationship_map", args=[data.account.pk]),
            "persona_url": reverse("people:persona", args=[0]),
            "coverage": selectors.account_connection_coverage(account_id=data.account.pk),
        },
    )


def _persona_response(
    request: AuthedHttpRequest, contact: Contact, form: PersonaForm, saved: bool
) -> HttpResponse:
    circles = (
        Contact.objects.filter(account_id=contact.account_id, archived_at__isnull=True)
        .exclude(circle="")
        .order_by("circle")
        .values_list("circle", flat=True)
        .distinct()
    )
    response = render(
        request,
        "people/_persona.html",
        {"contact": contact, "form": form, "saved": saved, "circles": circles},
    )
    if saved:
        response["HX-Trigger"] = json.dumps({"persona-saved": {"contact": contact.pk}})
    return response


@login_required
def persona_edit(request: AuthedHttpRequest, contact_id: int) -> HttpResponse:
    """The inline persona editor (an htmx fragment) of one node of the map."""
    contact = found(selectors.contact_get, user=request.user, id=contact_id)
    if request.method != "POST":
        form = PersonaForm(initial=PersonaForm.initial_from(contact))
        return _persona_response(request, contact, form, saved=False)
    form = PersonaForm(request.POST)
    if form.is_valid():
        changes = dict(form.cleaned_data)
        version = changes.pop("version")
        try:
            contact = allowed(
                services.contact_update,
                user=request.user,
                contact=contact,
                expected_version=version,
                changes=changes,
            )
            form = PersonaForm(initial=PersonaForm.initial_from(contact))
            return _persona_response(request, contact, form, saved=True)
        except DomainError as exc:
            add_domain_error(form, exc)
    return _persona_response(request, contact, form, saved=False)


def _opportunity(request: AuthedHttpRequest, opportunity_id: int) -> Opportunity:
    return found(
        partners.internal_deal,
        user=request.user,
        queryset=Opportunity.objects.select_related("account"),
        opportunity_id=opportunity_id,
    )


@login_required
def decision_map_page(request: AuthedHttpRequest, opportunity_id: int) -> HttpResponse:
    opportunity = _opportunity(request, opportunity_id)
    form = ParticipantForm(request.POST or None, user=request.user, opportunity=opportunity)
    if request.method == "POST" and form.is_valid():
        try:
            allowed(
                services.participant_add,
                user=request.user,
                opportunity=opportunity,
                contact=form.cleaned_data["contact"],
                decision_role=form.cleaned_data["decision_role"],
                relationship_status=form.cleaned_data["relationship_status"] or None,
            )
            messages.success(request, _("Added to the decision map."))
            return redirect("people:decision_map", opportunity.pk)
        except DomainError as exc:
            add_domain_error(form, exc)
    data = selectors.decision_map(user=request.user, opportunity_id=opportunity.pk)
    roles = dict(DecisionRole.choices)
    names = {p.id: f"{p.name} · {roles.get(p.decision_role, '')}" for p in data.participants}
    return render(
        request,
        "people/decision_map.html",
        {
            "opportunity": opportunity,
            "map": data,
            "participant_form": form,
            "influence_form": DecisionInfluenceForm(opportunity=opportunity),
            "influences": [(i, names.get(i.source), names.get(i.target)) for i in data.influences],
            "rows": [
                (
                    p,
                    ParticipantEditForm(
                        initial={
                            "decision_role": p.decision_role,
                            "relationship_status": p.relationship_status,
                            "strategy": p.strategy if p.strategy_is_override else "",
                            "strategy_reason": p.strategy_reason,
                            "version": p.version,
                        },
                        prefix=f"p{p.id}",
                    ),
                )
                for p in data.participants
            ],
            "labels": {
                "status": dict(RelationshipStatus.choices),
                "interaction": dict(InteractionLevel.choices),
                "role": dict(DecisionRole.choices),
                "strategy": dict(RelationshipStrategy.choices),
            },
        },
    )


def _participant(request: AuthedHttpRequest, opportunity_id: int, pk: int) -> DecisionParticipant:
    opportunity = _opportunity(request, opportunity_id)
    participant = DecisionParticipant.objects.filter(opportunity=opportunity, pk=pk).first()
    if participant is None:
        raise Http404
    return participant


@login_required
@require_POST
def participant_edit(
    request: AuthedHttpRequest, opportunity_id: int, participant_id: int
) -> HttpResponse:
    participant = _participant(request, opportunity_id, participant_id)
    form = ParticipantEditForm(request.POST, prefix=f"p{participant.pk}")
    if form.is_valid():
        changes = dict(form.cleaned_data)
        version = changes.pop("version")
        try:
            allowed(
                services.participant_update,
                user=request.user,
                participant=participant,
                expected_version=version,
                changes=changes,
            )
            messages.success(request, _("Saved."))
        except DomainError as exc:
            messages.error(request, exc.detail)
    else:
        messages.error(request, _("Please correct the errors below."))
    return redirect("people:decision_map", opportunity_id)


@login_required
@require_POST
def participant_remove(
    request: AuthedHttpRequest, opportunity_id: int, participant_id: int
) -> HttpResponse:
    participant = _participant(request, opportunity_id, participant_id)
    allowed(services.participant_remove, user=request.user, participant=participant)
    messages.success(request, _("Removed from the decision map."))
    return redirect("people:decision_map", opportunity_id)


@login_required
@require_POST
def decision_influence_add(request: AuthedHttpRequest, opportunity_id: int) -> HttpResponse:
    opportunity = _opportunity(request, opportunity_id)
    form = DecisionInfluenceForm(request.POST, opportunity=opportunity)
    if form.is_valid():
        try:
            allowed(
                services.decision_influence_add,
                user=request.user,
                source=form.cleaned_data["source"],
                target=form.cleaned_data["target"],
            )
        except DomainError as exc:
            messages.error(request, exc.detail)
    return redirect("people:decision_map", opportunity.pk)


@login_required
@require_POST
def decision_influence_remove(
    request: AuthedHttpRequest, opportunity_id: int, influence_id: int
) -> HttpResponse:
    opportunity = _opportunity(request, opportunity_id)
    edge = DecisionInfluence.objects.filter(opportunity=opportunity, pk=influence_id).first()
    if edge is None:
        raise Http404
    allowed(services.decision_influence_remove, user=request.user, influence=edge)
    return redirect("people:decision_map", opportunity.pk)
