"""Account writes, shared by the web UI, the API, the CLI and imports."""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from wuwei.accounts.models import Account
from wuwei.core import services as core_services
from wuwei.core.errors import NotAllowed, ValidationFailed
from wuwei.methodology.names import normalize_company_name
from wuwei.org.models import Role, User

EDITABLE_FIELDS = (
    "name",
    "registration_number",
    "industry",
    "region",
    "segment",
    "status",
    "owner",
    "team",
    "parent",
    "notes",
)
CREATOR_ROLES = {Role.REP, Role.MANAGER, Role.EXECUTIVE, Role.ADMIN}


def _require_creator(user: User) -> None:
    if not (user.is_superuser or user.role_slugs & CREATOR_ROLES):
        raise NotAllowed(_("Your role cannot create or change accounts."))


def _normalise(values: dict[str, Any]) -> dict[str, Any]:
    if "registration_number" in values:
        values["registration_number"] = (values["registration_number"] or "").strip() or None
    if "name" in values:
        values["name"] = (values["name"] or "").strip()
        values["name_normalized"] = normalize_company_name(values["name"])[:200]
    return values


def _check_parent(account: Account, parent: Account) -> None:
    """A group hierarchy is a tree: the new parent may not be the account or below it."""
    node: Account | None = parent
    for _depth in range(100):
        if node is None:
            return
        if node.pk == account.pk:
            raise ValidationFailed(
                _("An account cannot sit under itself or one of its subsidiaries."),
                [("parent", _("would create a cycle"))],
            )
        node = node.parent


@transaction.atomic
def account_create(
    *,
    user: User,
    name: str,
    owner: User | None = None,
    members: list[User] | None = None,
    **fields: Any,
) -> Account:
    _require_creator(user)
    values = _normalise({"name": name, **fields})
    if values.get("team") is None and (owner or user).team_id:
        values["team"] = (owner or user).team
    account = Account(owner=owner or user, **values)
    core_services.save_new(account, user=user)
    if members:
        account.members.set(members)
    return account


def account_update(
    *, user: User, account: Account, expected_version: int | None, changes: dict[str, Any]
) -> Account:
    _require_creator(user)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    if changes.get("parent") is not None:
        _check_parent(account, changes["parent"])
    return core_services.update_fields(
        account, user=user, changes=_normalise(dict(changes)), expected_version=expected_version
    )


def account_archive(*, user: User, account: Account) -> Account:
    _require_creator(user)
    return core_services.archive(account, user=user)


def account_restore(*, user: User, account: Account) -> Account:
    return core_services.restore(account, user=user)
