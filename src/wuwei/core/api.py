"""API plumbing shared by every router: auth, error shape (API.md "Errors"), list envelope,
the input-sanitising parser and the catch-all that keeps every failure in the JSON envelope."""

import functools
import json
import logging
import sys
import uuid
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, TypeVar, cast, get_args

import ninja
from django.conf import settings
from django.db import DataError, InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.operation import Operation
from ninja.parser import Parser
from ninja.renderers import JSONRenderer
from ninja.responses import NinjaJSONEncoder
from ninja.security import APIKeyCookie, HttpBearer
from pydantic import AfterValidator, ConfigDict, ValidationInfo, field_validator, model_validator

from wuwei.core.auth import user_for_token
from wuwei.core.errors import DomainError, NotFound, ValidationFailed
from wuwei.core.input import INT64_MAX, INT64_MIN, check_parameter, parse_json_object
from wuwei.core.pagination import DEFAULT_LIMIT, MAX_LIMIT
from wuwei.core.visibility import get_visible

T = TypeVar("T")
logger = logging.getLogger("wuwei.api")


class Schema(ninja.Schema):
    """Base of every API schema. Beyond pydantic's checks: `true` is not an integer, a number
    outside 64 bits and NaN/Infinity are refused, and a text field that must not be empty
    (min_length ≥ 1) is not satisfied by whitespace alone."""

    model_config = ConfigDict(allow_inf_nan=False)

    @field_validator("*", mode="before")
    @classmethod
    def _strict_integers(cls, value: Any, info: ValidationInfo) -> Any:
        if info.field_name not in _integer_fields(cls):
            return value
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, bool):
                raise ValueError("must be an integer, not a boolean")
            if isinstance(item, int) and not INT64_MIN <= item <= INT64_MAX:
                raise ValueError("out of range")
        return value

    @model_validator(mode="after")
    def _no_blank_text(self) -> "Schema":
        for name in _nonempty_text_fields(type(self)):
            value = getattr(self, name, None)
            if isinstance(value, str) and value and not value.strip():
                raise ValueError(f"{name}: must not be blank")
        return self


# What the two checks above look at, worked out once per schema class: they run for every
# field of every object validated (600 nested objects in a 300-contact relationship map).
@functools.cache
def _integer_fields(schema: type[Schema]) -> frozenset[str]:
    return frozenset(n for n, f in schema.model_fields.items() if _wants_int(f.annotation))


@functools.cache
def _nonempty_text_fields(schema: type[Schema]) -> tuple[str, ...]:
    return tuple(
        name
        for name, field in schema.model_fields.items()
        if any(getattr(m, "min_length", 0) for m in field.metadata)
    )


MAX_JSON_FIELD_BYTES = 16_384


def _json_size_limit(value: dict[str, Any] | None) -> dict[str, Any] | None:
    if value is not None and len(json.dumps(value, ensure_ascii=False).encode()) > (
        MAX_JSON_FIELD_BYTES
    ):
        raise ValueError(f"at most {MAX_JSON_FIELD_BYTES} bytes as JSON")
    return value


#: A free-form JSON object field (custom fields): at most 50 keys and 16 KB.
JsonObject = Annotated[
    dict[str, Any],
    Field(max_length=50, description=f"At most 50 keys and {MAX_JSON_FIELD_BYTES} bytes."),
    AfterValidator(_json_size_limit),
]


def _wants_int(annotation: Any) -> bool:
    """Whether a field takes integers (int, int | None, list[int]) and not booleans."""
    if annotation is bool:
        return False
    if annotation is int:
        return True
    return any(_wants_int(arg) for arg in get_args(annotation))


class SafeParser(Parser):
    """Bodies must be JSON objects of storable values; query values must be storable text."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        return parse_json_object(request.body)

    def parse_querydict(
        self, data: MultiValueDict[str, Any], list_fields: list[str], request: HttpRequest
    ) -> dict[str, Any]:
        for key, values in data.lists():
            check_parameter(key, key)
            for value in values:
                if isinstance(value, str):
                    check_parameter(key, value)
        return super().parse_querydict(data, list_fields, request)


class UnsupportedMediaType(DomainError):
    status = 415


class WuweiAPI(NinjaAPI):
    """The NinjaAPI with the sanitising parser, the path check and a truthful document."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(parser=SafeParser(), renderer=ApiRenderer(), **kwargs)
        self.add_decorator(self._checked_path, mode="view")

    def get_openapi_operation_id(self, operation: Operation) -> str:
        """`<module>_<function>` as django-ninja names it, unless the module declares
        `OPERATION_ID_MODULE`: a router split out of a module into a package by sub-domain
        names the module it came from, so that splitting a router never renames an operation."""
        module = operation.view_func.__module__
        module = getattr(sys.modules.get(module), "OPERATION_ID_MODULE", module)
        return f"{module}_{operation.view_func.__name__}".replace(".", "_")

    def _checked_path(self, run: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        """Path parameters pass the same check as query values, before any lookup."""

        @functools.wraps(run)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            try:
                for name, value in kwargs.items():
                    if isinstance(value, str):
                        check_parameter(name, value)
                # Operations without a body parameter never parse one; any body sent must
                # still be a JSON object (API.md), so that no operation accepts `[]` as `{}`.
                if request.method in {"POST", "PUT", "PATCH", "DELETE"} and request.body:
                    if request.content_type != "application/json":
                        return self.on_exception(
                            request, UnsupportedMediaType(_("Send the body as application/json."))
                        )
                    parse_json_object(request.body)
            except DomainError as exc:
                return self.on_exception(request, exc)
            return run(request, *args, **kwargs)

        return wrapper

    def get_openapi_schema(self, **kwargs: Any) -> Any:
        """Every operation documents every error status it can return, with ErrorOut."""
        schema = super().get_openapi_schema(**kwargs)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components.setdefault("ErrorItem", ErrorItem.model_json_schema())
        if "ErrorOut" not in components:
            error_schema = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
            error_schema.pop("$defs", None)
            components["ErrorOut"] = error_schema
        reference = {"$ref": "#/components/schemas/ErrorOut"}
        for operations in schema["paths"].values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                for status in ERROR_STATUSES:
                    if status == 401 and not operation.get("security"):
                        continue
                    if status in responses or str(status) in responses:
                        continue
                    responses.setdefault(
                        status,
                        {
                            "description": _error_description(status),
                            "content": {"application/json": {"schema": reference}},
                        },
                    )
        return schema


def _error_description(status: int) -> str:
    return {
        400: "Bad request",
        401: "Not authenticated",
        403: "Not allowed",
        404: "Not found or not visible to you",
        409: "Version conflict or a blocking rule",
        415: "The body is not application/json",
        422: "The request is not valid",
        429: "Throttled",
    }[status]


class ApiJSONEncoder(NinjaJSONEncoder):
    """ninja's encoder, the types every deal row carries (amounts, dates, timestamps) first:
    the same text as DjangoJSONEncoder gives them, without its chain of isinstance checks
    (a page of 50 deals asks 250 times)."""

    def default(self, o: Any) -> Any:
        kind = type(o)
        if kind is Decimal:
            return str(o)
        if kind is date:
            return o.isoformat()
        if kind is datetime:
            text = o.isoformat()
            if o.microsecond:
                text = text[:23] + text[26:]
            return text[:-6] + "Z" if text.endswith("+00:00") else text
        return super().default(o)


class ApiRenderer(JSONRenderer):
    encoder_class = ApiJSONEncoder


def answer(body: Any, status: int = 200) -> HttpResponse:
    """Answer with `body` as it is, rendered exactly as the API renders a validated answer
    (ApiRenderer). For operations that build their answer from values() rows or
    plain dicts exactly as their response schema prints them: no per-attribute schema
    resolution (issue #17). Their tests validate such answers against the schema."""
    return HttpResponse(
        json.dumps(body, cls=ApiJSONEncoder),
        status=status,
        content_type="application/json; charset=utf-8",
    )


class AuthedRequest(HttpRequest):
    """What an API operation receives once auth passed: `auth` is the calling user."""

    auth: Any


class BearerAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = user_for_token(token)
        if user is not None:
            # History and visibility read request.user; make it the token's owner (the
            # AUTH_USER_MODEL instance org's lookup returned; core does not import org).
            request.user = cast(Any, user)
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


#: The error responses every operation documents (API.md "Errors"); ApiDocument adds them to
#: any operation that forgot one, so the document lists every status an operation can return.
ERROR_STATUSES = (400, 401, 403, 404, 409, 415, 422, 429)
ERRORS: dict[int | tuple[int, ...], Any] = {ERROR_STATUSES: ErrorOut}


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

    @api.exception_handler(Exception)
    def unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        # Input the database refused although the sanitising layer let it through is still
        # the client's input: a 422, not a fault of ours.
        if isinstance(exc, OverflowError | DataError):
            return respond(
                request,
                422,
                error_body(_("A value is out of range or cannot be stored."), [("", str(exc))]),
            )
        # The id the request-id middleware gave this request (a proxy's, or a new one).
        request_id = getattr(request, "request_id", "") or uuid.uuid4().hex
        logger.exception(
            "Unexpected error in %s %s (request id %s)", request.method, request.path, request_id
        )
        response = respond(
            request,
            500,
            error_body(
                _("An unexpected error occurred; it has been logged (request id %(id)s).")
                % {"id": request_id}
            ),
        )
        response["X-Request-ID"] = request_id
        return response

    @api.exception_handler(ValidationError)
    def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors = [(_field_of(e.get("loc", ())), str(e.get("msg", ""))) for e in exc.errors]
        return respond(request, 422, error_body(_("The request is not valid."), errors))

    @api.exception_handler(AuthenticationError)
    def not_authenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return respond(request, 401, error_body(_("Authentication required.")))

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        # Ninja wraps whatever the body parser raised in a 400; the parser's reason wins.
        if isinstance(exc.__cause__, DomainError):
            return domain_error(request, exc.__cause__)
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


class ListQuery(Schema):
    """The page query of every list (API.md "Lists")."""

    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)
    cursor: str | None = Field(None, max_length=500)
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
