"""The nine-box chart, the conflict queue and the tactics library pages."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wuwei.accounts import forms, selectors, services
from wuwei.accounts.api.grading import ninebox_point
from wuwei.accounts.models import ConflictKind, ConflictStatus, Industry, Strategy
from wuwei.accounts.services.conflicts import can_decide
from wuwei.core.config import method_config
from wuwei.core.errors import DomainError, NotAllowed, NotFound
from wuwei.core.exports import Column, export_format, export_response, in_batches
from wuwei.core.forms import add_domain_error
from wuwei.core.pages import page_from_request, render_list
from wuwei.core.tactics.views import TacticLibraryPages
from wuwei.org.http import AuthedHttpRequest

NINEBOX_LIMIT = 2000


def _other_account(row: Any) -> str:
    """The other account's name only when the viewer sees it (as on the page)."""
    conflict, seen = row
    if not conflict.other_account_id:
        return ""
    if conflict.other_account_id in seen:
        return str(conflict.other_account.name)
    return str(_("(not visible to you)"))


CONFLICT_COLUMNS = [
    Column(gettext_lazy("Raised"), lambda row: row[0].created_at),
    Column(gettext_lazy("Kind"), lambda row: row[0].get_kind_display()),
    Column(gettext_lazy("Account"), lambda row: row[0].account.name),
    Column(gettext_lazy("Other account"), _other_account),
    Column(gettext_lazy("Raised by"), lambda row: row[0].raised_by),
    Column(gettext_lazy("Status"), lambda row: row[0].get_status_display()),
    Column(gettext_lazy("Summary"), lambda row: row[0].summary),
]


@login_required
def ninebox(request: AuthedHttpRequest) -> HttpResponse:
    """All visible graded accounts on potential x contribution; a dot links to the account."""
    industry = request.GET.get("industry") or None
    if industry not in (None, *Industry.values):
        industry = None
    filters = selectors.AccountFilters(industry=industry, owner=request.GET.get("owner") or None)
    accounts = selectors.ninebox_accounts(user=request.user, filters=filters).order_by("name")
    points = [
        {
            **ninebox_point(a),
            "class": a.current_grading.account_class,  # type: ignore[union-attr]
            "url": reverse("accounts:detail", args=[a.pk]),
        }
        for a in accounts[:NINEBOX_LIMIT]
    ]
    config = method_config().ninebox
    counts = {c: sum(1 for p in points if p["class"] == c) for c in "ABCD"}
    return render(
        request,
        "accounts/ninebox.html",
        {
            "points": points,
            "cuts": {"high": config.high_cut, "medium": config.medium_cut},
            "counts": counts,
            "labels": {
                "grade": _("Grade"),
                "contribution": _("Contribution"),
                "potential": _("Potential"),
            },
            "industries": Industry.choices,
            "industry": industry or "",
        },
    )


@login_required
def conflict_list(request: AuthedHttpRequest) -> HttpResponseBase:
    status = request.GET.get("status", ConflictStatus.OPEN)
    kind = request.GET.get("kind") or None
    filters = selectors.ConflictFilters(
        status=status if status in ConflictStatus.values else None,
        kind=kind if kind in ConflictKind.values else None,
    )
    qs = selectors.conflict_list(user=request.user, filters=filters)
    if fmt := export_format(request):
        user = request.user
        rows = in_batches(
            qs.order_by("-created_at", "-pk"),
            lambda batch: selectors.visible_account_ids(
                user=user, ids=[c.other_account_id for c in batch if c.other_account_id]
            ),
        )
        return export_response(request, rows, CONFLICT_COLUMNS, filename="conflicts", fmt=fmt)
    page = page_from_request(request, qs, sort="-created_at")
    seen = selectors.visible_account_ids(
        user=request.user, ids=[c.other_account_id for c in page.items if c.other_account_id]
    )
    return render_list(
        request,
        "accounts/conflicts.html",
        "accounts/_conflict_table.html",
        {
            "page": page,
            "seen": seen,
            "status": status,
            "kind": kind or "",
            "statuses": ConflictStatus.choices,
            "kinds": ConflictKind.choices,
        },
    )


def _conflict(request: AuthedHttpRequest, conflict_id: int) -> Any:
    try:
        return selectors.conflict_get(user=request.user, id=conflict_id)
    except NotFound:
        raise Http404 from None


@login_required
def conflict_detail(request: AuthedHttpRequest, conflict_id: int) -> HttpResponse:
    conflict = _conflict(request, conflict_id)
    form = forms.DecisionForm(request.POST or None, initial={"version": conflict.version})
    if request.method == "POST":
        action = request.POST.get("action")
        if action not in ("resolve", "dismiss"):
            raise Http404
        if form.is_valid():
            data = form.cleaned_data
            try:
                if action == "resolve":
                    services.conflict_resolve(
                        user=request.user,
                        conflict=conflict,
                        decision=data["decision"],
                        archive_duplicate=data["archive_duplicate"],
                        expected_version=data["version"],
                    )
                else:
                    services.conflict_dismiss(
                        user=request.user,
                        conflict=conflict,
                        decision=data["decision"],
                        expected_version=data["version"],
                    )
            except NotAllowed as exc:
                raise PermissionDenied(exc.detail) from None
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("Decision recorded."))
                return redirect("accounts:conflict", conflict.pk)
    seen = selectors.visible_account_ids(
        user=request.user, ids=[conflict.other_account_id] if conflict.other_account_id else []
    )
    from wuwei.core.history import history_entries

    return render(
        request,
        "accounts/conflict.html",
        {
            "conflict": conflict,
            "form": form,
            "can_decide": can_decide(request.user, conflict),
            "other_visible": conflict.other_account_id in seen,
            "history": history_entries(conflict),
        },
    )


#: The account strategies' tactics library pages: the one library editor (core.tactics).
TACTIC_PAGES = TacticLibraryPages(
    library=services.ACCOUNT_TACTICS,
    strategies=Strategy,
    namespace="accounts",
    url_prefix="tactic",
    title=gettext_lazy("Tactics library"),
    heading=gettext_lazy("Account strategy tactics"),
    testid="tactics",
)
