"""Personal access tokens (API.md "Auth"): random secret shown once, SHA-256 stored; each
expires (WUWEI_TOKEN_DAYS, or the days asked for), a password change revokes them all, and
creation and revocation are in the audit trail."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from wuwei.core.audit import audit_record
from wuwei.core.errors import ValidationFailed
from wuwei.core.models import AuditAction
from wuwei.org.models import ApiToken, User

TOKEN_PREFIX = "ww_"
MAX_DAYS = 3650


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def token_create(
    *, user: User, name: str = "", days: int | None = None, actor: User | None = None
) -> tuple[ApiToken, str]:
    days = settings.WUWEI_TOKEN_DAYS if days is None else days
    if not 1 <= days <= MAX_DAYS:
        raise ValidationFailed(
            _("A token lives between 1 and %(max)s days.") % {"max": MAX_DAYS},
            [("days", _("between 1 and %(max)s") % {"max": MAX_DAYS})],
        )
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name[:100],
        prefix=raw[:10],
        key_hash=_hash(raw),
        expires_at=timezone.now() + timedelta(days=days),
    )
    audit_record(
        action=AuditAction.TOKEN_CREATED,
        actor=actor or user,
        target=token,
        changes={
            "user": [None, user.get_username()],
            "expires_at": [None, f"{token.expires_at:%Y-%m-%d}"],
        },
    )
    return token, raw


@transaction.atomic
def token_revoke(*, token: ApiToken, actor: User | None = None, reason: str = "") -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(
            action=AuditAction.TOKEN_REVOKED,
            actor=actor or token.user,
            target=token,
            changes={"revoked": [False, True], **({"reason": [None, reason]} if reason else {})},
        )
    return token


def tokens_revoke_all(*, user: User, actor: User | None = None, reason: str = "") -> int:
    """Revoke every live token of the user (password change, deactivation), each audited."""
    live = ApiToken.objects.filter(user=user, revoked_at__isnull=True).select_related("user")
    count = 0
    for token in live:
        token_revoke(token=token, actor=actor, reason=reason)
        count += 1
    return count


def user_for_token(raw: str) -> User | None:
    if not raw or not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        return None
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user", "user__team")
        .filter(key_hash=_hash(raw), revoked_at__isnull=True, user__is_active=True)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .first()
    )
    if token is None:
        return None
    # Touch at most once a minute so token use does not turn every read into a write.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
