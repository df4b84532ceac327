"""What the accounts area needs of contacts, which it does not import (issue #12: accounts
sits below people). The people app registers these once from its `AppConfig.ready()`
(`register_contact_source`): a customer's contacts (the account's contacts tab), our closeness
index from the relationship map (§3.4, ESP+ monitoring) and contact creation for the demo."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Model, QuerySet


@dataclass(frozen=True, slots=True)
class ContactSource:
    # for_account(user, account) → the contacts on the customer the user can see
    for_account: Callable[[Any, Model], QuerySet[Any]]
    # mapped_closeness(account, as_of) → the account-level closeness stored on or before as_of
    mapped_closeness: Callable[[Model, date], Decimal | None]
    # create(user=, account=, name=, **fields) → a new contact (people's contact service)
    create: Callable[..., Model]


_sources: list[ContactSource] = []


def register_contact_source(source: ContactSource) -> None:
    _sources[:] = [source]


def contact_source() -> ContactSource:
    if not _sources:
        raise RuntimeError("no app registered the contact source (accounts.contacts)")
    return _sources[0]
