"""What each tab of the account page shows: a selector call per tab, nothing else."""

from datetime import date
from typing import Any

from wuwei.accounts import custom, forms, selectors
from wuwei.accounts.contacts import contact_source
from wuwei.accounts.models import Account, ActionStatus
from wuwei.accounts.timeline import account_timeline
from wuwei.core.config import method_config
from wuwei.org.http import AuthedHttpRequest

TABS = ("overview", "contacts", "opportunities", "plan", "grading", "timeline")


def _overview(request: AuthedHttpRequest, account: Account) -> dict[str, Any]:
    user = request.user
    today = date.today()
    return {
        "rollup": selectors.account_rollup(user=user, account=account),
        "children": selectors.account_list(
            user=user, filters=selectors.AccountFilters(parent=account.pk)
        ).order_by("name")[:50],
        "ka_form": forms.ka_profile_form(
            initial={"value": account.ka_profile, "version": account.version}
        ),
        "strategy_form": forms.strategy_form(
            initial={"value": account.strategy, "version": account.version}
        ),
        "monitoring": list(
            selectors.monitoring_list(user=user, account=account).order_by("-recorded_on", "-id")[
                :10
            ]
        ),
        "monitoring_form": forms.MonitoringForm(initial={"recorded_on": today}),
        "evaluations": list(selectors.evaluation_list(user=user, account=account)[:5]),
        "evaluation_form": forms.EvaluationForm(initial={"year": today.year}),
        "custom_values": custom.shown_values(
            selectors.custom_field_definitions(user=user), account.custom_fields or {}
        ),
    }


def _contacts(request: AuthedHttpRequest, account: Account) -> dict[str, Any]:
    contacts = contact_source().for_account(request.user, account)
    return {"contacts": contacts.order_by("name")[:200]}


def _opportunities(request: AuthedHttpRequest, account: Account) -> dict[str, Any]:
    opportunities = selectors.account_opportunities(user=request.user, account=account)
    return {"opportunities": opportunities.order_by("-created_at")[:200]}


def _plan(request: AuthedHttpRequest, account: Account) -> dict[str, Any]:
    user = request.user
    plans = list(selectors.plan_list(user=user, account=account).order_by("-year"))
    year = int(request.GET.get("year") or 0) or (plans[0].year if plans else date.today().year)
    plan = next((p for p in plans if p.year == year), None)
    strategy = (plan.strategy if plan else "") or account.strategy
    tactics = selectors.tactic_list(user=user, strategy=strategy or None).order_by(
        "strategy", "position", "id"
    )
    competitors = list(plan.competitors.all()) if plan else []
    comparison_forms = [
        forms.ComparisonForm(
            prefix=f"c{rank}",
            user=user,
            initial=next(
                (
                    {
                        "competitor": c.competitor_id,
                        "solution_comparison": c.solution_comparison,
                        "strength_comparison": c.strength_comparison,
                        "is_ahead": c.is_ahead,
                    }
                    for c in competitors
                    if c.rank == rank
                ),
                {},
            ),
        )
        for rank in (1, 2)
    ]
    initial = {"year": year, "strategy": account.strategy}
    if plan is not None:
        initial.update({f: getattr(plan, f) for f in forms.PlanForm.base_fields if f != "year"})
    visits = selectors.visit_list(user=user, account=account).order_by("-planned_on", "-id")[:50]
    return {
        "plans": plans,
        "plan": plan,
        "year": year,
        "plan_form": forms.PlanForm(initial=initial),
        "comparison_forms": comparison_forms,
        "action_form": forms.ActionForm(user=user, initial={"owner": user.pk}),
        "adopt_form": forms.AdoptForm(tactics=tactics) if plan else None,
        "visits": visits,
        "action_statuses": ActionStatus.choices,
        "visit_form": forms.VisitForm(initial={"planned_on": date.today()}),
        "outcome_form": forms.OutcomeForm(initial={"visited_on": date.today()}),
    }


def _grading(request: AuthedHttpRequest, account: Account) -> dict[str, Any]:
    history = selectors.grading_history(user=request.user, account=account)
    current = history[0] if history else None
    initial: dict[str, Any] = {}
    if current is not None:
        for name in ("revenue", "potential", "demonstration", "can_win_deliver"):
            initial[name] = getattr(current, name)
            initial[f"{name}_justification"] = getattr(current, f"{name}_justification")
    config = method_config()
    return {
        "history": history,
        "current": current,
        "grading_form": forms.GradingForm(initial=initial),
        "weights": config.grading,
        "thresholds": config.grading.thresholds_for(account.industry),
    }


def _timeline(request: AuthedHttpRequest, account: Account) -> dict[str, Any]:
    return {"timeline": account_timeline(user=request.user, account=account)}


BUILDERS = {
    "overview": _overview,
    "contacts": _contacts,
    "opportunities": _opportunities,
    "plan": _plan,
    "grading": _grading,
    "timeline": _timeline,
}


def tab_context(
    request: AuthedHttpRequest, account: Account, tab: str, **extra: Any
) -> dict[str, Any]:
    context = {"account": account, "tab": tab, "tabs": TABS, **BUILDERS[tab](request, account)}
    context.update(extra)
    return context
