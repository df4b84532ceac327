"""The audit trail as people read it: who, when, and each field's old → new value."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

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


def history_entries(instance: Any, limit: int = 20) -> list[HistoryEntry]:
    """Newest first; diffs are computed in memory from consecutive records (one query)."""
    records = list(
        instance.history.select_related("history_user").order_by("-history_date", "-history_id")[
            : limit + 1
        ]
    )
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
                try:
                    label = str(model._meta.get_field(change.field).verbose_name)
                except Exception:  # a field removed since: show its raw name
                    label = change.field
                changes.append(FieldChange(label, change.old, change.new))
        entries.append(
            HistoryEntry(
                record.history_date,
                record.history_user,
                record.history_type,
                record.history_change_reason or "",
                changes,
            )
        )
    return entries
