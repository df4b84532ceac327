"""Opportunity pages: table with totals, pipeline board, the deal page, forms; competitors and
partner registrations. Validate → selector/service → page or htmx fragment."""

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from wuwei.accounts.models import Account
from wuwei.competitors.models import Competitor
from wuwei.core.config import method_config
from wuwei.core.errors import DomainError, NotAllowed, NotFound
from wuwei.core.exports import Column, display, export_format, export_response
from wuwei.core.forms import add_domain_error
from wuwei.core.history import history_entries
from wuwei.core.pages import page_from_request, render_list
from wuwei.core.visibility import get_visible, visible
from wuwei.methodology.enums import Stage as MethodStage
from wuwei.methodology.enums import Track as MethodTrack
from wuwei.methodology.stages import check_stage_move
from wuwei.opportunities import partners, selectors, services
from wuwei.opportunities import registrations as registration_services
from wuwei.opportunities.forms import (
    DealCompetitorForm,
    MemberForm,
    OpportunityFilterForm,
    OpportunityForm,
    RegistrationForm,
    StageMoveForm,
)
from wuwei.opportunities.models import OPEN_STAGES, Opportunity, PartnerRegistration
from wuwei.opportunities.timeline import deal_timeline
from wuwei.opportunities.visibility import may_override_gates
from wuwei.org.models import User

# The tabs of the deal page, in order: (key, label, url name or None). A tab without a url
# renders `opportunities/tabs/_<key>.html` with the page; a tab with one is an htmx fragment
# fetched from that url (`<name>` reversed with the opportunity id) when the page loads, so
# other areas (win rate, strategy, coaching) add their own tab from their AppConfig.ready().
DETAIL_TABS: list[tuple[str, Any, str | None]] = [
    ("overview", gettext_lazy("Overview"), None),
    ("team", gettext_lazy("Deal team"), None),
    ("competitors", gettext_lazy("Competitors"), None),
    ("timeline", gettext_lazy("Timeline"), None),
]


@dataclass(frozen=True, slots=True)
class DealBadge:
    """A small mark on a deal row or board card, linking to a tab of the deal page."""

    key: str
    text: str
    title: str
    css: str = "text-bg-light border"
    icon: str = ""
    anchor: str = ""


# Badges other areas put on the deal table and board cards (PRM: how many risk rules fire),
# asked once per page for all its deals: `source(user, ids) -> {id: [DealBadge]}`, a fixed
# number of queries whatever the number of deals.
DealBadgeSource = Callable[[Any, Sequence[int]], Mapping[int, list[DealBadge]]]
DEAL_BADGE_SOURCES: list[DealBadgeSource] = []


def register_deal_badges(source: DealBadgeSource) -> DealBadgeSource:
    if source not in DEAL_BADGE_SOURCES:
        DEAL_BADGE_SOURCES.append(source)
    return source


def attach_badges(user: Any, deals: Iterable[Opportunity]) -> None:
    """Set `deal.badges` on each deal (templates read it)."""
    deals = list(deals)
    found: dict[int, list[DealBadge]] = {}
    if deals:
        for source in DEAL_BADGE_SOURCES:
            for deal_id, badges in source(user, [d.pk for d in deals]).items():
                found.setdefault(deal_id, []).extend(badges)
    for deal in deals:
        deal.badges = found.get(deal.pk, [])  # type: ignore[attr-defined]


def register_detail_tab(key: str, label: Any, url_name: str, *, before: str = "timeline") -> None:
    """Add a lazily loaded tab to the deal page (idempotent), before the tab `before`."""
    if any(tab[0] == key for tab in DETAIL_TABS):
        return
    keys = [tab[0] for tab in DETAIL_TABS]
    position = keys.index(before) if before in keys else len(DETAIL_TABS)
    DETAIL_TABS.insert(position, (key, label, url_name))


def _get(request: HttpRequest, opportunity_id: int) -> Opportunity:
    try:
        return selectors.opportunity_get(user=request.user, id=opportunity_id)
    except NotFound:
        raise Http404 from None


def _internal(request: HttpRequest, opportunity_id: int) -> Opportunity:
    """The deal for internal work on it (team, competitors): 404 for partner users."""
    try:
        return selectors.internal_opportunity_get(user=request.user, id=opportunity_id)
    except NotFound:
        raise Http404 from None


# What the deal table exports; `internal` columns are not the partner fields of
# `partners.PARTNER_FIELDS` and never reach a partner user.
OPPORTUNITY_COLUMNS = [
    Column(gettext_lazy("ID"), lambda o: o.pk),
    Column(gettext_lazy("Name"), lambda o: o.name),
    Column(gettext_lazy("Account"), lambda o: o.account.name),
    Column(gettext_lazy("Amount"), lambda o: o.amount),
    Column(gettext_lazy("Currency"), lambda o: o.currency),
    Column(gettext_lazy("Stage"), display(Opportunity, "stage")),
    Column(gettext_lazy("Expected close"), lambda o: o.expected_close),
    Column(gettext_lazy("Grade"), lambda o: o.grade, internal=True),
    Column(gettext_lazy("Track"), display(Opportunity, "track"), internal=True),
    Column(gettext_lazy("Win rate"), lambda o: o.win_rate, internal=True),
    Column(gettext_lazy("Owner"), lambda o: o.owner, internal=True),
    Column(gettext_lazy("Team"), lambda o: o.team, internal=True),
    Column(gettext_lazy("Partner"), lambda o: o.partner or ""),
]


@login_required
def opportunity_list(request: HttpRequest) -> HttpResponseBase:
    form = OpportunityFilterForm(request.GET or None)
    qs = selectors.opportunity_list(user=request.user, filters=form.filters())
    if fmt := export_format(request):
        rows = qs.order_by(form.sort_key(), "pk")
        return export_response(
            request, rows, OPPORTUNITY_COLUMNS, filename="opportunities", fmt=fmt
        )
    page = page_from_request(request, qs, sort=form.sort_key())
    attach_badges(request.user, page.items)
    context = {"form": form, "page": page, "totals": selectors.opportunity_totals(qs)}
    return render_list(request, "opportunities/list.html", "opportunities/_table.html", context)


@login_required
def opportunity_board(request: HttpRequest) -> HttpResponse:
    form = OpportunityFilterForm(request.GET or None)
    columns = selectors.board_columns(user=request.user, filters=form.filters())
    attach_badges(request.user, [card for column in columns for card in column.cards])
    template = "opportunities/_board.html" if request.htmx else "opportunities/board.html"  # type: ignore[attr-defined]
    return render(request, template, {"form": form, "columns": columns})


@login_required
@require_POST
def opportunity_move(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    """One stage move from the board (htmx: card + column heads, or the refusal and 409) or
    from the deal page (redirect with a message). Same service, same gates as the API."""
    opportunity = _get(request, opportunity_id)
    form = StageMoveForm(request.POST, user=request.user)
    error: DomainError | None = None
    if not form.is_valid():
        error = DomainError(_("Choose a stage."), [("to", _("This field is required."))])
        if "version" in form.errors and "to" not in form.errors:  # every write sends it
            error = DomainError(
                _("Reload the page and try again."), [("version", _("This field is required."))]
            )
    else:
        try:
            opportunity = services.opportunity_move_stage(
                user=request.user,  # type: ignore[arg-type]
                opportunity=opportunity,
                to=form.cleaned_data["to"],
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
                winning_competitor=form.cleaned_data.get("winning_competitor"),
                winning_price=form.cleaned_data.get("winning_price"),
                override_reason=form.cleaned_data.get("override_reason") or "",
            )
        except DomainError as exc:
            error = exc
    if request.htmx:  # type: ignore[attr-defined]
        return _board_move_response(request, opportunity, error)
    if error is None:
        messages.success(request, _("Stage changed."))
    else:
        text = " ".join([error.detail, *(message for _field, message in error.errors)])
        messages.error(request, text)
    return redirect("opportunities:detail", opportunity.pk)


def _board_move_response(
    request: HttpRequest, opportunity: Opportunity, error: DomainError | None
) -> HttpResponse:
    if error is not None:
        reasons = [message for _field, message in error.errors] or [error.detail]
        gated = any(r.code == "risk_rule" for r in getattr(error, "reasons", ()))
        context = {
            "error": error,
            "reasons": reasons,
            "opportunity": opportunity,
            # the refusal offers the override to those who may give one (§6 stage gates)
            "override_to": request.POST.get("to", "") if gated else "",
            "can_override": gated and may_override_gates(request.user, opportunity),
            "filters": request.POST.get("filters", ""),
        }
        return render(request, "opportunities/_move_refused.html", context, status=error.status)
    opportunity = selectors.opportunity_get(user=request.user, id=opportunity.pk)
    attach_badges(request.user, [opportunity])
    form = OpportunityFilterForm(QueryDict(request.POST.get("filters", "")))
    columns = selectors.board_columns(user=request.user, filters=form.filters(), per_column=0)
    return render(
        request,
        "opportunities/_move_done.html",
        {"opportunity": opportunity, "columns": columns, "names": selectors.stage_names()},
    )


@login_required
def opportunity_detail(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    opportunity = _get(request, opportunity_id)
    if partners.is_partner(request.user):
        return _partner_detail(request, opportunity)
    history = selectors.stage_history(opportunity=opportunity)
    templates = {t.stage: t for t in selectors.stage_template()}
    current_number = next(
        (t.number for t in templates.values() if t.stage == opportunity.stage), None
    )
    context = {
        "opportunity": opportunity,
        "tabs": DETAIL_TABS,
        "path": list(templates.values()),
        "current_number": current_number,
        "process": templates.get(opportunity.stage),
        "stage_history": history,
        "members": selectors.opportunity_members(opportunity=opportunity),
        "competitors": selectors.with_deal_prices(
            user=request.user,
            opportunity=opportunity,
            links=selectors.opportunity_competitors(opportunity=opportunity),
        ),
        "history": history_entries(opportunity),
        "timeline": deal_timeline(user=request.user, opportunity=opportunity),
        "amount_grade": services.amount_grade(opportunity.amount),
        "move_form": _move_form(request, opportunity),
        "stage_targets": _stage_targets(opportunity),
        "member_form": MemberForm(user=request.user),
        "competitor_form": DealCompetitorForm(user=request.user),
        "can_override_gates": may_override_gates(request.user, opportunity),
    }
    return render(request, "opportunities/detail.html", context)


def _partner_detail(request: HttpRequest, opportunity: Opportunity) -> HttpResponse:
    """The deal page of a partner user: its partner fields and the stage they report; no
    internal tab, team, competitors, audit trail, timeline or sales playbook is computed or
    rendered."""
    templates = {t.stage: t for t in selectors.stage_template()}
    current_number = next(
        (t.number for t in templates.values() if t.stage == opportunity.stage), None
    )
    runs = partners.runs_deal(request.user, opportunity)
    context = {
        "opportunity": opportunity,
        "partner_view": True,
        "may_edit": runs,
        "tabs": partners.deal_tabs(request.user, DETAIL_TABS),
        "path": list(templates.values()),
        "current_number": current_number,
        "move_form": _move_form(request, opportunity) if runs else None,
        "stage_targets": _stage_targets(opportunity) if runs else [],
    }
    return render(request, "opportunities/detail.html", context)


def _stage_targets(opportunity: Opportunity) -> list[str]:
    """The stages the deal page's stage bar offers: those the method allows from here on this
    deal's track (§4.1, §4.2). Stage gates (PRM rules, §6) are asked when the move is made by
    the one stage service; a refused move says why."""
    if not opportunity.is_open or opportunity.archived_at is not None:
        return []
    current, track = MethodStage(opportunity.stage), MethodTrack(opportunity.track)
    return [
        stage.value
        for stage in MethodStage
        if not check_stage_move(current=current, target=stage, track=track)
    ]


def _move_form(request: HttpRequest, opportunity: Opportunity) -> StageMoveForm:
    """The stage bar's form: `to` offers only the allowed stages (see `_stage_targets`)."""
    form = StageMoveForm(
        initial={"version": opportunity.version, "to": _next_stage(opportunity)},
        user=request.user,
    )
    allowed = set(_stage_targets(opportunity))
    to: Any = form.fields["to"]
    to.choices = [(value, label) for value, label in to.choices if value in allowed]
    return form


def _next_stage(opportunity: Opportunity) -> str:
    if opportunity.stage in OPEN_STAGES:
        index = OPEN_STAGES.index(opportunity.stage)
        return OPEN_STAGES[index + 1] if index + 1 < len(OPEN_STAGES) else "won"
    return opportunity.stage


def _save(
    request: HttpRequest, form: OpportunityForm, opportunity: Opportunity | None
) -> Opportunity | None:
    if not form.is_valid():
        return None
    data = dict(form.cleaned_data)
    version = data.pop("version")
    data["products"] = list(data["products"])
    try:
        if opportunity is None:
            return services.opportunity_create(user=request.user, **data)  # type: ignore[arg-type]
        data.pop("account")  # the customer of a deal does not change
        return services.opportunity_update(
            user=request.user,  # type: ignore[arg-type]
            opportunity=opportunity,
            changes=data,
            expected_version=version,
        )
    except DomainError as exc:
        add_domain_error(form, exc)
        return None


@login_required
def opportunity_create(request: HttpRequest) -> HttpResponse:
    initial = {"owner": request.user.pk, "team": request.user.team_id, "currency": "CNY"}  # type: ignore[union-attr]
    from_account = None  # "New deal" on an account page: the account is chosen, Cancel goes back
    if request.GET.get("account", "").isdigit():
        account_id = int(request.GET["account"])
        initial["account"] = account_id
        from_account = (
            visible(Account, request.user).filter(pk=account_id, archived_at__isnull=True).first()
        )
    form = OpportunityForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST":
        opportunity = _save(request, form, None)
        if opportunity is not None:
            messages.success(request, _("Opportunity created."))
            return redirect("opportunities:detail", opportunity.pk)
    context = {"form": form, "opportunity": None, "from_account": from_account}
    return render(request, "opportunities/form.html", context)


@login_required
def opportunity_edit(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    opportunity = _get(request, opportunity_id)
    try:
        partners.check_edit(request.user, opportunity)
    except NotAllowed as exc:
        raise PermissionDenied(exc.detail) from None
    form = OpportunityForm(
        request.POST or None, user=request.user, initial=OpportunityForm.initial_from(opportunity)
    )
    form.fields["account"].disabled = True
    if request.method == "POST":
        saved = _save(request, form, opportunity)
        if saved is not None:
            messages.success(request, _("Opportunity saved."))
            return redirect("opportunities:detail", saved.pk)
    return render(request, "opportunities/form.html", {"form": form, "opportunity": opportunity})


def _post_action(
    request: HttpRequest, opportunity: Opportunity, action: Any, tab: str = ""
) -> HttpResponse:
    try:
        action()
    except NotAllowed as exc:
        raise PermissionDenied(exc.detail) from None
    except DomainError as exc:
        messages.error(request, exc.detail)
    return _to_tab(opportunity, tab)


def _to_tab(opportunity: Opportunity, tab: str) -> HttpResponse:
    """Back to the deal page on the tab the form was on (the page opens the hash's tab)."""
    url = reverse("opportunities:detail", args=[opportunity.pk])
    return redirect(f"{url}#{tab}" if tab else url)


@login_required
@require_POST
def member_add(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    opportunity = _internal(request, opportunity_id)
    form = MemberForm(request.POST, user=request.user)
    if not form.is_valid():
        messages.error(request, _("Choose a person and a role."))
        return redirect("opportunities:detail", opportunity.pk)
    return _post_action(
        request,
        opportunity,
        lambda: services.opportunity_member_set(
            user=request.user,  # type: ignore[arg-type]
            opportunity=opportunity,
            member=form.cleaned_data["user"],
            role=form.cleaned_data["role"],
        ),
    )


@login_required
@require_POST
def member_remove(request: HttpRequest, opportunity_id: int, user_id: int) -> HttpResponse:
    opportunity = _internal(request, opportunity_id)
    try:
        member = get_visible(User, request.user, pk=user_id)
    except NotFound:
        raise Http404 from None
    return _post_action(
        request,
        opportunity,
        lambda: services.opportunity_member_remove(
            user=request.user,  # type: ignore[arg-type]
            opportunity=opportunity,
            member=member,
        ),
    )


@login_required
@require_POST
def competitor_add(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    opportunity = _internal(request, opportunity_id)
    form = DealCompetitorForm(request.POST, user=request.user)
    if not form.is_valid():
        messages.error(request, _("Choose a competitor."))
        return _to_tab(opportunity, "competitors")
    return _post_action(
        request,
        opportunity,
        lambda: services.opportunity_competitor_add(
            user=request.user,  # type: ignore[arg-type]
            opportunity=opportunity,
            competitor=form.cleaned_data["competitor"],
            is_primary=form.cleaned_data["is_primary"],
        ),
        tab="competitors",
    )


@login_required
@require_POST
def competitor_remove(
    request: HttpRequest, opportunity_id: int, competitor_id: int
) -> HttpResponse:
    opportunity = _internal(request, opportunity_id)
    try:
        competitor = get_visible(Competitor, request.user, pk=competitor_id)
    except NotFound:
        raise Http404 from None
    return _post_action(
        request,
        opportunity,
        lambda: services.opportunity_competitor_remove(
            user=request.user,  # type: ignore[arg-type]
            opportunity=opportunity,
            competitor=competitor,
        ),
        tab="competitors",
    )


@login_required
@require_POST
def opportunity_archive(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    opportunity = _get(request, opportunity_id)
    try:
        services.opportunity_archive(user=request.user, opportunity=opportunity)  # type: ignore[arg-type]
    except NotAllowed as exc:
        raise PermissionDenied(exc.detail) from None
    messages.success(request, _("Opportunity archived. An administrator can restore it."))
    return redirect("opportunities:list")


@login_required
def process(request: HttpRequest) -> HttpResponse:
    """The sales process template in force (METHOD.md §4.1, §4.11)."""
    return render(request, "opportunities/process.html", {"stages": selectors.stage_template()})


REGISTRATION_COLUMNS = [
    Column(gettext_lazy("Partner"), lambda r: r.partner),
    Column(gettext_lazy("Account"), lambda r: r.account.name),
    Column(gettext_lazy("Product scope"), lambda r: [str(p) for p in r.products.all()]),
    Column(gettext_lazy("Registered on"), lambda r: r.registered_on),
    Column(gettext_lazy("Protected until"), lambda r: r.expires_on),
    Column(gettext_lazy("Status"), display(PartnerRegistration, "status")),
    Column(gettext_lazy("Estimated amount"), lambda r: r.estimated_amount),
    Column(
        gettext_lazy("Conflict"),
        lambda r: (
            f"{r.conflict.get_kind_display()} · {r.conflict.get_status_display()}"
            if r.conflict
            else ""
        ),
    ),
]


@login_required
def registration_list(request: HttpRequest) -> HttpResponseBase:
    qs = selectors.registration_list(user=request.user, filters=selectors.RegistrationFilters())
    if fmt := export_format(request):
        rows = qs.prefetch_related("products").order_by("-created_at", "-pk")
        return export_response(
            request, rows, REGISTRATION_COLUMNS, filename="registrations", fmt=fmt
        )
    page = page_from_request(request, qs.prefetch_related("products"), sort="-created_at")
    return render_list(
        request,
        "opportunities/registrations.html",
        "opportunities/_registrations.html",
        {"page": page},
    )


@login_required
def registration_create(request: HttpRequest) -> HttpResponse:
    """A partner registers a deal (报备, METHOD.md §4.2 E); staff may register for a partner.
    The page says at once until when it is protected and whether it overlaps another."""
    form = RegistrationForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            registration = registration_services.registration_create(
                user=request.user,  # type: ignore[arg-type]
                account=registration_services.registration_customer(
                    name=data["customer_name"],
                    registration_number=data["customer_registration_number"],
                ),
                partner=data.get("partner"),
                products=data["products"],
                estimated_amount=data["estimated_amount"],
                expected_close=data["expected_close"],
                notes=data["notes"],
            )
        except NotFound as exc:  # the customer: say what to check, above the form
            form.add_error(None, exc.detail)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            expires = date_format(registration.expires_on, "Y-m-d")
            messages.success(
                request, _("Deal registered. Protected until %(date)s.") % {"date": expires}
            )
            if registration.conflict_id is not None:
                messages.warning(request, _("This registration overlaps another; see below."))
            return redirect("opportunities:registration", registration.pk)
    context = {"form": form, "protection_days": method_config().partner.protection_days}
    return render(request, "opportunities/registration_form.html", context)


@login_required
def registration_detail(request: HttpRequest, registration_id: int) -> HttpResponse:
    try:
        registration = selectors.registration_get(user=request.user, id=registration_id)
    except NotFound:
        raise Http404 from None
    context = {
        "registration": registration,
        "days_left": (registration.expires_on - timezone.localdate()).days,
        "opportunities": selectors.registration_opportunities(
            user=request.user, registration=registration
        ),
    }
    return render(request, "opportunities/registration_detail.html", context)


# ----------------------------------------------------------------------------------------
# competitors
