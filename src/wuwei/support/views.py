"""The delivery centre board and the deal's support page: validate → selector/service."""

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from wuwei.core.errors import DomainError, NotFound, ValidationFailed
from wuwei.core.exports import Column, display, export_format, export_response
from wuwei.core.forms import add_domain_error
from wuwei.opportunities.models import Opportunity
from wuwei.org.http import AuthedHttpRequest
from wuwei.org.models import User
from wuwei.support import selectors, services
from wuwei.support.forms import (
    AssignForm,
    DecisionForm,
    RequestForm,
    StageOwnerForm,
    StageScoreForm,
)
from wuwei.support.models import CreditSplit, PresalesRequest, RequestState
from wuwei.support.warnings import request_warnings

BOARD_ROWS = 50

REQUEST_COLUMNS = [
    Column(gettext_lazy("ID"), lambda r: r.pk),
    Column(gettext_lazy("Opportunity"), lambda r: r.opportunity.name),
    Column(gettext_lazy("Account"), lambda r: r.opportunity.account.name),
    Column(gettext_lazy("Grade"), lambda r: r.opportunity.grade),
    Column(gettext_lazy("Queue"), display(PresalesRequest, "queue")),
    Column(gettext_lazy("Delivery unit"), lambda r: r.unit.name if r.unit else ""),
    Column(gettext_lazy("Skills"), lambda r: r.skills),
    Column(gettext_lazy("Days"), lambda r: r.effort_days),
    Column(gettext_lazy("Start"), lambda r: r.start),
    Column(gettext_lazy("End"), lambda r: r.end),
    Column(gettext_lazy("State"), display(PresalesRequest, "state")),
    Column(gettext_lazy("Requested by"), lambda r: r.requested_by),
]
PERFORMANCE_COLUMNS = [
    Column(gettext_lazy("Person"), lambda row: row),
    Column(gettext_lazy("Team"), lambda row: row.team.name if row.team else ""),
    Column(gettext_lazy("Credited"), lambda row: row.credited),
    Column(gettext_lazy("Deals"), lambda row: row.deals_credited),
    Column(gettext_lazy("Scores"), lambda row: row.scores_received),
    Column(gettext_lazy("Average score"), lambda row: row.score_average),
    Column(gettext_lazy("Days"), lambda row: row.days_spent),
    Column(gettext_lazy("Cost"), lambda row: row.cost),
    Column(gettext_lazy("Return"), lambda row: selectors.performance_return(row)),
]


def _request(request: AuthedHttpRequest, request_id: int) -> PresalesRequest:
    try:
        return selectors.request_get(user=request.user, id=request_id)
    except NotFound:
        raise Http404 from None


def _deal(request: AuthedHttpRequest, opportunity_id: int) -> Opportunity:
    try:
        return selectors.opportunity_get(user=request.user, id=opportunity_id)
    except NotFound:
        raise Http404 from None


@login_required
def board(request: AuthedHttpRequest) -> HttpResponseBase:
    """Requests queue, assignments, load heat map per person × ISO week, budget burn."""
    if fmt := export_format(request):  # the whole queue of open requests
        requests = selectors.request_list(
            user=request.user, filters=selectors.RequestFilters(open_only=True)
        ).order_by("start", "id")
        return export_response(
            request, requests, REQUEST_COLUMNS, filename="presales-requests", fmt=fmt
        )
    today = timezone.localdate()
    queue = selectors.request_list(
        user=request.user, filters=selectors.RequestFilters(open_only=True)
    ).order_by("start", "id")[:BOARD_ROWS]
    assignments = (
        selectors.assignment_list(user=request.user, active=True)
        .filter(end__gte=today - timedelta(days=7))
        .order_by("start", "id")[:BOARD_ROWS]
    )
    heat = selectors.load_heatmap(user=request.user, start=today - timedelta(days=7), weeks=10)
    context: dict[str, Any] = {
        "queue": queue,
        "assignments": assignments,
        "heat": {"weeks": heat.weeks, "people": heat.people, "cells": heat.cells},
        "heat_rows": len(heat.people),
        "burn": selectors.budget_burn(user=request.user, limit=BOARD_ROWS),
    }
    return render(request, "support/board.html", context)


@login_required
def performance(request: AuthedHttpRequest) -> HttpResponseBase:
    if fmt := export_format(request):
        report = selectors.performance_report(user=request.user)
        return export_response(
            request, report, PERFORMANCE_COLUMNS, filename="presales-performance", fmt=fmt
        )
    rows = list(selectors.performance_report(user=request.user)[:500])
    for row in rows:
        row.return_ratio = selectors.performance_return(row)  # type: ignore[attr-defined]
    return render(request, "support/performance.html", {"rows": rows})


def _request_page(
    request: AuthedHttpRequest,
    presales_request: PresalesRequest,
    assign_form: AssignForm | None = None,
    decision_form: DecisionForm | None = None,
) -> HttpResponse:
    can_lead = services.can_lead_queue(request.user, presales_request)
    context = {
        "item": presales_request,
        "can_lead": can_lead,
        "proposals": (
            selectors.proposals(user=request.user, request=presales_request, limit=8)
            if can_lead and presales_request.state in (RequestState.QUEUED, RequestState.ASSIGNED)
            else []
        ),
        "assignments": selectors.assignment_list(
            user=request.user, request=presales_request.pk
        ).order_by("start", "id"),
        "approvals": presales_request.budget_approvals.select_related("asked_by", "decided_by"),
        "assign_form": assign_form
        or AssignForm(
            initial={
                "days": presales_request.effort_days,
                "start": presales_request.start,
                "end": presales_request.end,
            }
        ),
        "decision_form": decision_form or DecisionForm(),
    }
    return render(request, "support/request.html", context)


@login_required
def request_detail(request: AuthedHttpRequest, request_id: int) -> HttpResponse:
    return _request_page(request, _request(request, request_id))


@login_required
@require_POST
def request_assign(request: AuthedHttpRequest, request_id: int) -> HttpResponse:
    presales_request = _request(request, request_id)
    form = AssignForm(request.POST)
    if form.is_valid():
        try:
            resource = selectors.resource_get(user=request.user, id=form.cleaned_data["resource"])
            services.assignment_create(
                user=request.user,
                request=presales_request,
                resource=resource,
                days=form.cleaned_data["days"],
                start=form.cleaned_data["start"],
                end=form.cleaned_data["end"],
                allow_over_capacity=form.cleaned_data["allow_over_capacity"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("%(person)s assigned.") % {"person": resource})
            return redirect("support:board")
    return _request_page(request, presales_request, assign_form=form)


@login_required
@require_POST
def request_decide(request: AuthedHttpRequest, request_id: int) -> HttpResponse:
    presales_request = _request(request, request_id)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.request_decide(
                user=request.user,
                request=presales_request,
                approve=form.cleaned_data["approve"],
                comment=form.cleaned_data["comment"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Decision recorded."))
            return redirect("support:request", presales_request.pk)
    return _request_page(request, presales_request, decision_form=form)


def _owner_choices(deal: Opportunity) -> Any:
    """A stage owner comes from the people on the deal (owner, team, assigned presales)."""
    people = services.deal_participants(deal)
    return User.objects.filter(pk__in=people, is_active=True).order_by("username")


def _deal_page(
    request: AuthedHttpRequest,
    deal: Opportunity,
    request_form: RequestForm | None = None,
    owner_form: StageOwnerForm | None = None,
) -> HttpResponse:
    context = {
        "deal": deal,
        "path": selectors.stage_path(deal),
        "summary": selectors.ledger_summary(deal),
        "ledger": selectors.ledger_list(opportunity=deal).order_by("-id")[:100],
        "requests": selectors.request_list(
            user=request.user, filters=selectors.RequestFilters(opportunity=deal.pk)
        ).order_by("-id"),
        "credits": CreditSplit.objects.filter(opportunity=deal)
        .select_related("user")
        .order_by("id"),
        "warnings": request_warnings(deal),
        "request_form": request_form or RequestForm(),
        "owner_form": owner_form or StageOwnerForm(owners=_owner_choices(deal)),
    }
    return render(request, "support/deal.html", context)


@login_required
def deal(request: AuthedHttpRequest, opportunity_id: int) -> HttpResponse:
    return _deal_page(request, _deal(request, opportunity_id))


@login_required
@require_POST
def deal_request(request: AuthedHttpRequest, opportunity_id: int) -> HttpResponse:
    opportunity = _deal(request, opportunity_id)
    form = RequestForm(request.POST)
    if form.is_valid():
        try:
            created = services.request_create(
                user=request.user, opportunity=opportunity, **form.cleaned_data
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(
                request,
                _("Request sent to the %(queue)s queue.") % {"queue": created.get_queue_display()},
            )
            return redirect("support:deal", opportunity.pk)
    return _deal_page(request, opportunity, request_form=form)


@login_required
@require_POST
def deal_stage_owner(request: AuthedHttpRequest, opportunity_id: int) -> HttpResponse:
    opportunity = _deal(request, opportunity_id)
    form = StageOwnerForm(request.POST, owners=_owner_choices(opportunity))
    if form.is_valid():
        try:
            services.stage_owner_reassign(
                user=request.user, opportunity=opportunity, **form.cleaned_data
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Stage owner changed."))
            return redirect("support:deal", opportunity.pk)
    return _deal_page(request, opportunity, owner_form=form)


# ----------------------------------------------------------------------------------------
# stage-exit scores (§5.4 "everyone assessed")


def _score_forms(pending: list[selectors.PendingScores], back: str) -> list[Any]:
    """(pending stage, [(participant, form)]) for the page: one small form per score."""
    return [
        (
            item,
            [
                (
                    person,
                    StageScoreForm(
                        initial={"stage": item.stage, "participant": person.pk, "back": back},
                        prefix=f"s{item.opportunity.pk}-{item.stage}-{person.pk}",
                    ),
                )
                for person in item.participants
            ],
        )
        for item in pending
    ]


@login_required
def scores(request: AuthedHttpRequest) -> HttpResponse:
    """The stage-exit scores the user owes, over every deal (linked from notifications)."""
    pending = selectors.pending_scores(user=request.user)
    return render(request, "support/scores.html", {"pending": _score_forms(pending, "list")})


@login_required
def deal_scores(request: AuthedHttpRequest, opportunity_id: int) -> HttpResponse:
    """GET: the deal's Stage scores (the tab's htmx fragment, or a page of its own); POST:
    one score, through the same service as the API."""
    opportunity = _deal(request, opportunity_id)
    if request.method == "POST":
        return _score_submit(request, opportunity)
    context = {
        "deal": opportunity,
        "pending": _score_forms(
            selectors.pending_scores(user=request.user, opportunity_id=opportunity.pk), "deal"
        ),
        "given": selectors.scores_given(user=request.user, opportunity=opportunity),
        "scoring": selectors.stage_scoring(opportunity=opportunity),
    }
    if request.htmx:
        return render(request, "support/_deal_scores.html", context)
    return render(request, "support/deal_scores.html", context)


def _score_submit(request: AuthedHttpRequest, opportunity: Opportunity) -> HttpResponse:
    prefix = next(
        (key.removesuffix("-score") for key in request.POST if key.endswith("-score")), None
    )
    form = StageScoreForm(request.POST, prefix=prefix)
    back = request.POST.get(f"{prefix}-back") if prefix else None
    if not form.is_valid():
        messages.error(request, _("Give a score from 0 to 100."))
    else:
        data = form.cleaned_data
        participant = User.objects.filter(pk=data["participant"]).first()
        try:
            if participant is None:
                raise ValidationFailed(_("Score someone else who takes part in the deal."))
            services.stage_score_submit(
                user=request.user,
                opportunity=opportunity,
                stage=data["stage"],
                participant=participant,
                score=data["score"],
                comment=data["comment"],
            )
        except DomainError as exc:
            messages.error(request, exc.detail)
        else:
            messages.success(
                request,
                _("%(person)s scored %(score)s.") % {"person": participant, "score": data["score"]},
            )
    if back == "list":
        return redirect("support:scores")
    return redirect(reverse("opportunities:detail", args=[opportunity.pk]) + "#scores")
