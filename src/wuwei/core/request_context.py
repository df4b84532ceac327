"""The request being served by this thread (or task), for log records and the audit trail.
Imports nothing of Django's app machinery, so logging configuration can load it early."""

from contextvars import ContextVar
from typing import Any

from django.http import HttpRequest
from django.utils.functional import empty

current_request: ContextVar[HttpRequest | None] = ContextVar("wuwei_request", default=None)


def request_user(request: HttpRequest | None) -> Any:
    """The authenticated user if this request already looked it up, without a query."""
    if request is None:
        return None
    user = getattr(request, "user", None)
    if getattr(user, "_wrapped", None) is empty:  # a lazy user never evaluated: no query
        return None
    return user if getattr(user, "is_authenticated", False) else None
