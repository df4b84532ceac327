"""Notifications built through the real service."""

import itertools
from typing import Any

from wuwei.notifications.models import Notification
from wuwei.notifications.services import notify
from wuwei.org.models import User

_seq = itertools.count(1)


def make_notification(user: User, **fields: Any) -> Notification:
    key = fields.pop("key", f"test:{next(_seq)}")
    notify(
        recipients=[user],
        kind=fields.pop("kind", "test"),
        title=fields.pop("title", f"Title {key}"),
        body=fields.pop("body", "Body"),
        url=fields.pop("url", "/opportunities/"),
        key=key,
        **fields,
    )
    return Notification.objects.get(recipient=user, key=key)
