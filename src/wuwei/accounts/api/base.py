"""The accounts router and what its modules share."""

from django.http import HttpRequest
from ninja import Router

from wuwei.org.models import User

router = Router(tags=["accounts"])


def user_of(request: HttpRequest) -> User:
    """The authenticated caller (set by the API's auth classes)."""
    user: User = request.auth  # type: ignore[attr-defined]
    return user
