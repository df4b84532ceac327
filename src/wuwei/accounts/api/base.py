"""The accounts router and what its modules share."""

from typing import Any

from django.http import HttpRequest
from ninja import Router

from wuwei.core.api import ErrorOut
from wuwei.org.models import User

router = Router(tags=["accounts"])
ERRORS: dict[int | tuple[int, ...], Any] = {(400, 401, 403, 404, 409, 422): ErrorOut}


def user_of(request: HttpRequest) -> User:
    """The authenticated caller (set by the API's auth classes)."""
    user: User = request.auth  # type: ignore[attr-defined]
    return user
