"""Activity writes (§4.9). Every write re-derives the interaction levels (§3.2) of the
contacts involved before and after, in the same transaction."""

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from wuwei.accounts.models import Account
from wuwei.core import services as core_services
from wuwei.core.audit import audit_record, set_change
from wuwei.core.errors import ValidationFailed
from wuwei.core.models import AuditAction
from wuwei.opportunities.models import Opportunity
from wuwei.org.models import User
from wuwei.people.models import Activity, Contact
from wuwei.people.services.contacts import require_writer
from wuwei.people.services.interaction import interaction_recompute

EDITABLE_FIELDS = (
    "kind",
    "occurred_on",
    "opportunity",
    "contacts",
    "subject",
    "notes",
    "tags",
    "owner",
)


def normalize_tags(tags: Iterable[str] | str) -> str:
    """ ",budget,pricing,": lower case, trimmed, unique, in the order given."""
    items = tags.split(",") if isinstance(tags, str) else list(tags)
    cleaned = list(dict.fromkeys(t.strip().lower() for t in items if t and t.strip()))
    for tag in cleaned:
        if len(tag) > 50:
            raise ValidationFailed(
                _("A tag can have at most 50 characters."), [("tags", _("too long"))]
            )
    return f",{','.join(cleaned)}," if cleaned else ""


def _check_links(
    account: Account, opportunity: Opportunity | None, contacts: Sequence[Contact]
) -> None:
    if opportunity is not None and opportunity.account_id != account.pk:
        raise ValidationFailed(
            _("The opportunity belongs to another account."),
            [("opportunity", _("different account"))],
        )
    if any(c.account_id != account.pk for c in contacts):
        raise ValidationFailed(
            _("Everyone involved must be a contact of this account."),
            [("contacts", _("different account"))],
        )


@transaction.atomic
def activity_create(
    *,
    user: User,
    account: Account,
    kind: str,
    occurred_on: date,
    subject: str,
    contacts: Sequence[Contact] = (),
    opportunity: Opportunity | None = None,
    notes: str = "",
    tags: Iterable[str] | str = (),
    owner: User | None = None,
) -> Activity:
    require_writer(user)
    _check_links(account, opportunity, contacts)
    activity = Activity(
        account=account,
        kind=kind,
        occurred_on=occurred_on,
        subject=subject.strip(),
        opportunity=opportunity,
        notes=notes,
        tags=normalize_tags(tags),
        owner=owner or user,
    )
    core_services.save_new(activity, user=user)
    activity.contacts.set(contacts)
    interaction_recompute(contact_ids=[c.pk for c in contacts])
    return activity


@transaction.atomic
def activity_update(
    *, user: User, activity: Activity, expected_version: int | None, changes: dict[str, Any]
) -> Activity:
    require_writer(user)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    changes = dict(changes)
    contacts: Sequence[Contact] | None = changes.pop("contacts", None)
    if "tags" in changes:
        changes["tags"] = normalize_tags(changes["tags"])
    if "subject" in changes:
        changes["subject"] = changes["subject"].strip()
    before = set(activity.contacts.values_list("pk", flat=True))
    _check_links(
        activity.account,
        changes.get("opportunity", activity.opportunity),
        contacts if contacts is not None else [],
    )
    updated = core_services.update_fields(
        activity, user=user, changes=changes, expected_version=expected_version
    )
    if contacts is not None:
        updated.contacts.set(contacts)
        after = {c.pk for c in contacts}
        if after != before:
            audit_record(
                action=AuditAction.LINK_CHANGED,
                actor=user,
                target=updated,
                changes={"contacts": set_change(before, after)},
            )
    interaction_recompute(contact_ids=before | {c.pk for c in contacts or []})
    return updated


@transaction.atomic
def activity_archive(*, user: User, activity: Activity) -> Activity:
    require_writer(user)
    archived = core_services.archive(activity, user=user)
    interaction_recompute(contact_ids=activity.contacts.values_list("pk", flat=True))
    return archived


@transaction.atomic
def activity_restore(*, user: User, activity: Activity) -> Activity:
    restored = core_services.restore(activity, user=user)
    interaction_recompute(contact_ids=activity.contacts.values_list("pk", flat=True))
    return restored
