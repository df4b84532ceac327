"""Account pages: list, create/edit, archive, and the account page with its htmx tabs."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from wuwei.accounts import selectors, services
from wuwei.accounts.forms import AccountFilterForm, AccountForm
from wuwei.accounts.models import Account, Industry
from wuwei.accounts.views.tabs import TABS, tab_context
from wuwei.core.errors import DomainError, NotAllowed, NotFound
from wuwei.core.exports import Column, display, export_format, export_response
from wuwei.core.forms import add_domain_error
from wuwei.core.pages import page_from_request, render_list
from wuwei.org.http import AuthedHttpRequest

PICKER_SIZE = 20


def _get(request: AuthedHttpRequest, account_id: int) -> Account:
    try:
        return selectors.account_get(user=request.user, id=account_id)
    except NotFound:
        raise Http404 from None


ACCOUNT_COLUMNS = [
    Column(gettext_lazy("ID"), lambda a: a.pk),
    Column(gettext_lazy("Name"), lambda a: a.name),
    Column(gettext_lazy("Registration number"), lambda a: a.registration_number),
    Column(gettext_lazy("Industry"), display(Account, "industry")),
    Column(gettext_lazy("Region"), lambda a: a.region),
    Column(gettext_lazy("Segment"), display(Account, "segment")),
    Column(gettext_lazy("KA profile"), display(Account, "ka_profile"), internal=True),
    Column(gettext_lazy("Grade"), lambda a: a.grade, internal=True),
    Column(gettext_lazy("Class"), lambda a: a.account_class, internal=True),
    Column(gettext_lazy("Strategy"), display(Account, "strategy"), internal=True),
    Column(gettext_lazy("Status"), display(Account, "status")),
    Column(gettext_lazy("Owner"), lambda a: a.owner),
    Column(gettext_lazy("Team"), lambda a: a.team, internal=True),
    Column(gettext_lazy("Parent account"), lambda a: a.parent.name if a.parent else ""),
    Column(gettext_lazy("Annual revenue"), lambda a: a.annual_revenue),
    Column(gettext_lazy("Employees"), lambda a: a.employee_count),
    Column(gettext_lazy("Website"), lambda a: a.website),
]


@login_required
def account_list(request: AuthedHttpRequest) -> HttpResponseBase:
    form = AccountFilterForm(request.GET or None)
    qs = selectors.account_list(user=request.user, filters=form.filters())
    if fmt := export_format(request):
        return export_response(
            request, qs.order_by("name", "pk"), ACCOUNT_COLUMNS, filename="accounts", fmt=fmt
        )
    page = page_from_request(request, qs, sort="name")
    return render_list(
        request, "accounts/list.html", "accounts/_table.html", {"form": form, "page": page}
    )


@login_required
def account_picker(request: AuthedHttpRequest) -> JsonResponse:
    """The account picker's candidates (wuwei/picker.js) as JSON, searched as the user types:
    only accounts the user may see (a partner user: only their own), one query."""
    text = request.GET.get("q", "")[:200]
    qs = selectors.account_list(user=request.user, filters=selectors.AccountFilters(q=text))
    rows = qs.order_by("name", "pk").values("pk", "name", "region", "industry")[:PICKER_SIZE]
    industries = dict(Industry.choices)
    items = [
        {
            "id": row["pk"],
            "name": row["name"],
            "detail": " · ".join(
                str(part) for part in (industries.get(row["industry"], ""), row["region"]) if part
            ),
        }
        for row in rows
    ]
    return JsonResponse({"items": items})


@login_required
def account_detail(request: AuthedHttpRequest, account_id: int, tab: str = "") -> HttpResponse:
    """The account page; `?tab=` picks the tab. An htmx request for a tab gets only it."""
    account = _get(request, account_id)
    tab = tab or request.GET.get("tab", "overview")
    if tab not in TABS:
        raise Http404
    context = tab_context(request, account, tab)
    if getattr(request, "htmx", False) and request.htmx.target == "account-tab":
        return render(request, f"accounts/tabs/_{tab}.html", context)
    return render(request, "accounts/detail.html", context)


def _save(request: AuthedHttpRequest, form: AccountForm, account: Account | None) -> Account | None:
    if not form.is_valid():
        return None
    data = dict(form.cleaned_data)
    version = data.pop("version")
    confirm_duplicate = data.pop("confirm_duplicate", False)
    reason = data.pop("ka_type_reason", "")
    data.pop("ka_type", None)
    data["support_tier"] = data.get("support_tier") or ""
    try:
        with transaction.atomic():
            if account is None:
                saved = services.account_create(
                    user=request.user, confirm_duplicate=confirm_duplicate, **data
                )
            else:
                saved = services.account_update(
                    user=request.user, account=account, changes=data, expected_version=version
                )
            if form.ka_changed():  # the KA profile chosen in the form (§2.1 override)
                saved = services.account_ka_profile_override(
                    user=request.user,
                    account=saved,
                    profile=form.ka_override(),
                    reason=reason,
                    expected_version=saved.version,
                )
            return saved
    except DomainError as exc:
        add_domain_error(form, exc)
        return None


@login_required
def account_create(request: AuthedHttpRequest) -> HttpResponse:
    form = AccountForm(
        request.POST or None,
        user=request.user,
        initial={"owner": request.user.pk, "team": request.user.team_id},
    )
    if request.method == "POST":
        account = _save(request, form, None)
        if account is not None:
            messages.success(request, _("Account created."))
            if account.conflicts.exists():
                messages.warning(
                    request,
                    _("It looks like an existing account: a manager will decide in the queue."),
                )
            return redirect("accounts:detail", account.pk)
    return render(request, "accounts/form.html", {"form": form, "account": None})


@login_required
def account_edit(request: AuthedHttpRequest, account_id: int) -> HttpResponse:
    account = _get(request, account_id)
    form = AccountForm(
        request.POST or None, user=request.user, initial=AccountForm.initial_from(account)
    )
    if request.method == "POST":
        saved = _save(request, form, account)
        if saved is not None:
            messages.success(request, _("Account saved."))
            return redirect("accounts:detail", saved.pk)
    return render(request, "accounts/form.html", {"form": form, "account": account})


@login_required
@require_POST
def account_archive(request: AuthedHttpRequest, account_id: int) -> HttpResponse:
    account = _get(request, account_id)
    try:
        services.account_archive(user=request.user, account=account)
    except NotAllowed as exc:
        raise PermissionDenied(exc.detail) from None
    messages.success(request, _("Account archived. An administrator can restore it."))
    return redirect("accounts:list")


@login_required
@require_POST
def account_restore(request: AuthedHttpRequest, account_id: int) -> HttpResponse:
    account = _get(request, account_id)
    try:
        services.account_restore(user=request.user, account=account)
    except NotAllowed as exc:
        raise PermissionDenied(exc.detail) from None
    messages.success(request, _("Account restored."))
    return redirect("accounts:detail", account.pk)
