"""Test data built through the real services (so tests exercise the rules they rely on)."""

import itertools
from typing import Any

from wuwei.accounts.models import Account
from wuwei.accounts.services import account_create
from wuwei.org.models import Role, Team, TeamKind, User
from wuwei.org.services import team_create, user_create
from wuwei.people.models import Contact
from wuwei.people.services import contact_create

PASSWORD = "correct-horse-battery-staple"
_seq = itertools.count(1)


def make_team(
    name: str | None = None,
    *,
    kind: str = TeamKind.SALES,
    parent: Team | None = None,
    segment: str = "",
) -> Team:
    return team_create(
        user=None, name=name or f"Team {next(_seq)}", kind=kind, parent=parent, segment=segment
    )


def make_user(
    username: str | None = None,
    *,
    roles: list[str] | None = None,
    team: Team | None = None,
    **extra: Any,
) -> User:
    return user_create(
        username=username or f"user{next(_seq)}",
        password=PASSWORD,
        roles=roles if roles is not None else [Role.REP],
        team=team,
        validate=False,
        **extra,
    )


def make_account(owner: User, name: str | None = None, **fields: Any) -> Account:
    return account_create(
        user=fields.pop("by", owner), owner=owner, name=name or f"Account {next(_seq)}", **fields
    )


def make_contact(account: Account, name: str | None = None, **fields: Any) -> Contact:
    return contact_create(
        user=fields.pop("by", account.owner),
        account=account,
        name=name or f"Contact {next(_seq)}",
        **fields,
    )
