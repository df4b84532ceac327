"""Reads: a user's own notifications (the visibility rule keeps everyone else's out)."""

from django.db.models import QuerySet

from wuwei.core.visibility import get_visible, visible
from wuwei.notifications.models import Notification
from wuwei.org.models import User


def notification_list(*, user: User, unread_only: bool = False) -> QuerySet[Notification]:
    """Newest first once paged with sort `-created_at`; `unread_only` keeps the unread ones."""
    qs = visible(Notification, user)
    return qs.filter(read_at__isnull=True) if unread_only else qs


def notification_get(*, user: User, id: int) -> Notification:
    """The user's own notification, or NotFound (another user's is 'not found' too)."""
    return get_visible(Notification, user, pk=id)


def unread_count(*, user: User) -> int:
    return notification_list(user=user, unread_only=True).count()


PREVIEW_SIZE = 5


def unread_preview(*, user: User, size: int = PREVIEW_SIZE) -> list[Notification]:
    """The latest `size` unread notifications, newest first (one query)."""
    qs = notification_list(user=user, unread_only=True).order_by("-created_at", "-id")
    return list(qs[:size])
