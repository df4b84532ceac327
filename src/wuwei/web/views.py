"""Shell pages: login, home (Insights), playbook (the method configuration in force)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from wuwei.accounts.models import Account, AccountStatus
from wuwei.core.config import method_config, method_config_update
from wuwei.core.errors import DomainError
from wuwei.core.visibility import scope_for, visible
from wuwei.org.models import Segment
from wuwei.playbook.selectors import rule_rows
from wuwei.web.forms import add_domain_error
from wuwei.web.pages import AuthedHttpRequest
from wuwei.web.playbook import ConfigForm, config_tables, ninebox_table


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


def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
