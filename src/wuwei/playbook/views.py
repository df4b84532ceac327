"""PRM pages (METHOD.md §6): the deal's Risks tab, deals at risk per team, rule
administration, lessons per rule. Partner users are outsiders to all of it (404)."""

from collections.abc import Iterator
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from wuwei.core.errors import DomainError, NotAllowed, NotFound
from wuwei.core.exports import Column, export_format, export_response
from wuwei.core.forms import add_domain_error
from wuwei.core.visibility import scope_for
from wuwei.opportunities.models import Opportunity
from wuwei.opportunities.selectors import opportunity_get
from wuwei.org.http import AuthedHttpRequest
from wuwei.playbook import selectors, services
from wuwei.playbook.forms import LessonForm, RiskFilterForm, RuleForm
from wuwei.playbook.gates import may_override
from wuwei.playbook.models import DealLesson, RuleKind


def _insider(request: AuthedHttpRequest) -> None:
    if scope_for(request.user).is_partner:
        raise Http404


def _deal(request: AuthedHttpRequest, opportunity_id: int) -> Opportunity:
    _insider(request)
    try:
        return opportunity_get(user=request.user, id=opportunity_id)
    except NotFound:
        raise Http404 from None


@login_required
def deal_tab(request: AuthedHttpRequest, opportunity_id: int) -> HttpResponse:
    """The deal page's Risks tab: the rules firing now, the gates ahead, the overrides, and
    for a closed deal its lesson."""
    deal = _deal(request, opportunity_id)
    return _tab(request, deal)


def _tab(
    request: AuthedHttpRequest, deal: Opportunity, lesson_form: LessonForm | None = None
) -> HttpResponse:
    items = selectors.risk_items([deal.pk]).get(deal.pk, [])
    lesson = DealLesson.objects.filter(opportunity=deal).first()
    if lesson is not None and lesson_form is None:
        lesson_form = LessonForm(
            initial={"decided_by": lesson.decided_by, "version": lesson.version}
        )
    context = {
        "deal": deal,
        "items": items,
        "gates": selectors.gates_for_grade(deal.grade),
        "overrides": selectors.deal_overrides(deal),
        "can_override": may_override(request.user, deal),
        "lesson": lesson,
        "lesson_rules": list(lesson.rules.select_related("rule")) if lesson else [],
        "lesson_form": lesson_form,
    }
    return render(request, "playbook/_deal_tab.html", context)


@login_required
@require_POST
def lesson_save(request: AuthedHttpRequest, opportunity_id: int) -> HttpResponse:
    deal = _deal(request, opportunity_id)
    lesson = DealLesson.objects.filter(opportunity=deal).first()
    if lesson is None:
        raise Http404
    form = LessonForm(request.POST)
    if form.is_valid():
        try:
            services.lesson_update(
                user=request.user,
                lesson=lesson,
                decided_by=form.cleaned_data["decided_by"],
                expected_version=form.cleaned_data["version"],
            )
        except NotAllowed as exc:
            raise PermissionDenied(exc.detail) from None
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            if not request.htmx:
                messages.success(request, _("Lesson saved."))
                return redirect("opportunities:detail", deal.pk)
            return _tab(request, deal)
    return _tab(request, deal, lesson_form=form)


SEVERITY_LABELS = {
    "high": gettext_lazy("High"),
    "medium": gettext_lazy("Medium"),
    "low": gettext_lazy("Low"),
}
RISK_COLUMNS = [
    Column(gettext_lazy("Opportunity"), lambda row: row[0].name),
    Column(gettext_lazy("Account"), lambda row: row[0].account.name),
    Column(gettext_lazy("Grade"), lambda row: row[0].grade),
    Column(gettext_lazy("Owner"), lambda row: row[0].owner),
    Column(gettext_lazy("Stage"), lambda row: row[0].get_stage_display()),
    Column(gettext_lazy("Rule"), lambda row: row[1].name),
    Column(gettext_lazy("Severity"), lambda row: SEVERITY_LABELS.get(row[1].severity, "")),
    Column(gettext_lazy("Message"), lambda row: row[1].message),
]


def _risk_lines(report: selectors.RiskReport) -> Iterator[tuple[Opportunity, Any]]:
    """One line per deal and rule firing on it, the deals with most risks first."""
    for row in report.rows:
        for item in row.items:
            yield row.opportunity, item


@login_required
def risks(request: AuthedHttpRequest) -> HttpResponseBase:
    """Deals at risk per team, with how many deals each rule catches (§6, §8 "risk rules
    fired")."""
    _insider(request)
    form = RiskFilterForm(request.GET or None, user=request.user)
    filters: dict[str, Any] = {}
    if form.is_valid():
        filters = {
            "team": form.cleaned_data["team"],
            "rule": form.cleaned_data["rule"],
            "severity": form.cleaned_data["severity"] or None,
        }
    if fmt := export_format(request):  # every deal at risk, not only the page's first ones
        everything = selectors.risk_report(user=request.user, limit=2**31, **filters)
        lines = _risk_lines(everything)
        return export_response(request, lines, RISK_COLUMNS, filename="risks", fmt=fmt)
    report = selectors.risk_report(user=request.user, **filters)
    return render(request, "playbook/risks.html", {"form": form, "report": report})


# ----------------------------------------------------------------------------------------
# rule administration


@login_required
def rule_list(request: AuthedHttpRequest) -> HttpResponse:
    _insider(request)
    context = {
        "rules": selectors.rule_rows(),
        "kinds": RuleKind.choices,
        "is_admin": services.is_rule_admin(request.user),
    }
    return render(request, "playbook/rules.html", context)


def _require_admin(request: AuthedHttpRequest) -> None:
    _insider(request)
    if not services.is_rule_admin(request.user):
        raise PermissionDenied(_("Only administrators can change the project rules."))


def _changes(form: RuleForm) -> dict[str, Any]:
    data = {
        name: form.cleaned_data[name]
        for name in (
            "name_en",
            "name_zh",
            "description_en",
            "description_zh",
            "severity",
            "enabled",
            "grades",
            "stages",
            "blocks_leaving",
            "blocks_entering",
        )
    }
    data["parameters"] = form.parameters()
    return data


@login_required
def rule_create(request: AuthedHttpRequest) -> HttpResponse:
    """A new rule of an existing kind: pick the kind, then its settings (no code)."""
    _require_admin(request)
    kind = request.POST.get("kind") or request.GET.get("kind") or RuleKind.NO_RECENT_ACTIVITY
    if kind not in RuleKind.values:
        kind = RuleKind.NO_RECENT_ACTIVITY
    initial = {"kind": kind, "enabled": True, "severity": "medium", "stages": ["validate"]}
    form = RuleForm(request.POST or None, kind=kind, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = _changes(form)
        if not form.errors:
            try:
                rule = services.rule_create(
                    user=request.user, code=form.cleaned_data["code"], kind=kind, **data
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("Rule created."))
                return redirect("playbook:rule_edit", rule.pk)
    context = {"form": form, "rule": None, "kinds": RuleKind.choices, "kind": kind}
    return render(request, "playbook/rule_form.html", context)


@login_required
def rule_edit(request: AuthedHttpRequest, rule_id: int) -> HttpResponse:
    _insider(request)
    try:
        rule = selectors.rule_get(id=rule_id)
    except NotFound:
        raise Http404 from None
    if not services.is_rule_admin(request.user):
        raise PermissionDenied(_("Only administrators can change the project rules."))
    form = RuleForm(
        request.POST or None, kind=rule.kind, rule=rule, initial=RuleForm.initial_from(rule)
    )
    if request.method == "POST" and form.is_valid():
        data = _changes(form)
        if not form.errors:
            try:
                services.rule_update(
                    user=request.user,
                    rule=rule,
                    changes=data,
                    expected_version=form.cleaned_data["version"],
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("Rule saved."))
                return redirect("playbook:rules")
    context = {"form": form, "rule": rule, "kind": rule.kind}
    return render(request, "playbook/rule_form.html", context)


LESSON_COLUMNS = [
    Column(gettext_lazy("Rule"), lambda stat: stat.name),
    Column(gettext_lazy("Open at the close: won"), lambda stat: stat.ignored_won),
    Column(gettext_lazy("Open at the close: lost"), lambda stat: stat.ignored_lost),
    Column(gettext_lazy("Overridden: won"), lambda stat: stat.overridden_won),
    Column(gettext_lazy("Overridden: lost"), lambda stat: stat.overridden_lost),
    Column(gettext_lazy("Deals"), lambda stat: stat.deals),
    Column(gettext_lazy("Lost"), lambda stat: stat.lost),
]


@login_required
def lessons(request: AuthedHttpRequest) -> HttpResponseBase:
    """Per rule: how often ignoring or overriding it preceded a loss (§6 lessons)."""
    _insider(request)
    if fmt := export_format(request):
        stats = selectors.lesson_stats(user=request.user)
        return export_response(request, stats, LESSON_COLUMNS, filename="lessons", fmt=fmt)
    return render(
        request, "playbook/lessons.html", {"rows": selectors.lesson_stats(user=request.user)}
    )
