"""People test data, built through the real services."""

import itertools
from datetime import date
from decimal import Decimal
from typing import Any

from wuwei.accounts.models import Account
from wuwei.competitors.models import Competitor
from wuwei.opportunities.models import Opportunity
from wuwei.opportunities.services import opportunity_create
from wuwei.org.models import User
from wuwei.people import services
from wuwei.people.models import Activity, Contact

_seq = itertools.count(1)


def make_opportunity(account: Account, owner: User | None = None, **fields: Any) -> Opportunity:
    owner = owner or account.owner
    return opportunity_create(
        user=owner,
        account=account,
        name=fields.pop("name", f"Deal {next(_seq)}"),
        amount=fields.pop("amount", Decimal("2000000")),
        owner=owner,
        **fields,
    )


def make_competitor(name: str | None = None) -> Competitor:
    return Competitor.objects.create(name=name or f"Rival {next(_seq)}")


def log_activity(
    account: Account,
    contacts: list[Contact],
    *,
    on: date,
    kind: str = "call",
    opportunity: Opportunity | None = None,
    tags: tuple[str, ...] = (),
    by: User | None = None,
) -> Activity:
    return services.activity_create(
        user=by or account.owner,
        account=account,
        kind=kind,
        occurred_on=on,
        subject=f"{kind} {next(_seq)}",
        contacts=contacts,
        opportunity=opportunity,
        tags=tags,
    )
