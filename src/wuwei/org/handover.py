"""Handover (人脉传承, METHOD.md §3.5): when an employee leaves or changes territory, what
they own moves to named successors in one transaction, with an audit record, and nothing
is left owned by an inactive user.

Each app registers a step for the records it owns — `register_step(key, label, count,
reassign)` — so org never imports the domain apps. `count(user)` says how many records the
user still holds; `reassign(user, successor, actor)` moves them and returns their ids.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from wuwei.core.errors import Conflict, NotAllowed, ValidationFailed
from wuwei.core.services import next_version
from wuwei.org.models import HandoverReason, HandoverRecord, Team, User
from wuwei.org.permissions import Action, may

CountFn = Callable[[User], int]
ReassignFn = Callable[[User, User, User], list[int]]


def owner_step(model: type[models.Model], field: str, **only: object) -> tuple[CountFn, ReassignFn]:
    """The count and reassign of a step that moves `field` from the leaver to the successor
    on every row matching `only` (version bumped, history kept, for any model)."""
    versioned = any(f.name == "version" for f in model._meta.get_fields())
    historied = hasattr(model, "history")

    def count(user: User) -> int:
        return int(model._default_manager.filter(**{field: user}, **only).count())

    def reassign(user: User, successor: User, actor: User) -> list[int]:
        rows = list(
            model._default_manager.select_for_update()
            .filter(**{field: user}, **only)
            .order_by("pk")
        )
        for row in rows:
            setattr(row, field, successor)
            if versioned:
                next_version(row)
        fields = [field, "version"] if versioned else [field]
        if historied:
            bulk_update_with_history(
                rows, model, fields, default_user=actor, default_change_reason="handover"
            )
        else:
            model._default_manager.bulk_update(rows, fields)
        return [row.pk for row in rows]

    return count, reassign


@dataclass(frozen=True, slots=True)
class HandoverStep:
    key: str
    label: str | Promise
    count: CountFn
    reassign: ReassignFn


_steps: dict[str, HandoverStep] = {}


def register_step(key: str, label: str | Promise, count: CountFn, reassign: ReassignFn) -> None:
    """Add (or replace, by key) a step. Apps call this from AppConfig.ready()."""
    _steps[key] = HandoverStep(key, label, count, reassign)


def handover_steps() -> list[HandoverStep]:
    return list(_steps.values())


@dataclass(frozen=True, slots=True)
class PendingStep:
    key: str
    label: str
    count: int


def handover_pending(user: User) -> list[PendingStep]:
    """What the user still owns, per step (zero counts included)."""
    return [PendingStep(s.key, str(s.label), s.count(user)) for s in handover_steps()]


def may_hand_over(actor: User, user: User) -> bool:
    """Administrators, and managers whose team subtree holds the user."""
    return may(actor, Action.ORG_HANDOVER, user)


def _successor_for(
    step: HandoverStep, successors: Mapping[str, User], default: User | None, user: User
) -> User:
    successor = successors.get(step.key) or default
    if successor is None:
        raise ValidationFailed(
            _("Name a successor for: %(step)s.") % {"step": step.label},
            [(f"successors.{step.key}", _("a successor is required"))],
        )
    if successor.pk == user.pk or not successor.is_active:
        raise ValidationFailed(
            _("The successor must be another, active user."),
            [(f"successors.{step.key}", _("not a valid successor"))],
        )
    return successor


@transaction.atomic
def handover_run(
    *,
    actor: User,
    user: User,
    reason: str,
    default_successor: User | None = None,
    successors: Mapping[str, User] | None = None,
    note: str = "",
    deactivate: bool = False,
    new_team: Team | None = None,
) -> HandoverRecord:
    """Move everything the user owns to the successors; optionally deactivate the user or
    move them to `new_team`. All or nothing: any failure rolls every step back."""
    if not may_hand_over(actor, user):
        raise NotAllowed(_("Only an administrator or the user's manager can run a handover."))
    if reason not in HandoverReason.values:
        raise ValidationFailed(_("Unknown reason."), [("reason", _("invalid"))])
    locked = User.objects.select_for_update().get(pk=user.pk)
    successors = dict(successors or {})
    unknown = set(successors) - set(_steps)
    if unknown:
        raise ValidationFailed(
            _("Unknown handover step: %(steps)s.") % {"steps": ", ".join(sorted(unknown))},
            [("successors", _("choose from %(keys)s") % {"keys": ", ".join(_steps)})],
        )
    details: dict[str, Any] = {}
    for step in handover_steps():
        if step.count(locked) == 0:
            continue
        successor = _successor_for(step, successors, default_successor, locked)
        ids = step.reassign(locked, successor, actor)
        details[step.key] = {
            "label": str(step.label),
            "successor": successor.pk,
            "successor_name": str(successor),
            "count": len(ids),
            "ids": ids,
        }
    left = [p for p in handover_pending(locked) if p.count]
    if left:
        raise Conflict(
            _("The handover left records behind; nothing was changed."),
            [(p.key, str(p.count)) for p in left],
        )
    changes: dict[str, Any] = {}
    if deactivate and locked.is_active:
        changes["is_active"] = False
    if new_team is not None and new_team.pk != locked.team_id:
        changes["team"] = new_team
    if changes:
        from wuwei.org.services import user_update

        user_update(actor=actor, user=locked, changes=changes)
    return HandoverRecord.objects.create(
        user=locked,
        performed_by=actor,
        reason=reason,
        note=note,
        deactivated=deactivate,
        details=details,
    )


def require_nothing_owned(user: User) -> None:
    """Refuse to deactivate someone who still owns records (409): run a handover first."""
    left = [p for p in handover_pending(user) if p.count]
    if left:
        raise Conflict(
            _(
                "%(user)s still owns records. Run a handover to named successors first, "
                "or send 'successor' with this change."
            )
            % {"user": user},
            [(p.key, _("%(count)s still owned") % {"count": p.count}) for p in left],
        )
