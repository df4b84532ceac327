"""The method configuration in force: METHOD.md defaults overlaid with the stored changes.

One row (`MethodSettings`, pk=1) holds only what an administrator changed; everything else
falls back to the defaults in `wuwei.methodology.config`, so new settings need no migration.
"""

import json
from functools import lru_cache
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from wuwei.core.errors import NotAllowed, ValidationFailed
from wuwei.core.models import MethodSettings
from wuwei.core.services import check_version
from wuwei.methodology.config import ConfigError, MethodConfig

SETTINGS_PK = 1


@lru_cache(maxsize=8)
def _parsed(data: str) -> MethodConfig:
    return MethodConfig.from_dict(json.loads(data))


def method_config() -> MethodConfig:
    """One small query per call; parsing is cached by the stored content itself, so a
    restored or rewritten row can never be served from a stale cache."""
    data = MethodSettings.objects.filter(pk=SETTINGS_PK).values_list("data", flat=True).first()
    if not data:
        return MethodConfig()
    return _parsed(json.dumps(data, sort_keys=True))


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
