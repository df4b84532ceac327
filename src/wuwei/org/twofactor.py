"""Two-factor sign-in (TOTP, django-otp): enrol with a QR code, verify after the password.

Whether a session still owes its second factor is decided once, at login, and kept in the
session (`SESSION_KEY`), so ordinary requests cost no query:
  "verify"  the user has a confirmed device: pages redirect to the code form until it passes;
  "enrol"   WUWEI_REQUIRE_2FA is on and an administrator, executive or manager has no device:
            pages redirect to the enrolment page until one is confirmed.
"""

from base64 import b32encode
from collections.abc import Callable
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from wuwei.core.audit import audit_record
from wuwei.core.models import AuditAction
from wuwei.org.models import User
from wuwei.org.permissions import Action, may

SESSION_KEY = "_wuwei_2fa"
VERIFY, ENROL = "verify", "enrol"
# Paths a session that owes its second factor may still reach.
OPEN_PREFIXES = ("/login/", "/logout/", "/org/two-factor/", "/static/", "/i18n/", "/healthz")


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def is_required_for(user: User) -> bool:
    """Who must enrol when WUWEI_REQUIRE_2FA is on: those who can see or change the most."""
    return settings.WUWEI_REQUIRE_2FA and may(user, Action.TWOFACTOR_REQUIRED)


def start_session(request: HttpRequest, user: User) -> None:
    """At login: note what this session still owes."""
    session = getattr(request, "session", None)
    if session is None:
        return
    if confirmed_device(user) is not None:
        session[SESSION_KEY] = VERIFY
    elif is_required_for(user):
        session[SESSION_KEY] = ENROL
    else:
        session.pop(SESSION_KEY, None)


def pending_device(user: User) -> TOTPDevice:
    """The unconfirmed device being enrolled (one per user), made on first visit."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Wuwei", confirmed=False)
    return device


def secret_of(device: TOTPDevice) -> str:
    return b32encode(device.bin_key).decode().rstrip("=")


def qr_svg(uri: str) -> str:
    """The otpauth URI as an SVG QR code, made here: no image leaves the server."""
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    svg = str(image.to_string(encoding="unicode"))
    return svg[svg.index("<svg") :]  # inline in HTML: no XML declaration


def device_verify(user: User, device: TOTPDevice, code: str) -> bool:
    """Check a code against the device; django-otp slows repeated failures down."""
    code = "".join(code.split())
    allowed, _details = device.verify_is_allowed()
    ok = bool(allowed and code.isdigit() and len(code) <= 8 and device.verify_token(code))
    if not ok:
        audit_record(action=AuditAction.TWO_FACTOR_FAILED, actor=user, target=user)
    return ok


def enrolment_confirm(request: HttpRequest, user: User, device: TOTPDevice) -> None:
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    otp_login(request, device)
    request.session.pop(SESSION_KEY, None)
    audit_record(
        action=AuditAction.TWO_FACTOR_ENABLED,
        actor=user,
        target=user,
        changes={"two_factor": [False, True]},
    )


def session_verified(request: HttpRequest, device: TOTPDevice) -> None:
    otp_login(request, device)
    request.session.pop(SESSION_KEY, None)


def two_factor_disable(user: User) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    audit_record(
        action=AuditAction.TWO_FACTOR_DISABLED,
        actor=user,
        target=user,
        changes={"two_factor": [True, False]},
    )


class TwoFactorMiddleware:
    """Holds a session that owes its second factor at the verify (or enrol) page. API calls
    with such a session are unauthenticated (401); bearer tokens are checked when made."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        owed = session.get(SESSION_KEY) if session is not None else None
        if owed and not request.path.startswith(OPEN_PREFIXES):
            if request.path.startswith("/api/"):
                if request.headers.get("Authorization"):
                    return self.get_response(request)
                return JsonResponse(
                    {"detail": _("Two-factor sign-in is not complete."), "errors": []},
                    status=401,
                )
            target = reverse("org:two_factor_verify" if owed == VERIFY else "org:two_factor")
            return HttpResponseRedirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
