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


def encode_cursor(values: list[Any]) -> str:
    raw = json.dumps([None if v is None else str(v) for v in values], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _no_constant(name: str) -> Any:
    raise ValueError(name)


def decode_cursor(cursor: str, fields: "list[models.Field[Any, Any]]") -> list[Any]:
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


def check_limit(limit: int) -> None:
    if not 1 <= limit <= MAX_LIMIT:
        raise ValidationFailed(
            _("limit must be between 1 and %(max)s.") % {"max": MAX_LIMIT},
            [("limit", _("out of range"))],
        )


def keyset_page(
    queryset: models.QuerySet[T],
    *,
    sort: str | tuple[str, ...] = "id",
    limit: int = DEFAULT_LIMIT,
    cursor: str | None = None,
    with_count: bool = False,
) -> Page[T]:
    """Order by `sort` then id, and return one page. `sort` is one key or several, each a
    non-null field or annotation of the queryset's model, "-" for descending; id follows in
    the direction of the first key unless `sort` names it."""
    check_limit(limit)
    order = [sort] if isinstance(sort, str) else list(sort)
    if "id" not in (k.lstrip("-") for k in order):
        order.append(("-" if order[0].startswith("-") else "") + "id")
    keys = [k.lstrip("-") for k in order]
    fields = [_field(queryset, k) for k in keys]
    count = queryset.count() if with_count else None
    ordered = queryset.order_by(*order)
    if cursor:
        values = decode_cursor(cursor, fields)
        condition: Q | None = None
        for k, v in zip(reversed(order), reversed(values), strict=True):
            after = Q(**{f"{k.lstrip('-')}__{'lt' if k.startswith('-') else 'gt'}": v})
            condition = (
                after if condition is None else after | (Q(**{k.lstrip("-"): v}) & condition)
            )
        ordered = ordered.filter(cast(Q, condition))
    rows = list(ordered[: limit + 1])
    has_more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = None
    if has_more and rows:
        last: Any = rows[-1]
        # model instances or values() rows (dicts)
        next_cursor = encode_cursor(
            [last[k] if isinstance(last, dict) else getattr(last, k) for k in keys]
        )
    return Page(items=rows, next=next_cursor, count=count)


def _field(queryset: models.QuerySet[Any], key: str) -> "models.Field[Any, Any]":
    """The field a sort key reads: the model's, or an annotation's output field (a column of
    a related row, e.g. `F("user__username")`, or a computed value)."""
    annotation = queryset.query.annotations.get(key)
    if annotation is not None:
        return cast("models.Field[Any, Any]", annotation.output_field)
    return cast("models.Field[Any, Any]", queryset.model._meta.get_field(key))
