"""The presales cost ledger of a deal: /opportunities/{id}/ledger (MCI §5.2)."""

from datetime import datetime
from decimal import Decimal
from typing import Any

from ninja import Field, Query, Router, Status

from wuwei.core.api import ERRORS, AuthedRequest, ListQuery, Schema
from wuwei.core.visibility import get_visible
from wuwei.support import selectors, services
from wuwei.support.api.common import page_of
from wuwei.support.models import LedgerEntry

#: The operation ids of support.api before its split (core.api.WuweiAPI).
OPERATION_ID_MODULE = "wuwei.support.api"
ledger_router = Router(tags=["presales"])


# ----------------------------------------------------------------------------------------
# /opportunities/{id}/ledger


class LedgerEntryOut(Schema):
    id: int
    kind: str
    amount: Decimal
    days: Decimal
    assignment: int | None = Field(None, alias="assignment_id")
    reverses: int | None = Field(None, alias="reverses_id")
    description: str
    created_at: datetime
    created_by: int = Field(alias="created_by_id")


class LedgerOut(Schema):
    items: list[LedgerEntryOut]
    next: str | None
    count: int | None = None
    budget: Decimal
    charged: Decimal
    reversed: Decimal
    balance: Decimal
    remaining: Decimal


class ReverseIn(Schema):
    reason: str = Field(min_length=1, max_length=300)


@ledger_router.get("/{opportunity_id}/ledger", response={200: LedgerOut, **ERRORS})
def ledger(request: AuthedRequest, opportunity_id: int, query: Query[ListQuery]) -> Any:
    """Append-only presales cost ledger: charges and reversing entries, with the budget."""
    opportunity = selectors.opportunity_get(user=request.auth, id=opportunity_id)
    page = page_of(selectors.ledger_list(opportunity=opportunity), query)
    summary = selectors.ledger_summary(opportunity)
    return {
        "items": page.items,
        "next": page.next,
        "count": page.count,
        "budget": summary.budget,
        "charged": summary.charged,
        "reversed": summary.reversed,
        "balance": summary.balance,
        "remaining": summary.remaining,
    }


@ledger_router.post(
    "/{opportunity_id}/ledger/{entry_id}/reverse", response={201: LedgerEntryOut, **ERRORS}
)
def ledger_reverse(
    request: AuthedRequest, opportunity_id: int, entry_id: int, payload: ReverseIn
) -> Any:
    opportunity = selectors.opportunity_get(user=request.auth, id=opportunity_id)
    entries = LedgerEntry.objects.filter(opportunity=opportunity)
    entry = get_visible(entries, request.auth, pk=entry_id)
    reversal = services.ledger_reverse(user=request.auth, entry=entry, reason=payload.reason)
    return Status(201, reversal)
