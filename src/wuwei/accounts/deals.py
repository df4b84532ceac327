"""What the accounts area needs of deals, which it does not import (issue #12: accounts sits
below opportunities). The opportunities app registers these once from its
`AppConfig.ready()` (`register_deal_source`): the group roll-up's open pipeline, a customer's
deals, the deals incubated in a year (ESP+ evaluation) and the deal a visit finds (§2.8)."""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Model, QuerySet


@dataclass(frozen=True, slots=True)
class DealSource:
    # open_pipeline(user, account_ids) → (amount, count) of the open deals the user can see
    open_pipeline: Callable[[Any, list[int]], tuple[Decimal, int]]
    # for_account(user, account) → the live deals on the customer the user can see
    for_account: Callable[[Any, Model], QuerySet[Any]]
    # incubated(account, year) → (count, amount) of the deals created on it that year
    incubated: Callable[[Model, int], tuple[int, Decimal]]
    # from_visit(user=, visit=, name=, amount=) → the deal a visit found (source: visit)
    from_visit: Callable[..., Model]


_sources: list[DealSource] = []


def register_deal_source(source: DealSource) -> None:
    _sources[:] = [source]


def deal_source() -> DealSource:
    if not _sources:
        raise RuntimeError("no app registered the deal source (accounts.deals)")
    return _sources[0]
