"""Shell pages: login, home (what to do today, per role), playbook (the method configuration
in force), and the glossary of the method's words."""

import logging
import sys
from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.utils import timezone
from django.utils.translation import gettext as _

from wuwei.accounts.models import Account
from wuwei.core.config import method_config, method_config_update
from wuwei.core.database import database_ok
from wuwei.core.errors import DomainError
from wuwei.core.forms import add_domain_error
from wuwei.core.visibility import scope_for, visible
from wuwei.opportunities.models import Opportunity
from wuwei.org.http import AuthedHttpRequest
from wuwei.org.models import Role, User
from wuwei.org.permissions import Action, may
from wuwei.org.permissions import matrix as permission_matrix
from wuwei.playbook.selectors import rule_rows
from wuwei.web.glossary import TERMS
from wuwei.web.home import home_panel as home_panel_rows
from wuwei.web.home import home_sections
from wuwei.web.partner import partner_home
from wuwei.web.playbook import ConfigForm, config_tables, ninebox_table
from wuwei.web.search import PAGE_LIMIT, PREVIEW_LIMIT, global_search, search_text

logger = logging.getLogger(__name__)
COLLEAGUE_ROWS = 20


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    redirect_authenticated_user = True


@login_required
def home(request: AuthedHttpRequest) -> HttpResponse:
    """What to do today: the partner's registrations (web/partner.py), or the sections of the
    user's roles (web/home.py)."""
    if scope_for(request.user).is_partner:
        return render(
            request, "web/home/partner.html", partner_home(request.user, timezone.localdate())
        )
    # a manager's team forecast against last week; an executive's regions (their scorecard is
    # a lazy panel of their section): the blocks `home_forecast` answers for this user
    forecasts = [part for part, shows in HOME_FORECASTS.items() if shows(request.user)]
    context: dict[str, Any] = {
        "show_forecast": bool(forecasts),
        "forecasts": forecasts,
        "sections": home_sections(request.user),
        "today": timezone.localdate(),
        "user_is_partner": scope_for(request.user).is_partner,
    }
    return render(request, "web/home.html", context)


@login_required
def search(request: AuthedHttpRequest) -> HttpResponse:
    """The navigation's search: as-you-type preview (htmx fragment) or the results page."""
    text = search_text(request.GET.get("q"))
    if getattr(request, "htmx", False):
        groups = global_search(user=request.user, text=text, limit=PREVIEW_LIMIT)
        return render(request, "web/_search_preview.html", {"groups": groups, "q": text})
    groups = global_search(user=request.user, text=text, limit=PAGE_LIMIT)
    return render(request, "web/search.html", {"groups": groups, "q": text, "limit": PAGE_LIMIT})


@login_required
def colleague(request: AuthedHttpRequest, user_id: int) -> HttpResponse:
    """A colleague found by the search: who they are, and what of theirs the viewer sees."""
    person = visible(User, request.user).filter(is_active=True).select_related("team")
    found = person.filter(pk=user_id).first()
    if found is None:
        raise Http404
    accounts = visible(Account, request.user).filter(owner=found, archived_at__isnull=True)
    deals = visible(Opportunity, request.user).filter(owner=found, archived_at__isnull=True)
    context = {
        "person": found,
        "roles": [Role(slug).label for slug in sorted(found.role_slugs) if slug in Role.values],
        "accounts": list(accounts.order_by("name")[:COLLEAGUE_ROWS]),
        "deals": list(deals.select_related("account").order_by("-amount", "pk")[:COLLEAGUE_ROWS]),
        "limit": COLLEAGUE_ROWS,
    }
    return render(request, "web/colleague.html", context)


#: The home page's forecast blocks, fetched after the page (htmx): each is an aggregate over
#: the user's deals, so the rest of "today" never waits for them.
HOME_FORECASTS = {
    "team": lambda user: may(user, Action.FORECAST_HOME),
    "regions": lambda user: may(user, Action.FORECAST_HOME) and scope_for(user).sees_everything,
}


@login_required
def home_forecast(request: AuthedHttpRequest, part: str) -> HttpResponse:
    """The team forecast or, for an executive, the regions' forecasts, as the home page shows
    them; not found for whoever the home page does not show it to."""
    shows = HOME_FORECASTS.get(part)
    if shows is None or scope_for(request.user).is_partner or not shows(request.user):
        raise Http404
    return render(request, "web/home/_forecast.html", {"part": part})


@login_required
def home_panel(request: AuthedHttpRequest, panel: str) -> HttpResponse:
    """A home panel's "see all": the same rows, more of them. An htmx request gets the panel
    as the home page shows it (lazy panels arrive this way)."""
    fragment = bool(getattr(request, "htmx", False))
    shown = home_panel_rows(request.user, panel, fragment=fragment)
    if shown is None:
        raise Http404
    template = "web/home/_panel.html" if fragment else "web/home_panel.html"
    return render(request, template, {"shown": shown, "today": timezone.localdate()})


def _is_admin(user: Any) -> bool:
    return may(user, Action.METHOD_CONFIGURE)


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
        "permissions": permission_matrix(),
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
