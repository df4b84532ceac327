"""The method configuration in force: METHOD.md defaults overlaid with the stored changes.

One row (`MethodSettings`, pk=1) holds only what an administrator changed; everything else
falls back to the defaults in `wuwei.methodology.config`, so new settings need no migration.

Every deal write grades the deal, so the row is read through Django's cache when that cache is
shared by every process (WUWEI_CONFIG_CACHE, on with WUWEI_CACHE_URL; issue #17); with a
per-process cache each call reads the row, since another process could not learn of a change.
A cached row is valid only under the current *stamp*: a save or delete of the row (and a backup
restore) sets a new stamp at once and again when its transaction commits, so no process keeps
serving a replaced configuration, even one it read while the change was being made.
"""

import json
import secrets
import threading
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext as _

from wuwei.core import permissions
from wuwei.core.errors import ValidationFailed
from wuwei.core.models import MethodSettings
from wuwei.core.services import check_version, versioned_save
from wuwei.methodology.config import ConfigError, MethodConfig

SETTINGS_PK = 1


@lru_cache(maxsize=8)
def _parsed(data: str) -> MethodConfig:
    return MethodConfig.from_dict(json.loads(data))


def method_config() -> MethodConfig:
    """The configuration in force. Parsing is cached by the stored content itself, so a
    restored or rewritten row can never be parsed from a stale cache."""
    data = _stored()
    if not data:
        return MethodConfig()
    return _parsed(json.dumps(data, sort_keys=True))


CACHE_KEY = "wuwei:method-config:v2"
STAMP_KEY = "wuwei:method-config:stamp"
CACHE_SECONDS = 3600  # a bound for a change made past the ORM (raw SQL); saves are exact
_NOTHING = "none"  # cached: no row, the defaults apply
_changing = threading.local()  # this thread's open transaction changed the row


def _read() -> Any:
    return MethodSettings.objects.filter(pk=SETTINGS_PK).values_list("data", flat=True).first()


def _stored() -> Any:
    """The stored `data` (None without a row): from the shared cache when it holds an entry
    under the current stamp, else from the database (and cached under the stamp read first).
    While this thread's own transaction has changed the row it reads its own change."""
    if not settings.WUWEI_CONFIG_CACHE:
        return _read()
    if getattr(_changing, "flag", False):
        if connection.in_atomic_block:
            return _read()
        _changing.flag = False  # that transaction ended (committed or rolled back)
    found = cache.get_many([STAMP_KEY, CACHE_KEY])
    stamp, entry = found.get(STAMP_KEY), found.get(CACHE_KEY)
    if stamp is None:
        cache.add(STAMP_KEY, secrets.token_hex(8), timeout=None)
        stamp = cache.get(STAMP_KEY)
    elif entry is not None and entry["stamp"] == stamp:
        return None if entry["data"] == _NOTHING else entry["data"]
    data = _read()
    cache.set(CACHE_KEY, {"stamp": stamp, "data": data or _NOTHING}, timeout=CACHE_SECONDS)
    return data


def forget_method_config() -> None:
    """Every cached copy of the row is stale (a new stamp); now, and again at the commit of
    the transaction that changed it, so what another process cached meanwhile is dropped too."""
    if not settings.WUWEI_CONFIG_CACHE:
        return

    def restamp() -> None:
        cache.set(STAMP_KEY, secrets.token_hex(8), timeout=None)

    restamp()
    if connection.in_atomic_block:
        _changing.flag = True
        transaction.on_commit(restamp)


def _row_changed(**kwargs: Any) -> None:
    forget_method_config()


def connect() -> None:
    """Drop cached copies when the configuration row changes (`CoreConfig.ready()`)."""
    post_save.connect(_row_changed, sender=MethodSettings, dispatch_uid="method-config-cache")
    post_delete.connect(_row_changed, sender=MethodSettings, dispatch_uid="method-config-cache")


def parse_method_config(data: dict[str, Any]) -> MethodConfig:
    try:
        config = MethodConfig.from_dict(data)
        config.validate()
    except ConfigError as exc:
        raise ValidationFailed(_("The configuration is not valid."), exc.errors) from None
    except (TypeError, ValueError, KeyError, ArithmeticError) as exc:
        raise ValidationFailed(_("The configuration is not valid."), [("", str(exc))]) from None
    return config


@transaction.atomic
def method_config_update(
    *, user: Any, data: dict[str, Any], expected_version: int | None
) -> MethodConfig:
    permissions.require(user, "method.configure")
    config = parse_method_config(data)
    row, created = MethodSettings.objects.select_for_update().get_or_create(pk=SETTINGS_PK)
    if not created:
        check_version(row.version, expected_version)
    row.data = config.to_dict()
    row.updated_by = user
    versioned_save(row, user=user, bump=not created)
    return config
