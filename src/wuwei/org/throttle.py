"""Login throttling (django-axes): per username+IP pair, and per IP alone against password
spraying (many usernames, a few passwords each, from one address)."""

from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from wuwei.core.ratelimit import retry_after_header


def lockout_response(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    detail = _("Too many failed login attempts. Try again in 15 minutes.")
    response: HttpResponse
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": detail, "errors": []}, status=429)
    else:
        response = render(request, "web/login.html", {"lockout": detail}, status=429)
    response["Retry-After"] = retry_after_header(int(settings.AXES_COOLOFF_TIME * 3600))
    return response


class LoginThrottleHandler(AxesDatabaseHandler):
    """AXES_LOCKOUT_PARAMETERS is [["username", "ip_address"], "ip_address"]: the pair locks
    after AXES_FAILURE_LIMIT failures, the address alone after WUWEI_LOGIN_FAILURE_LIMIT_PER_IP
    (higher: an office behind one NAT address shares it)."""

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        per_pair, per_ip = (
            attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        if per_ip >= settings.WUWEI_LOGIN_FAILURE_LIMIT_PER_IP:
            # Report the address's lock in the pair's scale, which is what axes compares.
            return max(per_pair, settings.AXES_FAILURE_LIMIT)
        return int(per_pair)

    def reset_user_attempts(
        self, request: HttpRequest, credentials: dict[str, Any] | None = None
    ) -> int:
        """A successful login clears its own pair only: one valid account must not reset the
        address's count and so let a spraying run go on."""
        per_pair = self.filter_user_attempts(request, credentials)[0]
        count, _rows = per_pair.delete()
        return int(count)
