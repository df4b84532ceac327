"""Shell pages: login, home (Insights), playbook (the method configuration in force), and the
glossary of the method's words."""

import logging
import sys
from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import InterfaceError, OperationalError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.utils import timezone
from django.utils.translation import gettext as _

from wuwei.accounts.models import Account, AccountStatus
from wuwei.core.config import method_config, method_config_update
from wuwei.core.database import database_ok
from wuwei.core.errors import DomainError
from wuwei.core.visibility import scope_for, visible
from wuwei.org.models import Segment
from wuwei.playbook.selectors import rule_rows
from wuwei.web.forms import add_domain_error
from wuwei.web.glossary import TERMS
from wuwei.web.pages import AuthedHttpRequest
from wuwei.web.partner import partner_home
from wuwei.web.playbook import ConfigForm, config_tables, ninebox_table

logger = logging.getLogger(__name__)


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    redirect_authenticated_user = True


@login_required
def home(request: AuthedHttpRequest) -> HttpResponse:
    if scope_for(request.user).is_partner:
        return render(
            request, "web/home/partner.html", partner_home(request.user, timezone.localdate())
        )
    accounts = visible(Account, request.user).filter(archived_at__isnull=True)
    by_status = dict(accounts.values_list("status").annotate(n=Count("id")).order_by())
    by_segment = dict(accounts.values_list("segment").annotate(n=Count("id")).order_by())
    context: dict[str, Any] = {
        "status_counts": [
            (label, by_status.get(value, 0)) for value, label in AccountStatus.choices
        ],
        "segment_counts": [(label, by_segment.get(value, 0)) for value, label in Segment.choices],
        "total_accounts": sum(by_status.values()),
        "my_accounts": accounts.filter(owner=request.user).order_by("-updated_at")[:8],
        "user_is_partner": scope_for(request.user).is_partner,
    }
    return render(request, "web/home.html", context)


def _is_admin(user: Any) -> bool:
    return bool(user.is_superuser or "admin" in user.role_slugs)


@login_required
def playbook(request: AuthedHttpRequest) -> HttpResponse:
    """The method in force as tables a sales manager reads: the numbers, the nine-box, the
    project rules and the stage gates (METHOD.md §2–§8)."""
    if scope_for(request.user).is_partner:
        raise Http404
    config = method_config()
    rules = rule_rows()
    context = {
        "tables": config_tables(config),
        "ninebox": ninebox_table(config),
        "rules": [row for row in rules if row.rule.enabled],
        "gates": [row for row in rules if row.rule.enabled and row.gates],
        "is_admin": _is_admin(request.user),
    }
    return render(request, "web/playbook.html", context)


@login_required
def playbook_edit(request: AuthedHttpRequest) -> HttpResponse:
    """Administrators change the numbers; the configuration service validates the whole."""
    if scope_for(request.user).is_partner:
        raise Http404
    if not _is_admin(request.user):
        raise PermissionDenied(_("Only administrators can change the method configuration."))
    form = ConfigForm(request.POST or None, config=method_config())
    if request.method == "POST" and form.is_valid():
        try:
            method_config_update(
                user=request.user,
                data=form.new_data(),
                expected_version=form.cleaned_data["version"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Configuration saved."))
            return redirect("web:playbook")
    return render(request, "web/playbook_edit.html", {"form": form})


@login_required
def glossary(request: AuthedHttpRequest) -> HttpResponse:
    """The method's vocabulary, one anchor per term (the "?" links point here)."""
    return render(request, "web/glossary.html", {"terms": TERMS})


def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and monitors (README "Operations"): 200 when the database answers,
    503 when it does not. Needs no login and reveals nothing else."""
    if database_ok():
        return JsonResponse({"status": "ok", "database": "ok"})
    response = JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    response["Retry-After"] = "30"
    return response


DATABASE_OUTAGE = (OperationalError, InterfaceError)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: a database that cannot be reached is a 503 the client may retry (JSON for
    the API, a page that retries by itself for people); anything else a 500. Renders without
    the database, which may be what failed."""
    exc = sys.exc_info()[1]
    outage = isinstance(exc, DATABASE_OUTAGE)
    if outage:
        # Django drops the broken connection when the request ends (errors_occurred) and the
        # next request reconnects (CONN_HEALTH_CHECKS): no restart needed.
        logger.error("Database unavailable: %s", exc)
    status = 503 if outage else 500
    if request.path.startswith("/api/"):
        detail = (
            _("The database is temporarily unavailable. Try again in a moment.")
            if outage
            else _("The server could not complete the request. Nothing was changed.")
        )
        response: HttpResponse = JsonResponse({"detail": detail, "errors": []}, status=status)
    else:
        template = loader.get_template("503.html" if outage else "500.html")
        response = HttpResponse(template.render(), status=status)
    if outage:
        response["Retry-After"] = "30"
    return response
