"""Contact writes. A contact's manager (reports_to) must work at the same account."""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from wuwei.core import services as core_services
from wuwei.core.errors import NotAllowed, ValidationFailed
from wuwei.org.models import Role, User
from wuwei.people.models import Contact

EDITABLE_FIELDS = ("name", "title", "department", "phone", "email", "reports_to", "notes")
WRITER_ROLES = {Role.REP, Role.MANAGER, Role.EXECUTIVE, Role.ADMIN, Role.PRESALES}


def _require_writer(user: User) -> None:
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


@transaction.atomic
def contact_create(*, user: User, account: Any, name: str, **fields: Any) -> Contact:
    _require_writer(user)
    contact = Contact(account=account, name=name.strip(), **fields)
    _check_reports_to(contact, fields.get("reports_to"))
    return core_services.save_new(contact, user=user)


def contact_update(
    *, user: User, contact: Contact, expected_version: int | None, changes: dict[str, Any]
) -> Contact:
    _require_writer(user)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    if "reports_to" in changes:
        _check_reports_to(contact, changes["reports_to"])
    return core_services.update_fields(
        contact, user=user, changes=changes, expected_version=expected_version
    )


def contact_archive(*, user: User, contact: Contact) -> Contact:
    _require_writer(user)
    return core_services.archive(contact, user=user)


def contact_restore(*, user: User, contact: Contact) -> Contact:
    return core_services.restore(contact, user=user)
