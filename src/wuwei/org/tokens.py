"""Personal access tokens (API.md "Auth"): random secret shown once, SHA-256 stored; each
expires (WUWEI_TOKEN_DAYS, or the days asked for), a password change revokes them all, and
creation and revocation are in the audit trail.

The token → user lookup is cached (Django's cache, issue #17) so an API call costs no auth
query: the entry holds the token's expiry and a snapshot of the user (no password hash), their
team and roles. It is dropped or outvoted
  - on revoke or delete of the token: a tombstone replaces it, so a revoked token is refused
    from the cache too (fills use `cache.add` and never overwrite a tombstone);
  - at the token's expiry (checked on every hit; the entry never outlives it);
  - on any change to the user (password, active flag, team, names), their roles, or any team
    (a manager's scope follows the team tree): stamps the entry was filled under are bumped,
    before and again after the commit, so a fill racing a change cannot keep stale facts.
With the default per-process cache another worker process learns of a change only when its
entry ends (WUWEI_TOKEN_CACHE_SECONDS, 30 s); with a shared cache (WUWEI_CACHE_URL, Redis)
every process learns at once. WUWEI_TOKEN_CACHE_SECONDS=0 turns the cache off."""

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, models, transaction
from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django.utils.translation import gettext as _

from wuwei.core.audit import audit_record
from wuwei.core.errors import ValidationFailed
from wuwei.core.models import AuditAction
from wuwei.org.models import ApiToken, Team, User, UserRole

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


# Touch last_used_at at most this often, so token use does not turn every read into a write.
TOUCH_SECONDS = 60
_KEY = "wuwei:token:v1:"
_TEAMS = _KEY + "teams"  # stamp of the team tree
_REVOKED = "revoked"


def _token_key(digest: str) -> str:
    return f"{_KEY}t:{digest}"


def _user_key(user_id: int) -> str:
    return f"{_KEY}u:{user_id}"


def _stamps(user_id: int | None) -> dict[str, Any]:
    """The current stamps of the team tree and the user, made when missing (evicted)."""
    keys = [_TEAMS] + ([_user_key(user_id)] if user_id is not None else [])
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            cache.add(key, secrets.token_hex(8), timeout=None)
            found[key] = cache.get(key)
    return found


def _bump(key: str) -> None:
    def run() -> None:
        cache.set(key, secrets.token_hex(8), timeout=None)

    run()
    transaction.on_commit(run)


def forget_user(user_id: int) -> None:
    """The user, their roles or team changed: every cached token of theirs is stale."""
    _bump(_user_key(user_id))


def forget_teams() -> None:
    """The team tree changed (a manager's scope is a subtree): every cached token is stale."""
    _bump(_TEAMS)


def _forget_token(key_hash: str) -> None:
    key = _token_key(key_hash)
    cache.delete(key)  # now (a rollback only costs a refill) …
    ttl = settings.WUWEI_TOKEN_CACHE_SECONDS or None
    transaction.on_commit(lambda: cache.set(key, _REVOKED, timeout=ttl))  # … and for good


def _user_fields() -> list[str]:
    return [f.attname for f in User._meta.concrete_fields if f.name != "password"]


def _team_fields() -> list[str]:
    return [f.attname for f in Team._meta.concrete_fields]


def _snapshot(token: ApiToken, stamps: dict[str, Any], touched: datetime | None) -> dict[str, Any]:
    user = token.user
    team = user.team if user.team_id else None
    return {
        "user_id": user.pk,
        "user": [getattr(user, name) for name in _user_fields()],
        "team": None if team is None else [getattr(team, name) for name in _team_fields()],
        "roles": sorted(user.role_slugs),
        "token_id": token.pk,
        "expires_at": token.expires_at,
        "touched": touched,
        "stamps": stamps,
    }


def _user_from(entry: dict[str, Any]) -> User:
    """A fresh User (team and roles loaded, password deferred) from a cache entry."""
    user = User.from_db(DEFAULT_DB_ALIAS, _user_fields(), entry["user"])
    team = None
    if entry["team"] is not None:
        team = Team.from_db(DEFAULT_DB_ALIAS, _team_fields(), entry["team"])
    User.team.field.set_cached_value(user, team)
    user.__dict__["role_slugs"] = frozenset(entry["roles"])
    return user


def _touch(token_id: int, last: datetime | None, now: datetime) -> datetime | None:
    """Record use at most once a minute: when it was last recorded, or None when the token
    was revoked meanwhile."""
    if last is not None and (now - last).total_seconds() <= TOUCH_SECONDS:
        return last
    live = ApiToken.objects.filter(pk=token_id, revoked_at__isnull=True)
    return now if live.update(last_used_at=now) else None


def _ttl(expires_at: datetime | None, now: datetime) -> int:
    ttl = int(settings.WUWEI_TOKEN_CACHE_SECONDS)
    if expires_at is not None:
        ttl = min(ttl, int((expires_at - now).total_seconds()))
    return max(ttl, 0)


def _from_cache(digest: str, now: datetime) -> tuple[bool, User | None]:
    """(answered, user) from the cache; answered False sends the caller to the database."""
    key = _token_key(digest)
    entry = cache.get(key)
    if entry == _REVOKED:
        return True, None
    if not isinstance(entry, dict):
        return False, None
    expires_at = entry["expires_at"]
    if (expires_at is not None and expires_at <= now) or entry["stamps"] != cache.get_many(
        [_TEAMS, _user_key(entry["user_id"])]
    ):
        cache.delete(key)  # outvoted or ended: the database answers and fills afresh
        return False, None
    touched = _touch(entry["token_id"], entry["touched"], now)
    if touched is None:
        _forget_token(digest)
        return True, None
    if touched != entry["touched"]:
        cache.set(key, {**entry, "touched": touched}, timeout=_ttl(expires_at, now) or 1)
    return True, _user_from(entry)


def user_for_token(raw: str) -> User | None:
    if not raw or not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        return None
    now = timezone.now()
    digest = _hash(raw)
    caching = settings.WUWEI_TOKEN_CACHE_SECONDS > 0
    if caching:
        answered, cached_user = _from_cache(digest, now)
        if answered:
            return cached_user
    token = (
        ApiToken.objects.select_related("user", "user__team")
        .filter(key_hash=digest, revoked_at__isnull=True, user__is_active=True)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .first()
    )
    if token is None:
        return None
    user = token.user
    # The stamps are read before the roles: a change from here on outvotes the entry.
    stamps = _stamps(user.pk) if caching else {}
    if caching:
        user.__dict__["role_slugs"] = frozenset(
            UserRole.objects.filter(user_id=user.pk).values_list("role", flat=True)
        )
    touched = _touch(token.pk, token.last_used_at, now)
    if touched is None:
        return None
    ttl = _ttl(token.expires_at, now) if caching else 0
    if ttl:
        cache.add(_token_key(digest), _snapshot(token, stamps, touched), ttl)
    return user


def _token_changed(sender: Any, instance: ApiToken, **kwargs: Any) -> None:
    update_fields = kwargs.get("update_fields")
    if update_fields is not None and set(update_fields) <= {"last_used_at"}:
        return
    if kwargs.get("signal") is post_delete or not instance.is_active:
        _forget_token(instance.key_hash)
    else:
        cache.delete(_token_key(instance.key_hash))


def _user_changed(sender: Any, instance: User, **kwargs: Any) -> None:
    update_fields = kwargs.get("update_fields")
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return
    forget_user(instance.pk)


def _role_changed(sender: Any, instance: UserRole, **kwargs: Any) -> None:
    forget_user(instance.user_id)


def _team_changed(sender: Any, instance: Team, **kwargs: Any) -> None:
    forget_teams()


def connect() -> None:
    """Keep the token cache honest (org's AppConfig.ready)."""
    receivers: list[tuple[type[models.Model], Any]] = [
        (ApiToken, _token_changed),
        (User, _user_changed),
        (UserRole, _role_changed),
        (Team, _team_changed),
    ]
    for model, receiver in receivers:
        post_save.connect(receiver, sender=model, dispatch_uid=f"token-cache-{model.__name__}")
        post_delete.connect(receiver, sender=model, dispatch_uid=f"token-cache-{model.__name__}")
