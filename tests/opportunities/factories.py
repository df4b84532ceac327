"""Opportunity test data, built through the real services."""

import itertools
from decimal import Decimal
from typing import Any

from wuwei.competitors.models import Competitor
from wuwei.competitors.services import competitor_create
from wuwei.opportunities.models import Opportunity, ProductLine
from wuwei.opportunities.services import opportunity_create
from wuwei.org.models import User

_seq = itertools.count(1)


def products(*codes: str) -> list[ProductLine]:
    return list(ProductLine.objects.filter(code__in=codes).order_by("code"))


def make_opportunity(
    owner: User, account: Any, amount: Any = 100_000, **fields: Any
) -> Opportunity:
    if "products" in fields and fields["products"] and isinstance(fields["products"][0], str):
        fields["products"] = products(*fields["products"])
    return opportunity_create(
        user=fields.pop("by", owner),
        owner=owner,
        account=account,
        name=fields.pop("name", f"Deal {next(_seq)}"),
        amount=Decimal(amount),
        **fields,
    )


def make_competitor(user: User, name: str | None = None, **fields: Any) -> Competitor:
    return competitor_create(user=user, name=name or f"Rival {next(_seq)}", **fields)


def version_of(opportunity_id: int) -> int:
    """The version a client would have read: every stage move sends it (API.md)."""
    return Opportunity.objects.values_list("version", flat=True).get(pk=opportunity_id)
