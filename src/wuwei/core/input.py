"""One input-sanitising layer for the API (API.md "Errors"): every JSON body, query string and
path parameter passes here before any schema or database sees it, so the classes of input the
database cannot store (NUL bytes, lone surrogates, NaN/Infinity, integers beyond 64 bits, bodies
that are not a JSON object, runaway nesting) are a 422 everywhere instead of a 500 somewhere."""

import json
import math
from typing import Any

from django.utils.translation import gettext as _

from wuwei.core.errors import ValidationFailed

INT64_MAX = 2**63 - 1
INT64_MIN = -(2**63)
MAX_DEPTH = 20
#: Longest digit string a query or path value may carry before it is called out of range.
_INT64_DIGITS = len(str(INT64_MAX))


def _reject(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(_("The request is not valid."), [(field or "body", message)])


def text_problem(value: str) -> str | None:
    """Why this text cannot be stored, or None. PostgreSQL refuses NUL; UTF-8 refuses surrogates."""
    if "\x00" in value:
        return _("NUL characters are not allowed.")
    if any("\ud800" <= ch <= "\udfff" for ch in value):
        return _("The text is not valid Unicode (lone surrogate).")
    return None


def _walk(value: Any, path: str, depth: int) -> None:
    if depth > MAX_DEPTH:
        raise _reject(path, _("The JSON nesting is too deep."))
    if isinstance(value, str):
        problem = text_problem(value)
        if problem:
            raise _reject(path, problem)
    elif isinstance(value, bool) or value is None:
        return
    elif isinstance(value, int):
        if not INT64_MIN <= value <= INT64_MAX:
            raise _reject(path, _("The number is out of range."))
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise _reject(path, _("NaN and Infinity are not numbers."))
    elif isinstance(value, dict):
        for key, item in value.items():
            problem = text_problem(key)
            if problem:
                raise _reject(path, problem)
            _walk(item, f"{path}.{key}" if path else key, depth + 1)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _walk(item, f"{path}.{index}" if path else str(index), depth + 1)


def _no_constants(name: str) -> Any:
    raise _reject("", _("NaN and Infinity are not numbers."))


def parse_json_object(raw: bytes) -> dict[str, Any]:
    """The request body as a JSON object whose every value the database can store."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise _reject("", _("The body is not valid UTF-8.")) from None
    try:
        data = json.loads(text, parse_constant=_no_constants)
    except ValueError:
        raise ValidationFailed(
            _("The body is not valid JSON."), [("body", _("invalid JSON"))]
        ) from None
    except RecursionError:
        raise _reject("", _("The JSON nesting is too deep.")) from None
    if not isinstance(data, dict):
        raise ValidationFailed(
            _("The body must be a JSON object."), [("body", _("expected a JSON object"))]
        )
    _walk(data, "", 0)
    return data


def check_parameter(name: str, value: str) -> None:
    """A query or path value: storable text, and no integer literal beyond 64 bits."""
    problem = text_problem(value)
    if problem:
        raise _reject(name, problem)
    digits = value.lstrip("+-")
    if (
        digits.isdigit()
        and len(digits) >= _INT64_DIGITS
        and not (INT64_MIN <= int(value) <= INT64_MAX)
    ):
        raise _reject(name, _("The number is out of range."))
