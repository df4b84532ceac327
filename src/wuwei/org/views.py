"""The handover page (METHOD.md §3.5): preview what a user owns, hand it to successors."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from wuwei.core.errors import DomainError, NotFound
from wuwei.core.forms import add_domain_error
from wuwei.core.visibility import get_visible
from wuwei.org import twofactor
from wuwei.org.forms import HandoverForm
from wuwei.org.handover import handover_pending, handover_run, may_hand_over
from wuwei.org.http import AuthedHttpRequest
from wuwei.org.models import HandoverRecord, User
from wuwei.org.permissions import Action, may


def _may_open(user: User) -> bool:
    return may(user, Action.ORG_HANDOVER)


@login_required
def handover(request: AuthedHttpRequest) -> HttpResponse:
    if not _may_open(request.user):
        raise PermissionDenied(_("Only administrators and managers run handovers."))
    target = None
    user_id = request.GET.get("user", "")
    if user_id.isdigit():
        try:
            target = get_visible(User, request.user, pk=int(user_id))
        except NotFound:
            raise Http404 from None
        if not may_hand_over(request.user, target):
            raise PermissionDenied(_("Only an administrator or the user's manager can do this."))
    form = None
    if target is not None:
        form = HandoverForm(request.POST or None, user=target)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                handover_run(
                    actor=request.user,
                    user=target,
                    reason=data["reason"],
                    default_successor=data["successor"],
                    successors=form.successors(),
                    note=data["note"],
                    deactivate=data["deactivate"],
                    new_team=data["team"],
                )
                messages.success(request, _("Handover done."))
                return redirect(f"{reverse('org:handover')}?user={target.pk}")
            except DomainError as exc:
                add_domain_error(form, exc)
    users = User.objects.order_by("-is_active", "username")
    records = HandoverRecord.objects.select_related("user", "performed_by")[:20]
    if not may(request.user, Action.AUDIT_READ):
        records = records.none() if target is None else records.filter(user=target)
    return render(
        request,
        "org/handover.html",
        {
            "target": target,
            "pending": handover_pending(target) if target else [],
            "form": form,
            "users": users,
            "records": records,
        },
    )


def _safe_next(request: AuthedHttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("web:home")


@login_required
def two_factor(request: AuthedHttpRequest) -> HttpResponse:
    """Status, enrolment (QR code and key) and turning off, for the signed-in user."""
    user = request.user
    owed = request.session.get(twofactor.SESSION_KEY)
    if owed == twofactor.VERIFY:  # the password alone does not let anyone re-enrol
        return redirect(f"{reverse('org:two_factor_verify')}?next={reverse('org:two_factor')}")
    device = twofactor.confirmed_device(user)
    error = ""
    if request.method == "POST":
        code = request.POST.get("code", "")
        if request.POST.get("action") == "disable" and device is not None:
            if twofactor.is_required_for(user):
                error = _("Your role requires two-factor sign-in.")
            elif twofactor.device_verify(user, device, code):
                twofactor.two_factor_disable(user)
                messages.success(request, _("Two-factor sign-in is off."))
                return redirect("org:two_factor")
            else:
                error = _("That code is not valid. Try the current one.")
        elif request.POST.get("action") == "enable" and device is None:
            pending = twofactor.pending_device(user)
            if twofactor.device_verify(user, pending, code):
                twofactor.enrolment_confirm(request, user, pending)
                messages.success(request, _("Two-factor sign-in is on."))
                return redirect(_safe_next(request))
            error = _("That code is not valid. Try the current one.")
    context: dict[str, Any] = {
        "enabled": device is not None,
        "required": twofactor.is_required_for(user),
        "error": error,
        "next": _safe_next(request),
    }
    if device is None:
        pending = twofactor.pending_device(user)
        context.update(
            uri=pending.config_url,
            secret=twofactor.secret_of(pending),
            qr_svg=twofactor.qr_svg(pending.config_url),
        )
    return render(request, "org/two_factor.html", context)


@login_required
def two_factor_verify(request: AuthedHttpRequest) -> HttpResponse:
    """The second step of signing in, for users with a confirmed device."""
    if request.session.get(twofactor.SESSION_KEY) != twofactor.VERIFY:
        return redirect(_safe_next(request))
    error = ""
    if request.method == "POST":
        device = twofactor.confirmed_device(request.user)
        if device is not None and twofactor.device_verify(
            request.user, device, request.POST.get("code", "")
        ):
            twofactor.session_verified(request, device)
            return redirect(_safe_next(request))
        error = _("That code is not valid. Try the current one.")
    return render(
        request, "org/two_factor_verify.html", {"error": error, "next": _safe_next(request)}
    )
