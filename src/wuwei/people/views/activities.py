"""Activity pages (§4.9): the list with filters, and logging one for an account."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from wuwei.accounts.models import Account
from wuwei.core.errors import DomainError
from wuwei.core.exports import Column, display, export_format, export_response
from wuwei.core.forms import add_domain_error
from wuwei.core.pages import page_from_request, render_list
from wuwei.core.visibility import get_visible, visible
from wuwei.opportunities import partners
from wuwei.opportunities.models import Opportunity
from wuwei.org.http import AuthedHttpRequest
from wuwei.people import selectors, services
from wuwei.people.forms import (
    AccountChoiceForm,
    ActivityFilterForm,
    ActivityForm,
    DealActivityForm,
)
from wuwei.people.models import Activity
from wuwei.people.views.common import allowed, found

ACTIVITY_COLUMNS = [
    Column(gettext_lazy("ID"), lambda a: a.pk),
    Column(gettext_lazy("Date"), lambda a: a.occurred_on),
    Column(gettext_lazy("Kind"), display(Activity, "kind")),
    Column(gettext_lazy("Subject"), lambda a: a.subject),
    Column(gettext_lazy("Account"), lambda a: a.account.name),
    Column(gettext_lazy("Opportunity"), lambda a: a.opportunity.name if a.opportunity else ""),
    Column(gettext_lazy("Contacts involved"), lambda a: [c.name for c in a.contacts.all()]),
    Column(gettext_lazy("Tags"), lambda a: a.tag_list),
    Column(gettext_lazy("Owner"), lambda a: a.owner),
    Column(gettext_lazy("Notes"), lambda a: a.notes),
]


@login_required
def activity_list(request: AuthedHttpRequest) -> HttpResponseBase:
    form = ActivityFilterForm(request.GET or None)
    qs = selectors.activity_list(user=request.user, filters=form.filters(request.user))
    if fmt := export_format(request):
        rows = qs.order_by("-occurred_on", "-pk")
        return export_response(request, rows, ACTIVITY_COLUMNS, filename="activities", fmt=fmt)
    page = page_from_request(request, qs, sort="-occurred_on")
    account = None
    account_id = request.GET.get("account", "")
    if account_id.isdigit():
        account = visible(Account, request.user).filter(pk=int(account_id)).first()
    return render_list(
        request,
        "people/activities.html",
        "people/_activity_table.html",
        {"form": form, "page": page, "account": account},
    )


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@login_required
def activity_create(request: AuthedHttpRequest) -> HttpResponse:
    account_id = _int(request.GET.get("account"))
    if account_id is None:
        picker = AccountChoiceForm(user=request.user)
        return render(request, "people/activity_pick_account.html", {"form": picker})
    account = found(
        get_visible,
        model_or_queryset=Account,
        user=request.user,
        pk=account_id,
        archived_at__isnull=True,
    )
    initial = {
        "occurred_on": timezone.localdate(),
        "kind": "meeting",
        "contacts": [c for c in [_int(request.GET.get("contact"))] if c],
        "opportunity": _int(request.GET.get("opportunity")),
    }
    form = ActivityForm(request.POST or None, user=request.user, account=account, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            allowed(
                services.activity_create,
                user=request.user,
                account=account,
                kind=data["kind"],
                occurred_on=data["occurred_on"],
                subject=data["subject"],
                contacts=list(data["contacts"]),
                opportunity=data["opportunity"],
                notes=data["notes"],
                tags=data["tags"],
            )
            messages.success(request, _("Activity logged."))
            next_url = request.GET.get("next", "")
            if next_url.startswith("/") and not next_url.startswith("//"):
                return redirect(next_url)
            return redirect(f"{reverse('people:activities')}?account={account.pk}")
        except DomainError as exc:
            add_domain_error(form, exc)
    return render(request, "people/activity_form.html", {"form": form, "account": account})


@login_required
def deal_activity(request: AuthedHttpRequest, opportunity_id: int) -> HttpResponse:
    """Log an activity from the deal page (§4.9): the form as an htmx fragment, the deal
    already chosen. Refused input comes back with its errors; a logged activity answers a fresh
    form and the `activity-logged` event, on which the deal timeline reloads. A deal is
    internal work: partner users get 404 (`partners.internal_deal`)."""
    opportunity = found(
        partners.internal_deal,
        user=request.user,
        queryset=Opportunity.objects.select_related("account"),
        opportunity_id=opportunity_id,
    )
    account = opportunity.account
    initial = {"occurred_on": timezone.localdate(), "kind": "meeting"}
    form = DealActivityForm(
        request.POST or None, user=request.user, account=account, initial=initial, prefix="deal"
    )
    logged = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            logged = allowed(
                services.activity_create,
                user=request.user,
                account=account,
                kind=data["kind"],
                occurred_on=data["occurred_on"],
                subject=data["subject"],
                contacts=list(data["contacts"]),
                opportunity=opportunity,
                notes=data["notes"],
                tags=data["tags"],
            )
            form = DealActivityForm(
                user=request.user, account=account, initial=initial, prefix="deal"
            )
        except DomainError as exc:
            add_domain_error(form, exc)
    context = {"form": form, "opportunity": opportunity, "logged": logged}
    response = render(request, "people/_deal_activity_form.html", context)
    if logged is not None:
        response["HX-Trigger"] = json.dumps({"activity-logged": {"activity": logged.pk}})
    return response


@login_required
@require_POST
def activity_archive(request: AuthedHttpRequest, activity_id: int) -> HttpResponse:
    activity = found(selectors.activity_get, user=request.user, id=activity_id)
    allowed(services.activity_archive, user=request.user, activity=activity)
    messages.success(request, _("Activity archived."))
    return redirect(f"{reverse('people:activities')}?account={activity.account_id}")
