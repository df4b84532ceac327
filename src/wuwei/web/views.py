"""Shell pages: login, home (Insights), playbook (the method configuration in force)."""

import json
import logging
import sys
from typing import Any

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import InterfaceError, OperationalError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _

from wuwei.accounts.models import Account, AccountStatus
from wuwei.core.config import method_config
from wuwei.core.database import database_ok
from wuwei.core.visibility import scope_for, visible
from wuwei.org.models import Segment
from wuwei.web.pages import AuthedHttpRequest

logger = logging.getLogger(__name__)


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    redirect_authenticated_user = True


@login_required
def home(request: AuthedHttpRequest) -> HttpResponse:
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


@login_required
def playbook(request: AuthedHttpRequest) -> HttpResponse:
    data = method_config().to_dict()
    sections = [
        (name, json.dumps(values, ensure_ascii=False, indent=2)) for name, values in data.items()
    ]
    return render(request, "web/playbook.html", {"sections": sections})


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
