"""Sign-ins in the audit trail, and what a new session needs to know about two-factor.

Connected in OrgConfig.ready() to Django's auth signals: every way in (login page, admin,
test client) passes through them, so none is missed.
"""

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.http import HttpRequest

from wuwei.core.audit import audit_record
from wuwei.core.middleware import mark_session_seen
from wuwei.core.models import AuditAction
from wuwei.org.twofactor import start_session


def _logged_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    audit_record(action=AuditAction.LOGIN, actor=user, target=user)
    if request is not None:
        mark_session_seen(request)
        start_session(request, user)


def _login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    # The name typed, not a user row: failures for unknown names are recorded too.
    username = str(credentials.get("username", ""))[:150]
    audit_record(action=AuditAction.LOGIN_FAILED, actor_name=username)


def _logged_out(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit_record(action=AuditAction.LOGOUT, actor=user, target=user)


def connect() -> None:
    user_logged_in.connect(_logged_in, dispatch_uid="wuwei.org.signin.logged_in")
    user_login_failed.connect(_login_failed, dispatch_uid="wuwei.org.signin.login_failed")
    user_logged_out.connect(_logged_out, dispatch_uid="wuwei.org.signin.logged_out")
