"""Small helpers the people pages share."""

from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.http import Http404

from wuwei.core.errors import NotAllowed, NotFound

T = TypeVar("T")


def found(getter: Callable[..., T], **kwargs: Any) -> T:
    """Run a selector; absent or invisible is a 404 page."""
    try:
        return getter(**kwargs)
    except NotFound:
        raise Http404 from None


def allowed(action: Callable[..., T], **kwargs: Any) -> T:
    """Run a service; a role that may not do it is a 403 page."""
    try:
        return action(**kwargs)
    except NotAllowed as exc:
        raise PermissionDenied(exc.detail) from None
