"""Enterprise connections (§3.5 ECM, 人脉): which of our employees knows which contact.

Anyone records their own connections; a manager, executive or administrator may record
them for others (e.g. after an interview with a new hire)."""

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from wuwei.core import services as core_services
from wuwei.core.errors import Conflict, ValidationFailed
from wuwei.org.models import User
from wuwei.org.permissions import Action, require
from wuwei.people.models import Connection, Contact

EDITABLE_FIELDS = ("strength", "since", "how", "note")


def _require_may_record(user: User, employee: User) -> None:
    if employee.pk == user.pk:
        return
    require(user, Action.CONNECTION_FOR_OTHERS)


@transaction.atomic
def connection_create(
    *,
    user: User,
    employee: User,
    contact: Contact,
    how: str,
    strength: int = 3,
    since: date | None = None,
    note: str = "",
) -> Connection:
    _require_may_record(user, employee)
    if not employee.is_active:
        raise ValidationFailed(
            _("Only active employees can hold connections."), [("employee", _("inactive"))]
        )
    if Connection.objects.filter(employee=employee, contact=contact).exists():
        raise Conflict(
            _("This connection is already recorded; change it instead."),
            [("contact", _("duplicate"))],
        )
    connection = Connection(
        employee=employee, contact=contact, how=how, strength=strength, since=since, note=note
    )
    try:
        with transaction.atomic():
            core_services.save_new(connection, user=user)
    except IntegrityError:
        raise Conflict(_("This connection is already recorded.")) from None
    return connection


def connection_update(
    *, user: User, connection: Connection, expected_version: int | None, changes: dict[str, Any]
) -> Connection:
    _require_may_record(user, connection.employee)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    return core_services.update_fields(
        connection, user=user, changes=changes, expected_version=expected_version
    )


@transaction.atomic
def connection_remove(*, user: User, connection: Connection) -> None:
    _require_may_record(user, connection.employee)
    core_services.delete_attributed(connection, user=user)
