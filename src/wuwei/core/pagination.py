"""Keyset pagination (API.md "Lists"): stable under inserts and as fast on page 1,000 as on 1."""

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, cast

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext as _

from wuwei.core.errors import ValidationFailed
from wuwei.core.input import INT64_MAX, INT64_MIN, text_problem

T = TypeVar("T", bound=models.Model)

DEFAULT_LIMIT = 50
MAX_LIMIT = 500


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: list[T]
    next: str | None
    count: int | None = None


def _encode(values: list[Any]) -> str:
    raw = json.dumps([None if v is None else str(v) for v in values], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _no_constant(name: str) -> Any:
    raise ValueError(name)


def _decode(cursor: str, fields: "list[models.Field[Any, Any]]") -> list[Any]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw, parse_constant=_no_constant)
        if not isinstance(values, list) or len(values) != len(fields):
            raise ValueError
        # The sort keys are non-null fields: a cursor with a null (or a non-text value) was
        # not made here.
        if not all(isinstance(v, str) and text_problem(v) is None for v in values):
            raise ValueError
        decoded = [f.to_python(v) for f, v in zip(fields, values, strict=True)]
        if any(isinstance(v, int) and not INT64_MIN <= v <= INT64_MAX for v in decoded):
            raise ValueError
        return decoded
    except (
        ValueError,
        TypeError,
        OverflowError,
        RecursionError,
        binascii.Error,
        DjangoValidationError,
    ):
        raise ValidationFailed(
            _("The cursor is not valid; start again from the first page."),
            [("cursor", _("invalid"))],
        ) from None


def keyset_page(
    queryset: models.QuerySet[T],
    *,
    sort: str = "id",
    limit: int = DEFAULT_LIMIT,
    cursor: str | None = None,
    with_count: bool = False,
) -> Page[T]:
    """Order by `sort` (a non-null field, "-" for descending) then id, and return one page."""
    if not 1 <= limit <= MAX_LIMIT:
        raise ValidationFailed(
            _("limit must be between 1 and %(max)s.") % {"max": MAX_LIMIT},
            [("limit", _("out of range"))],
        )
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    keys = [key, "id"] if key != "id" else ["id"]
    meta = queryset.model._meta
    fields = [cast("models.Field[Any, Any]", meta.get_field(k)) for k in keys]
    count = queryset.count() if with_count else None
    ordered = queryset.order_by(*[("-" if descending else "") + k for k in keys])
    if cursor:
        values = _decode(cursor, fields)
        op = "lt" if descending else "gt"
        condition = Q(**{f"{keys[-1]}__{op}": values[-1]})
        for k, v in zip(reversed(keys[:-1]), reversed(values[:-1]), strict=True):
            condition = Q(**{f"{k}__{op}": v}) | (Q(**{k: v}) & condition)
        ordered = ordered.filter(condition)
    rows = list(ordered[: limit + 1])
    has_more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = None
    if has_more and rows:
        last: Any = rows[-1]
        # model instances or values() rows (dicts)
        next_cursor = _encode(
            [last[k] if isinstance(last, dict) else getattr(last, k) for k in keys]
        )
    return Page(items=rows, next=next_cursor, count=count)
