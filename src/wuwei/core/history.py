"""The audit trail as people read it: who, when, and each field's old → new value."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext as _

IGNORED_FIELDS = {"updated_at", "version", "name_normalized", "path"}


@dataclass(frozen=True, slots=True)
class FieldChange:
    field: str
    old: Any
    new: Any


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    when: datetime
    who: Any
    kind: str  # "+" created, "~" changed, "-" deleted
    reason: str
    changes: list[FieldChange]
    key: int = 0  # the history row's id: orders records of the same moment


def shown_value(field: models.Field[Any, Any] | None, value: Any) -> Any:
    """A stored value as people read it: a choice by its label, a yes/no in words, nothing as
    "—". The one place that turns enum slugs into labels for histories and timelines."""
    if value is None or value == "":
        return "—"
    if field is not None and field.choices:
        labels = {str(key): label for key, label in field.flatchoices}
        if str(value) in labels:
            return str(labels[str(value)])
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return value


def field_of(model: Any, name: str) -> models.Field[Any, Any] | None:
    try:
        field = model._meta.get_field(name)
    except Exception:  # a field removed since
        return None
    return field if isinstance(field, models.Field) else None


def history_entries(
    instance: Any, limit: int = 20, before: tuple[datetime, int] | None = None
) -> list[HistoryEntry]:
    """Newest first; diffs are computed in memory from consecutive records (one query).
    `before` = (when, id): only the records that sort after that one (an older page)."""
    records_qs = instance.history.select_related("history_user")
    if before is not None:
        when, key = before
        records_qs = records_qs.filter(
            Q(history_date__lt=when) | Q(history_date=when, history_id__lt=key)
        )
    records = list(records_qs.order_by("-history_date", "-history_id")[: limit + 1])
    model = type(instance)
    entries = []
    for index, record in enumerate(records[:limit]):
        changes: list[FieldChange] = []
        older = records[index + 1] if index + 1 < len(records) else None
        if older is not None:
            delta = record.diff_against(older, foreign_keys_are_objs=False)
            for change in delta.changes:
                if change.field in IGNORED_FIELDS:
                    continue
                field = field_of(model, change.field)
                label = str(field.verbose_name) if field is not None else change.field
                changes.append(
                    FieldChange(
                        label, shown_value(field, change.old), shown_value(field, change.new)
                    )
                )
        entries.append(
            HistoryEntry(
                record.history_date,
                record.history_user,
                record.history_type,
                record.history_change_reason or "",
                changes,
                record.history_id,
            )
        )
    return entries
