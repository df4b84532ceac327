"""Writes from the account page's tabs: grading, overrides, plans, actions, tactics,
monitoring, evaluation and visits. Each validates, calls one service, then shows the tab
again (the htmx fragment, or a redirect for a plain form post)."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wuwei.accounts import forms, selectors, services
from wuwei.accounts.models import Account
from wuwei.accounts.views.tabs import tab_context
from wuwei.core.errors import DomainError, NotAllowed, NotFound
from wuwei.core.forms import add_domain_error
from wuwei.methodology.grading import AccountScores
from wuwei.org.http import AuthedHttpRequest


def _account(request: AuthedHttpRequest, account_id: int) -> Account:
    try:
        return selectors.account_get(user=request.user, id=account_id)
    except NotFound:
        raise Http404 from None


def _is_htmx(request: AuthedHttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def _show(
    request: AuthedHttpRequest, account_id: int, tab: str, query: str = "", **forms_in_error: Any
) -> HttpResponse:
    """The tab again: with the failing form when there is one, else fresh."""
    if not forms_in_error and not _is_htmx(request):
        return redirect(reverse("accounts:detail", args=[account_id]) + f"?tab={tab}{query}")
    account = _account(request, account_id)
    context = tab_context(request, account, tab, **forms_in_error)
    template = f"accounts/tabs/_{tab}.html" if _is_htmx(request) else "accounts/detail.html"
    return render(request, template, context, status=200 if _is_htmx(request) else 422)


def _run(form: Any, call: Callable[[], Any]) -> bool:
    """Call the service; a refusal lands on the form. NotAllowed is a 403."""
    try:
        call()
    except NotAllowed as exc:
        raise PermissionDenied(exc.detail) from None
    except DomainError as exc:
        add_domain_error(form, exc)
        return False
    return True


@login_required
@require_POST
def grading_save(request: AuthedHttpRequest, account_id: int) -> HttpResponse:
    account = _account(request, account_id)
    form = forms.GradingForm(request.POST)
    names = ("revenue", "potential", "demonstration", "can_win_deliver")
    if form.is_valid() and _run(
        form,
        lambda: services.account_grade(
            user=request.user,
            account=account,
            scores=AccountScores(*(form.cleaned_data[n] for n in names)),
            justifications={n: form.cleaned_data[f"{n}_justification"] for n in names},
        ),
    ):
        messages.success(request, _("Grading saved."))
        return _show(request, account_id, "grading")
    return _show(request, account_id, "grading", grading_form=form)


def _override(request: AuthedHttpRequest, account_id: int, kind: str) -> HttpResponse:
    account = _account(request, account_id)
    factory = forms.ka_profile_form if kind == "ka" else forms.strategy_form
    form = factory(request.POST)
    service = (
        services.account_ka_profile_override if kind == "ka" else services.account_strategy_override
    )
    if form.is_valid():
        data = form.cleaned_data
        value = None if data["clear"] else data["value"]
        arguments = {"profile" if kind == "ka" else "strategy": value}
        if _run(
            form,
            lambda: service(
                user=request.user,
                account=account,
                reason=data["reason"],
                expected_version=data["version"],
                **arguments,
            ),
        ):
            messages.success(request, _("Saved."))
            return _show(request, account_id, "overview")
    name = "ka_form" if kind == "ka" else "strategy_form"
    return _show(request, account_id, "overview", "", **{name: form})


@login_required
@require_POST
def ka_profile_save(request: AuthedHttpRequest, account_id: int) -> HttpResponse:
    return _override(request, account_id, "ka")


@login_required
@require_POST
def strategy_save(request: AuthedHttpRequest, account_id: int) -> HttpResponse:
    return _override(request, account_id, "strategy")


def _comparisons(request: AuthedHttpRequest) -> tuple[list[Any], list[Any]]:
    comparison_forms = [
        forms.ComparisonForm(request.POST, prefix=f"c{rank}", user=request.user) for rank in (1, 2)
    ]
    items = []
    for rank, form in enumerate(comparison_forms, start=1):
        if form.is_valid() and form.cleaned_data["competitor"] is not None:
            items.append(
                services.CompetitorComparison(
                    competitor=form.cleaned_data["competitor"],
                    rank=rank,
                    solution_comparison=form.cleaned_data["solution_comparison"],
                    strength_comparison=form.cleaned_data["strength_comparison"],
                    is_ahead=form.cleaned_data["is_ahead"],
                )
            )
    return comparison_forms, items


@login_required
@require_POST
def plan_save(request: AuthedHttpRequest, account_id: int) -> HttpResponse:
    """Create the year's plan, or update it when it exists."""
    account = _account(request, account_id)
    form = forms.PlanForm(request.POST)
    comparison_forms, comparisons = _comparisons(request)
    if form.is_valid() and all(f.is_valid() for f in comparison_forms):
        data = dict(form.cleaned_data)
        year, version = data.pop("year"), data.pop("version")
        existing = next(
            (p for p in selectors.plan_list(user=request.user, account=account) if p.year == year),
            None,
        )

        def save() -> Any:
            if existing is None:
                return services.plan_create(
                    user=request.user, account=account, year=year, competitors=comparisons, **data
                )
            return services.plan_update(
                user=request.user,
                plan=existing,
                changes=data,
                competitors=comparisons,
                expected_version=version or existing.version,
            )

        if _run(form, save):
            messages.success(request, _("Plan saved."))
            return _show(request, account_id, "plan", f"&year={year}")
    return _show(request, account_id, "plan", plan_form=form, comparison_forms=comparison_forms)


def _plan(request: AuthedHttpRequest, account: Account, plan_id: int) -> Any:
    try:
        return selectors.plan_get(user=request.user, account=account, id=plan_id)
    except NotFound:
        raise Http404 from None


@login_required
@require_POST
def action_add(request: AuthedHttpRequest, account_id: int, plan_id: int) -> HttpResponse:
    account = _account(request, account_id)
    plan = _plan(request, account, plan_id)
    form = forms.ActionForm(request.POST, user=request.user)
    if form.is_valid() and _run(
        form, lambda: services.action_create(user=request.user, plan=plan, **form.cleaned_data)
    ):
        return _show(request, account_id, "plan", f"&year={plan.year}")
    return _show(request, account_id, "plan", action_form=form)


@login_required
@require_POST
def action_status(
    request: AuthedHttpRequest, account_id: int, plan_id: int, action_id: int
) -> HttpResponse:
    account = _account(request, account_id)
    plan = _plan(request, account, plan_id)
    try:
        action = selectors.action_get(user=request.user, plan=plan, id=action_id)
        services.action_update(
            user=request.user,
            action=action,
            changes={"status": request.POST.get("status", "")},
            expected_version=int(request.POST.get("version") or 0),
        )
    except NotFound:
        raise Http404 from None
    except NotAllowed as exc:
        raise PermissionDenied(exc.detail) from None
    except (DomainError, ValueError):
        messages.error(request, _("The action could not be updated; reload and try again."))
    return _show(request, account_id, "plan", f"&year={plan.year}")


@login_required
@require_POST
def tactics_adopt(request: AuthedHttpRequest, account_id: int, plan_id: int) -> HttpResponse:
    account = _account(request, account_id)
    plan = _plan(request, account, plan_id)
    form = forms.AdoptForm(request.POST, tactics=selectors.tactic_list(user=request.user))
    if form.is_valid() and _run(
        form,
        lambda: services.plan_adopt_tactics(
            user=request.user,
            plan=plan,
            tactics=list(form.cleaned_data["tactics"]),
            due=form.cleaned_data["due"],
        ),
    ):
        messages.success(request, _("Tactics adopted as plan actions."))
        return _show(request, account_id, "plan", f"&year={plan.year}")
    return _show(request, account_id, "plan", adopt_form=form)


@login_required
@require_POST
def monitoring_add(request: AuthedHttpRequest, account_id: int) -> HttpResponse:
    account = _account(request, account_id)
    form = forms.MonitoringForm(request.POST)
    if form.is_valid() and _run(
        form,
        lambda: services.monitoring_record_create(
            user=request.user, account=account, **form.cleaned_data
        ),
    ):
        messages.success(request, _("Monitoring record saved."))
        return _show(request, account_id, "overview")
    return _show(request, account_id, "overview", monitoring_form=form)


@login_required
@require_POST
def evaluation_add(request: AuthedHttpRequest, account_id: int) -> HttpResponse:
    account = _account(request, account_id)
    form = forms.EvaluationForm(request.POST)
    if form.is_valid() and _run(
        form,
        lambda: services.evaluation_save(user=request.user, account=account, **form.cleaned_data),
    ):
        messages.success(request, _("Evaluation saved."))
        return _show(request, account_id, "overview")
    return _show(request, account_id, "overview", evaluation_form=form)


@login_required
@require_POST
def visit_add(request: AuthedHttpRequest, account_id: int) -> HttpResponse:
    account = _account(request, account_id)
    form = forms.VisitForm(request.POST)
    if form.is_valid() and _run(
        form,
        lambda: services.visit_plan(user=request.user, account=account, **form.cleaned_data),
    ):
        messages.success(request, _("Visit planned."))
        return _show(request, account_id, "plan")
    return _show(request, account_id, "plan", visit_form=form)


@login_required
@require_POST
def visit_outcome(request: AuthedHttpRequest, account_id: int, visit_id: int) -> HttpResponse:
    account = _account(request, account_id)
    try:
        visit = selectors.visit_get(user=request.user, account=account, id=visit_id)
    except NotFound:
        raise Http404 from None
    form = forms.OutcomeForm(request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        if _run(
            form,
            lambda: services.visit_record(
                user=request.user, visit=visit, expected_version=version, **data
            ),
        ):
            messages.success(request, _("Visit recorded."))
            return _show(request, account_id, "plan")
    return _show(request, account_id, "plan", outcome_form=form, outcome_visit=visit.pk)
