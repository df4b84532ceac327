"""The navbar bell: the unread count, counted only when a page's layout shows it."""

from functools import cached_property
from typing import Any

from django.http import HttpRequest

from wuwei.notifications.selectors import unread_count
from wuwei.org.models import User

BELL_MAX = 99


class Bell:
    """Lazy: htmx fragments never touch it, a full page pays one COUNT query."""

    def __init__(self, user: User) -> None:
        self._user = user

    @cached_property
    def unread(self) -> int:
        return unread_count(user=self._user)

    @property
    def label(self) -> str:
        return f"{BELL_MAX}+" if self.unread > BELL_MAX else str(self.unread)


def bell(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"notification_bell": Bell(user)}
