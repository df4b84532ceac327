"""Writes shared by every domain: versioned update, archive and restore.

All run in one transaction with the row locked, bump `version`, and record who did it in the
history table, so the API, the web UI, the CLI and imports behave the same.
"""

from collections.abc import Callable, Iterable, Mapping
from typing import Any, Protocol, TypeVar, cast

from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wuwei.core import permissions
from wuwei.core.errors import Conflict, ValidationFailed

M = TypeVar("M", bound=models.Model)


class Versioned(Protocol):
    """What the writes below set on a record: its optimistic-concurrency `version` and the
    two attributes django-simple-history reads on the next save() or delete()."""

    version: int
    archived_at: Any
    _history_user: Any
    _change_reason: str


def _v(instance: models.Model) -> Versioned:
    return cast(Versioned, instance)


def attribute(instance: models.Model, *, user: Any, reason: str = "") -> None:
    """Record who (and why) in the history row of `instance`'s next save() or delete()."""
    _v(instance)._history_user = user
    if reason:
        _v(instance)._change_reason = reason


def next_version(instance: models.Model) -> None:
    """Bump `version` in memory (for bulk writes that save many rows at once)."""
    _v(instance).version += 1


def versioned_save(
    instance: M,
    *,
    user: Any,
    reason: str = "",
    fields: Iterable[str] | None = None,
    bump: bool = True,
    before: dict[str, Any] | None = None,
) -> M:
    """The one versioned write: bump `version` (unless `bump` is False, for values derived
    from an edit already counted), attribute the history row to `user` with `reason`, save
    (only `fields` and `version` when given; only the columns that differ from `before`, a
    `snapshot()` of the row as read, when that is given)."""
    if bump:
        next_version(instance)
    attribute(instance, user=user, reason=reason)
    if before is not None:
        save_changed(instance, before)
    elif fields is None:
        instance.save()
    else:
        instance.save(update_fields=[*fields, *(["version"] if bump else [])])
    return instance


def delete_attributed(instance: models.Model, *, user: Any, reason: str = "") -> None:
    """Hard delete whose history row (kept by django-simple-history) names `user`."""
    attribute(instance, user=user, reason=reason)
    instance.delete()


def _lock(instance: M) -> M:
    model = type(instance)
    return model._default_manager.select_for_update().get(pk=instance.pk)


def check_version(current: int, expected: int | None) -> None:
    if expected is None:
        raise ValidationFailed(
            _("Send the version you read (field 'version' or header If-Match)."),
            [("version", _("This field is required."))],
        )
    if current != expected:
        raise Conflict(
            _(
                "Someone else changed this record (version %(current)s, you sent %(expected)s). "
                "Reload and try again."
            )
            % {"current": current, "expected": expected},
            [("version", _("stale"))],
        )


def _reject_null_text(instance: models.Model, changed: Iterable[str]) -> None:
    """Django's full_clean skips blank-allowed fields, so a None sent for a NOT NULL text
    column would reach the database as an IntegrityError; it is the client's input, a 422."""
    nulls = []
    for name in changed:
        try:
            field = instance._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if (
            isinstance(field, models.CharField | models.TextField)
            and not field.null
            and getattr(instance, field.attname) is None
        ):
            nulls.append(name)
    if nulls:
        raise ValidationFailed(
            _("These fields cannot be empty: %(fields)s.") % {"fields": ", ".join(nulls)},
            [(name, _("This field cannot be null.")) for name in nulls],
        )


def _known_foreign_keys(instance: models.Model, unchanged: Iterable[str]) -> set[str]:
    """Foreign keys whose target needs no `SELECT 1` to prove it exists: those set from a row
    already read from the database (the caller resolved it, usually through visibility), and
    those the caller names as unchanged since the row was read (the database's own constraint
    checked them when they were written). Targets with `limit_choices_to` are always checked."""
    unchanged = set(unchanged)
    known = set()
    field: Any
    for field in instance._meta.concrete_fields:
        if not field.many_to_one and not field.one_to_one:
            continue
        if field.remote_field.limit_choices_to or getattr(instance, field.attname) is None:
            continue
        if field.name in unchanged:
            known.add(field.name)
            continue
        target = field.get_cached_value(instance, default=None)
        if (
            target is not None
            and not target._state.adding
            and getattr(target, field.target_field.attname) == getattr(instance, field.attname)
        ):
            known.add(field.name)
    return known


def full_clean_or_fail(
    instance: models.Model, exclude: list[str] | None = None, unchanged: Iterable[str] = ()
) -> None:
    """Django's full_clean (fields, clean(), unique, constraints) without a query per foreign
    key already known to exist (`_known_foreign_keys`); unique and constraint checks still
    cover every field."""
    excluded = set(exclude or ())
    errors: dict[str, Any] = {}
    checks: tuple[Callable[[], Any], ...] = (
        lambda: instance.clean_fields(exclude=excluded | _known_foreign_keys(instance, unchanged)),
        instance.clean,
        lambda: instance.validate_unique(exclude=excluded | set(errors)),
        lambda: instance.validate_constraints(exclude=excluded | set(errors)),
    )
    for check in checks:
        try:
            check()
        except DjangoValidationError as exc:
            errors = exc.update_error_dict(errors)
    if errors:
        raise ValidationFailed(
            _("Please correct the errors below."),
            [
                (field if field != "__all__" else "", str(message))
                for field, messages in DjangoValidationError(errors).message_dict.items()
                for message in messages
            ],
        )


def snapshot(instance: models.Model) -> dict[str, Any]:
    """The stored column values of a row just read, for `save_changed`."""
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


def save_changed(instance: models.Model, before: dict[str, Any]) -> None:
    """Save only the columns that differ from `before` (plus auto_now stamps): a write never
    rewrites a column it did not change."""
    fields = [
        f.name
        for f in instance._meta.concrete_fields
        if not f.primary_key
        and (getattr(f, "auto_now", False) or getattr(instance, f.attname) != before[f.attname])
    ]
    instance.save(update_fields=fields)


def save_new(instance: M, *, user: Any) -> M:
    """Validate and insert a new record, attributed to `user`."""
    if hasattr(instance, "created_by_id") and user is not None:
        cast(Any, instance).created_by = user
    full_clean_or_fail(instance)
    attribute(instance, user=user)
    instance.save()
    return instance


def update_fields(
    instance: M,
    *,
    user: Any,
    changes: Mapping[str, Any],
    expected_version: int | None,
    reason: str = "",
    row_locked: bool = False,
) -> M:
    """Apply `changes` if `expected_version` is still current; otherwise 409, nothing changed.
    `reason` is kept with the history record (e.g. why a grade was overridden). `row_locked`:
    the caller read `instance` with SELECT … FOR UPDATE in the transaction still open, so it
    is not read a second time (it is the instance changed and returned), and the write is
    part of that transaction (no savepoint of its own: a failure fails the caller's)."""
    with transaction.atomic(savepoint=not row_locked):
        locked = instance if row_locked else _lock(instance)
        check_version(_v(locked).version, expected_version)
        if getattr(locked, "archived_at", None) is not None:
            raise Conflict(_("This record is archived. Restore it before editing."))
        before = snapshot(locked)
        for field, value in changes.items():
            setattr(locked, field, value)
        _reject_null_text(locked, changes)
        unchanged = [f.name for f in locked._meta.concrete_fields if f.name not in changes]
        full_clean_or_fail(locked, unchanged=unchanged)
        return versioned_save(locked, user=user, reason=reason, before=before)


@transaction.atomic
def archive_checked(instance: M, *, user: Any, expected_version: int | None) -> M:
    """Archive `instance` if `expected_version` is still current (pages send the version
    they showed, so archiving what someone else just changed is a 409, not a surprise)."""
    locked = _lock(instance)
    check_version(_v(locked).version, expected_version)
    return archive(locked, user=user)


@transaction.atomic
def archive(instance: M, *, user: Any) -> M:
    """Soft delete: the row stays, hidden from lists; admins can restore it."""
    locked = _lock(instance)
    if _v(locked).archived_at is None:
        _v(locked).archived_at = timezone.now()
        versioned_save(locked, user=user, reason="archive")
    return locked


@transaction.atomic
def restore(instance: M, *, user: Any) -> M:
    permissions.require(user, "record.restore")
    locked = _lock(instance)
    if _v(locked).archived_at is not None:
        _v(locked).archived_at = None
        versioned_save(locked, user=user, reason="restore")
    return locked
