"""The method configuration in force: METHOD.md defaults overlaid with the stored changes.

One row (`MethodSettings`, pk=1) holds only what an administrator changed; everything else
falls back to the defaults in `wuwei.methodology.config`, so new settings need no migration.
"""

import json
import threading
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext as _

from wuwei.core.errors import NotAllowed, ValidationFailed
from wuwei.core.models import MethodSettings
from wuwei.core.services import check_version
from wuwei.methodology.config import ConfigError, MethodConfig

SETTINGS_PK = 1


@lru_cache(maxsize=8)
def _parsed(data: str) -> MethodConfig:
    return MethodConfig.from_dict(json.loads(data))


CACHE_KEY = "wuwei:method-config:v1"
_NOTHING = "none"  # cached: no row, the defaults apply
_changed = threading.local()  # this thread's transaction changed the row


def method_config() -> MethodConfig:
    """The stored row through Django's cache (no query per write, issue #17); parsing is
    cached by the stored content itself. A change drops the cached row at once and again at
    its commit; while the changing transaction is open this thread reads the database and
    fills nothing, so a rolled-back change is never cached. Another process with its own
    local cache sees a change within WUWEI_CONFIG_CACHE_SECONDS (at once with a shared cache).
    """
    data = _stored()
    if not data:
        return MethodConfig()
    return _parsed(json.dumps(data, sort_keys=True))


def _stored() -> Any:
    seconds = settings.WUWEI_CONFIG_CACHE_SECONDS
    pending = getattr(_changed, "flag", False)
    if pending and not connection.in_atomic_block:
        _changed.flag = pending = False  # that transaction ended (committed or rolled back)
        cache.delete(CACHE_KEY)
    if seconds and not pending:
        cached = cache.get(CACHE_KEY)
        if cached is not None:
            return None if cached == _NOTHING else cached
    data = MethodSettings.objects.filter(pk=SETTINGS_PK).values_list("data", flat=True).first()
    if seconds and not pending:
        cache.add(CACHE_KEY, data or _NOTHING, seconds)
    return data


def _row_changed(**kwargs: Any) -> None:
    cache.delete(CACHE_KEY)
    if connection.in_atomic_block:
        _changed.flag = True
        transaction.on_commit(lambda: cache.delete(CACHE_KEY))


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
    if not (user.is_superuser or "admin" in user.role_slugs):
        raise NotAllowed(_("Only administrators can change the method configuration."))
    config = parse_method_config(data)
    row, created = MethodSettings.objects.select_for_update().get_or_create(pk=SETTINGS_PK)
    if not created:
        check_version(row.version, expected_version)
        row.version += 1
    row.data = config.to_dict()
    row.updated_by = user
    row._history_user = user  # type: ignore[attr-defined]
    row.save()
    return config
