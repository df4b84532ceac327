"""Cross-cutting request handling: a request id on every response and log line, no caching of
API answers, the session idle timeout, and the API docs behind a login in production."""

import logging
import re
import time
import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import MiddlewareNotUsed
from django.core.handlers.base import BaseHandler
from django.core.handlers.exception import convert_exception_to_response
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from wuwei.core.auth import user_for_token
from wuwei.core.request_context import current_request

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
request_log = logging.getLogger("wuwei.request")


class RequestIdMiddleware:
    """Takes a sane incoming X-Request-ID (from a proxy) or makes one; echoes it back."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        token = current_request.set(request)
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            request_log.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "status": response.status_code,
                    "duration_ms": round((time.monotonic() - started) * 1000),
                },
            )
            return response
        finally:
            current_request.reset(token)


class ApiNoStoreMiddleware:
    """API answers carry people's commercial data: no browser or proxy may keep a copy."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith("/api/"):
            response["Cache-Control"] = "no-store"
        return response


#: Middleware that only serves a browser session: sessions, CSRF, session login and its second
#: factor, idle timeout, the partner portal's page rules, flash messages, htmx, login lockout.
BROWSER_ONLY = frozenset(
    {
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
        "django_otp.middleware.OTPMiddleware",
        "wuwei.org.twofactor.TwoFactorMiddleware",
        "wuwei.core.middleware.SessionIdleMiddleware",
        "wuwei.web.partner.PartnerPagesMiddleware",
        "django.contrib.messages.middleware.MessageMiddleware",
        "django_htmx.middleware.HtmxMiddleware",
        "axes.middleware.AxesMiddleware",
    }
)


def is_token_api_call(request: HttpRequest) -> bool:
    """An API call that authenticates with a bearer token alone (no session cookie)."""
    return (
        request.path.startswith("/api/")
        and request.headers.get("Authorization", "")[:7].lower() == "bearer "
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
    )


class TokenApiMiddleware:
    """Bearer-token API calls skip the browser's middleware (issue #17): from here they run
    through a second chain made of the middleware below this one minus BROWSER_ONLY — locale,
    common, frame options, history, idempotency stay. Nothing is weakened: such a call carries
    no session cookie, so no session, CSRF token or session login could apply to it (a call
    with a session cookie takes the full chain, CSRF included); `request.user` is anonymous
    until the bearer token authenticates it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        me = f"{type(self).__module__}.{type(self).__qualname__}"
        below = settings.MIDDLEWARE[settings.MIDDLEWARE.index(me) + 1 :]
        self.token_chain = _chain([path for path in below if path not in BROWSER_ONLY])

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if is_token_api_call(request):
            request.user = AnonymousUser()
            return self.token_chain(request)
        return self.get_response(request)


def _chain(paths: list[str]) -> Callable[[HttpRequest], HttpResponse]:
    """A middleware chain over Django's own view dispatch, built like BaseHandler builds it."""
    handler: Any = BaseHandler()
    handler._view_middleware = []
    handler._template_response_middleware = []
    handler._exception_middleware = []
    get_response: Any = convert_exception_to_response(handler._get_response)
    for path in reversed(paths):
        try:
            middleware = import_string(path)(get_response)
        except MiddlewareNotUsed:
            continue
        if hasattr(middleware, "process_view"):
            handler._view_middleware.insert(0, middleware.process_view)
        if hasattr(middleware, "process_template_response"):
            handler._template_response_middleware.append(middleware.process_template_response)
        if hasattr(middleware, "process_exception"):
            handler._exception_middleware.append(middleware.process_exception)
        get_response = convert_exception_to_response(middleware)
    return cast(Callable[[HttpRequest], HttpResponse], get_response)


SEEN_KEY = "_wuwei_seen"
# Refresh the session's expiry at most this often, so a page view is not also a session write.
TOUCH_EVERY = 300


class SessionIdleMiddleware:
    """Idle timeout: a session lives SESSION_COOKIE_AGE seconds after its last refresh, and a
    request refreshes it when the last refresh is older than TOUCH_EVERY seconds. So a user
    idle for SESSION_COOKIE_AGE is logged out; an active one never is."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        if session is not None and request.COOKIES.get(settings.SESSION_COOKIE_NAME):
            seen = session.get(SEEN_KEY)
            now = int(time.time())
            if isinstance(seen, int) and now - seen > TOUCH_EVERY:
                session[SEEN_KEY] = now  # marks the session modified: saved with a new expiry
        return self.get_response(request)


def mark_session_seen(request: HttpRequest) -> None:
    """Called at login, so the first requests after it need no session write."""
    session = getattr(request, "session", None)
    if session is not None:
        session[SEEN_KEY] = int(time.time())


def docs_require_login(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The interactive API docs and the OpenAPI document: open while DEBUG is on; otherwise
    for a logged-in session or a valid bearer token (so integrators' tools still read it)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if settings.DEBUG or _caller(request) is not None:
            return view(request, *args, **kwargs)
        if request.path.endswith(".json"):
            return JsonResponse({"detail": _("Authentication required."), "errors": []}, status=401)
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())

    return wrapper


def _caller(request: HttpRequest) -> Any:
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        return user_for_token(header[7:].strip())
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated and user.is_active else None
