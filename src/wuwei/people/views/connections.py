"""Enterprise connections pages (§3.5): mine and the company's, search, remove."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from wuwei.core.exports import Column, display, export_format, export_response
from wuwei.core.pages import page_from_request, render_list
from wuwei.org.http import AuthedHttpRequest
from wuwei.people import selectors, services
from wuwei.people.models import Connection
from wuwei.people.views.common import allowed, found

CONNECTION_COLUMNS = [
    Column(gettext_lazy("Employee"), lambda c: c.employee),
    Column(gettext_lazy("Contact"), lambda c: c.contact.name),
    Column(gettext_lazy("Title"), lambda c: c.contact.title),
    Column(gettext_lazy("Account"), lambda c: c.contact.account.name),
    Column(gettext_lazy("Connection strength"), lambda c: c.strength),
    Column(gettext_lazy("How"), display(Connection, "how")),
    Column(gettext_lazy("Since"), lambda c: c.since),
    Column(gettext_lazy("Note"), lambda c: c.note),
]


@login_required
def connection_list(request: AuthedHttpRequest) -> HttpResponseBase:
    mine = request.GET.get("mine", "1" if "q" not in request.GET else "") == "1"
    filters = selectors.ConnectionFilters(
        employee=request.user.pk if mine else None, q=request.GET.get("q") or None
    )
    qs = selectors.connection_list(user=request.user, filters=filters)
    if fmt := export_format(request):
        rows = qs.order_by("pk")
        return export_response(request, rows, CONNECTION_COLUMNS, filename="connections", fmt=fmt)
    page = page_from_request(request, qs, sort="id")
    return render_list(
        request,
        "people/connections.html",
        "people/_connection_table.html",
        {"page": page, "mine": mine, "q": request.GET.get("q", "")},
    )


@login_required
@require_POST
def connection_remove(request: AuthedHttpRequest, connection_id: int) -> HttpResponse:
    connection = found(selectors.connection_get, user=request.user, id=connection_id)
    allowed(services.connection_remove, user=request.user, connection=connection)
    messages.success(request, _("Connection removed."))
    next_url = request.POST.get("next", "")
    if next_url.startswith("/") and not next_url.startswith("//"):
        return redirect(next_url)
    return redirect("people:connections")
