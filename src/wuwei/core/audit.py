"""The audit trail (issue 11 §8): record one AuditEvent per security-relevant change.

Services call `audit_record(...)` inside their transaction, so the event commits or rolls back
with the change. The request in flight (core.middleware) supplies address and request id.
"""

import ipaddress
from collections.abc import Iterable, Mapping
from datetime import date, datetime, time, timedelta
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models import QuerySet
from django.utils import timezone

from wuwei.core.history import field_of, shown_value
from wuwei.core.models import AuditAction, AuditEvent
from wuwei.core.ratelimit import client_ip
from wuwei.core.request_context import current_request


def model_label(model: type[models.Model] | models.Model) -> str:
    return str(model._meta.label_lower)


def audit_record(
    *,
    action: AuditAction | str,
    actor: Any = None,
    actor_name: str = "",
    target: models.Model | None = None,
    changes: Mapping[str, Any] | None = None,
) -> AuditEvent:
    """`changes` maps a field to [old, new] (JSON-safe values: ids, slugs, sorted lists)."""
    request = current_request.get()
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return AuditEvent.objects.create(
        action=action,
        actor=actor,
        actor_name=(actor_name or (actor.get_username() if actor is not None else ""))[:150],
        model=model_label(target) if target is not None else "",
        object_id=str(target.pk) if target is not None else "",
        object_repr=str(target)[:200] if target is not None else "",
        changes=dict(changes or {}),
        ip_address=_ip(request),
        request_id=getattr(request, "request_id", "") if request is not None else "",
    )


def _ip(request: Any) -> str | None:
    if request is None:
        return None
    try:
        return str(ipaddress.ip_address(client_ip(request)))
    except ValueError:  # whatever a proxy passed on, only a real address is stored
        return None


def set_change(old: Iterable[Any], new: Iterable[Any]) -> list[list[Any]]:
    """[old, new] of a set, sorted, for a link or role-set change."""
    return [sorted(old, key=str), sorted(new, key=str)]


def audit_list(
    *,
    actor: str = "",
    model: str = "",
    action: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
) -> "QuerySet[AuditEvent]":
    """The audit trail, newest first, filtered (each filter has an index)."""
    events = AuditEvent.objects.select_related("actor")
    if actor:
        events = events.filter(actor_name=actor)
    if model:
        events = events.filter(model=model)
    if action:
        events = events.filter(action=action)
    if date_from:
        events = events.filter(at__gte=_day_start(date_from))
    if date_to:
        events = events.filter(at__lt=_day_start(date_to + timedelta(days=1)))
    return events


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _audited_field(model: str, name: str) -> tuple[str, models.Field[Any, Any] | None]:
    """(label, field) of a changed field of `model` ("org.user"); a set of related rows
    ("roles" of a user) reads through the related model's field ("role" of UserRole)."""
    try:
        owner = apps.get_model(model) if model else None
    except (LookupError, ValueError):
        owner = None
    if owner is None:
        return name, None
    field = field_of(owner, name)
    if field is not None:
        return str(field.verbose_name), field
    for relation in owner._meta.related_objects:
        related = relation.related_model
        if isinstance(related, type) and issubclass(related, models.Model):
            inner = field_of(related, name.removesuffix("s"))
            if inner is not None and inner.choices:
                return str(related._meta.verbose_name_plural), inner
    return name, None


def change_text(changes: Mapping[str, Any], model: str = "") -> str:
    """'roles: rep → manager, rep; team: 3 → 4' for the CSV (stored values); with the event's
    `model`, as people read it: 'roles: — → Delivery lead, Presales' (labels of the choices)."""

    def show(field: models.Field[Any, Any] | None, value: Any) -> str:
        if isinstance(value, list):
            return ", ".join(str(shown_value(field, v)) for v in value) or "—"
        return str(shown_value(field, value))

    parts = []
    for name, pair in changes.items():
        label, field = _audited_field(model, name) if model else (name, None)
        if isinstance(pair, list) and len(pair) == 2:
            parts.append(f"{label}: {show(field, pair[0])} → {show(field, pair[1])}")
        else:
            parts.append(f"{label}: {show(field, pair)}")
    return "; ".join(parts)
