"""A notification is its recipient's alone: executives and administrators included."""

from django.db.models import Q

from wuwei.core.visibility import Scope, register
from wuwei.notifications.models import Notification


def notification_rule(scope: Scope) -> Q | None:
    return Q(recipient_id=scope.user_id)


def register_rules() -> None:
    """Called from `NotificationsConfig.ready()`."""
    register(Notification)(notification_rule)
