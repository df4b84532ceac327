"""API plumbing shared by every router: auth, error shape (API.md "Errors"), list envelope."""

import logging
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import APIKeyCookie, HttpBearer

from wuwei.core.errors import DomainError, NotFound, ValidationFailed
from wuwei.core.pagination import DEFAULT_LIMIT
from wuwei.core.visibility import get_visible

T = TypeVar("T")
logger = logging.getLogger(__name__)


class AuthedRequest(HttpRequest):
    """What an API operation receives once auth passed: `auth` is the calling user."""

    auth: Any


class BearerAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        from wuwei.org.tokens import user_for_token

        user = user_for_token(token)
        if user is not None:
            # History and visibility read request.user; make it the token's owner.
            request.user = user
        return user


class SessionAuth(APIKeyCookie):
    """A logged-in browser session; writes need the CSRF token (checked by APIKeyCookie)."""

    param_name = settings.SESSION_COOKIE_NAME

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = request.user
        return user if user.is_authenticated and user.is_active else None


class ErrorItem(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    detail: str
    errors: list[ErrorItem] = []


def error_body(detail: str, errors: list[tuple[str, str]] | None = None) -> dict[str, Any]:
    return {"detail": detail, "errors": [{"field": f, "message": m} for f, m in errors or []]}


def _field_of(loc: list[Any] | tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in {"body", "query", "path", "header", "form", "cookie"}:
        parts = parts[1:]
    # Ninja nests the body under the parameter name (payload); the client never sees it.
    if parts and parts[0] == "payload":
        parts = parts[1:]
    return ".".join(parts)


def install_error_handlers(api: NinjaAPI) -> None:
    def respond(request: HttpRequest, status: int, body: dict[str, Any]) -> HttpResponse:
        return api.create_response(request, body, status=status)

    @api.exception_handler(DomainError)
    def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        return respond(request, exc.status, error_body(exc.detail, exc.errors))

    @api.exception_handler(ValidationError)
    def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors = [(_field_of(e.get("loc", ())), str(e.get("msg", ""))) for e in exc.errors]
        return respond(request, 422, error_body(_("The request is not valid."), errors))

    @api.exception_handler(AuthenticationError)
    def not_authenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return respond(request, 401, error_body(_("Authentication required.")))

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return respond(request, exc.status_code, error_body(str(exc)))

    @api.exception_handler(OperationalError)
    @api.exception_handler(InterfaceError)
    def database_unavailable(request: HttpRequest, exc: Exception) -> HttpResponse:
        # The database is down or the connection broke: retryable, and nothing was written
        # (the request's transaction could not commit). Django drops the broken connection at
        # the end of the request and the next one reconnects (CONN_HEALTH_CHECKS).
        logger.error("Database unavailable: %s", exc)
        response = respond(
            request,
            503,
            error_body(_("The database is temporarily unavailable. Try again in a moment.")),
        )
        response["Retry-After"] = "30"
        return response

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return respond(request, 404, error_body(_("Not found.")))


class ListParams(Schema):
    limit: int = DEFAULT_LIMIT
    cursor: str | None = None
    count: bool = False


def expected_version(request: HttpRequest, body_version: int | None) -> int | None:
    """The version the client read: the body's `version`, else the If-Match header."""
    if body_version is not None:
        return body_version
    header = request.headers.get("If-Match", "").strip().strip('"').removeprefix("W/").strip('"')
    return int(header) if header.isdigit() else None


def required_version(request: HttpRequest, body_version: int | None) -> int:
    """The version the client read, which every write sends (API.md): 422 when absent."""
    version = expected_version(request, body_version)
    if version is None:
        raise ValidationFailed(
            _("Send the version you read (field 'version' or header If-Match)."),
            [("version", _("This field is required."))],
        )
    return version


def written(read: Callable[[], T], record: T) -> T:
    """What a successful write answers: the record re-read as the caller sees it, or, when
    the write itself moved it out of their sight (handed to another owner or team), the record
    as written. Never a 404 after a commit: a client would take it for a failure and retry
    into a duplicate (issue 11)."""
    try:
        return read()
    except NotFound:
        return record


def reject_nulls(changes: dict[str, Any], required: tuple[str, ...]) -> None:
    """PATCH may omit a required field but not set it to null."""
    nulls = [f for f in required if f in changes and changes[f] is None]
    if nulls:
        raise ValidationFailed(
            _("These fields cannot be empty: %(fields)s.") % {"fields": ", ".join(nulls)},
            [(f, _("This field cannot be null.")) for f in nulls],
        )


def visible_ref(user: Any, model: type[Any], pk: int, field: str) -> Any:
    """Resolve an id the client sent; one it cannot see is 'not found' on that field."""
    try:
        return get_visible(model, user, pk=pk)
    except NotFound:
        raise NotFound(
            _("%(field)s %(id)s not found.") % {"field": field, "id": pk},
            [(field, _("not found"))],
        ) from None
