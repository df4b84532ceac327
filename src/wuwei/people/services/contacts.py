"""Contact writes: the record, its persona (§3.2) and political map (§3.1), and each
competitor's standing with the contact. A contact's manager must work at the same account."""

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from wuwei.competitors.models import Competitor
from wuwei.core import services as core_services
from wuwei.core.errors import Conflict, NotAllowed, ValidationFailed
from wuwei.org.models import Role, User
from wuwei.people.models import CompetitorRelation, Contact, Influence
from wuwei.people.services.closeness import closeness_record_for_contacts

EDITABLE_FIELDS = (
    "name",
    "title",
    "department",
    "phone",
    "email",
    "reports_to",
    "notes",
    "influence",
    "circle",
    "behavior_orientation",
    "relationship_status",
)
# Changing these moves the closeness index (§3.4), so a snapshot is recorded.
CLOSENESS_FIELDS = {"influence", "relationship_status"}
WRITER_ROLES = {Role.REP, Role.MANAGER, Role.EXECUTIVE, Role.ADMIN, Role.PRESALES}


def require_writer(user: User) -> None:
    if not (user.is_superuser or user.role_slugs & WRITER_ROLES):
        raise NotAllowed(_("Your role cannot create or change contacts."))


def _check_reports_to(contact: Contact, manager: Contact | None) -> None:
    if manager is None:
        return
    if manager.account_id != contact.account_id:
        raise ValidationFailed(
            _("A contact can only report to someone at the same account."),
            [("reports_to", _("different account"))],
        )
    node: Contact | None = manager
    for _depth in range(200):
        if node is None:
            return
        if contact.pk is not None and node.pk == contact.pk:
            raise ValidationFailed(
                _("This reporting line would go round in a circle."),
                [("reports_to", _("would create a cycle"))],
            )
        node = node.reports_to


def _clean(fields: dict[str, Any]) -> dict[str, Any]:
    if "circle" in fields:
        fields["circle"] = (fields["circle"] or "").strip()
    if "interaction_level" in fields:
        raise ValidationFailed(
            _("The interaction level is derived from activities and cannot be set."),
            [("interaction_level", _("read-only"))],
        )
    return fields


@transaction.atomic
def contact_create(*, user: User, account: Any, name: str, **fields: Any) -> Contact:
    require_writer(user)
    contact = Contact(account=account, name=name.strip(), **_clean(fields))
    _check_reports_to(contact, fields.get("reports_to"))
    core_services.save_new(contact, user=user)
    if CLOSENESS_FIELDS & set(fields):
        closeness_record_for_contacts(contact_ids=[contact.pk])
    return contact


@transaction.atomic
def contact_update(
    *, user: User, contact: Contact, expected_version: int | None, changes: dict[str, Any]
) -> Contact:
    require_writer(user)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    changes = _clean(dict(changes))
    if "reports_to" in changes:
        _check_reports_to(contact, changes["reports_to"])
    updated = core_services.update_fields(
        contact, user=user, changes=changes, expected_version=expected_version
    )
    if CLOSENESS_FIELDS & set(changes):
        closeness_record_for_contacts(contact_ids=[contact.pk])
    return updated


def contact_archive(*, user: User, contact: Contact) -> Contact:
    require_writer(user)
    archived = core_services.archive(contact, user=user)
    closeness_record_for_contacts(contact_ids=[contact.pk])
    return archived


def contact_restore(*, user: User, contact: Contact) -> Contact:
    restored = core_services.restore(contact, user=user)
    closeness_record_for_contacts(contact_ids=[contact.pk])
    return restored


@transaction.atomic
def influence_add(*, user: User, source: Contact, target: Contact, note: str = "") -> Influence:
    """Record that `source` influences `target` (political map, account level)."""
    require_writer(user)
    if source.account_id != target.account_id:
        raise ValidationFailed(
            _("Both people must work at the same account."), [("target", _("different account"))]
        )
    if source.pk == target.pk:
        raise ValidationFailed(
            _("A person cannot influence themselves."), [("target", _("same person"))]
        )
    if Influence.objects.filter(source=source, target=target).exists():
        raise Conflict(_("This influence is already recorded."), [("target", _("duplicate"))])
    edge = Influence(source=source, target=target, account_id=source.account_id, note=note)
    return core_services.save_new(edge, user=user)


@transaction.atomic
def influence_remove(*, user: User, influence: Influence) -> None:
    require_writer(user)
    influence._history_user = user  # type: ignore[attr-defined]
    influence.delete()


@transaction.atomic
def competitor_relation_set(
    *,
    user: User,
    contact: Contact,
    competitor: Competitor,
    status: str,
    interaction_level: str = "none",
) -> CompetitorRelation:
    """Record (or change) a competitor's relationship status and interaction with a contact."""
    require_writer(user)
    relation = (
        CompetitorRelation.objects.select_for_update()
        .filter(contact=contact, competitor=competitor)
        .first()
    )
    if relation is None:
        relation = CompetitorRelation(
            contact=contact,
            competitor=competitor,
            status=status,
            interaction_level=interaction_level,
        )
        try:
            with transaction.atomic():
                core_services.save_new(relation, user=user)
        except IntegrityError:
            raise Conflict(_("Someone recorded this at the same time. Reload.")) from None
    else:
        relation = core_services.update_fields(
            relation,
            user=user,
            changes={"status": status, "interaction_level": interaction_level},
            expected_version=relation.version,
        )
    closeness_record_for_contacts(contact_ids=[contact.pk])
    return relation


@transaction.atomic
def competitor_relation_remove(*, user: User, relation: CompetitorRelation) -> None:
    require_writer(user)
    contact_id = relation.contact_id
    relation._history_user = user  # type: ignore[attr-defined]
    relation.delete()
    closeness_record_for_contacts(contact_ids=[contact_id])
