"""Shell pages: login, home (Insights), playbook (the method configuration in force), and the
glossary of the method's words."""

import json
from typing import Any

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from wuwei.accounts.models import Account, AccountStatus
from wuwei.core.config import method_config
from wuwei.core.visibility import scope_for, visible
from wuwei.org.models import Segment
from wuwei.web.glossary import TERMS
from wuwei.web.pages import AuthedHttpRequest


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


@login_required
def glossary(request: AuthedHttpRequest) -> HttpResponse:
    """The method's vocabulary, one anchor per term (the "?" links point here)."""
    return render(request, "web/glossary.html", {"terms": TERMS})


def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
