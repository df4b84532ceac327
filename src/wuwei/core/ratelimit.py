"""Rate limits on the API (API.md: 429 with Retry-After): fixed windows counted in the cache.

Two limits, each "N/SECONDS" in settings (0 turns it off): the anonymous token endpoint per
client address, and every other API request per caller (its bearer token or session, else its
address). Counting needs no database query: the key is a hash of the credential. The counters
live in Django's cache; with the default local-memory cache each worker process counts on its
own, so the effective limit is N × WEB_WORKERS (a shared cache makes it exact).
"""

import hashlib
import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

TOKEN_PATH = "/api/v1/auth/token"


@dataclass(frozen=True, slots=True)
class Rate:
    limit: int
    window: int  # seconds

    @classmethod
    def parse(cls, text: str) -> "Rate | None":
        """'10/60' → 10 requests per 60 s; '0' or '' → no limit."""
        text = (text or "").strip()
        if text in {"", "0"}:
            return None
        count, _sep, seconds = text.partition("/")
        return cls(int(count), int(seconds or 60))


def client_ip(request: HttpRequest) -> str:
    """The caller's address. Behind WUWEI_PROXY_COUNT trusted proxies it is the entry that many
    places from the right of X-Forwarded-For (what the nearest proxy saw), never a value the
    client wrote itself."""
    proxies = settings.WUWEI_PROXY_COUNT
    if proxies:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [h for h in hops if h]
        if len(hops) >= proxies:
            return str(hops[-proxies])
    return str(request.META.get("REMOTE_ADDR", "") or "")


def retry_after_header(seconds: int) -> str:
    return str(max(1, int(seconds)))


def hit(scope: str, ident: str, rate: Rate, now: float | None = None) -> int:
    """Count one request; return 0 when allowed, else the seconds until the window ends."""
    now = time.time() if now is None else now
    window_start = int(now // rate.window) * rate.window
    digest = hashlib.sha256(ident.encode()).hexdigest()[:32]
    key = f"wuwei:rl:{scope}:{digest}:{window_start}"
    cache.add(key, 0, timeout=rate.window + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr: this request opens a new window
        cache.set(key, 1, timeout=rate.window + 1)
        count = 1
    if count > rate.limit:
        return max(1, math.ceil(window_start + rate.window - now))
    return 0


def _caller_key(request: HttpRequest) -> str:
    auth = request.headers.get("Authorization", "")
    if auth:
        return "auth:" + auth
    session = request.COOKIES.get(settings.SESSION_COOKIE_NAME, "")
    if session:
        return "session:" + session
    return "ip:" + (client_ip(request) or "unknown")


def too_many(retry_after: int) -> JsonResponse:
    response = JsonResponse(
        {"detail": _("Too many requests. Try again in a moment."), "errors": []}, status=429
    )
    response["Retry-After"] = retry_after_header(retry_after)
    return response


class ApiRateLimitMiddleware:
    """Counts API requests before any other work; a throttled request touches nothing."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/api/"):
            if request.path.rstrip("/") == TOKEN_PATH:
                rate, scope, ident = Rate.parse(settings.WUWEI_RATE_TOKEN), "token", None
                ident = client_ip(request)
            else:
                rate, scope = Rate.parse(settings.WUWEI_RATE_API), "api"
                ident = _caller_key(request)
            if rate is not None:
                wait = hit(scope, ident, rate)
                if wait:
                    return too_many(wait)
        return self.get_response(request)
