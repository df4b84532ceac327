"""Reads of collections (回款) on one won deal: its contract, the payments received, how much
is collected and the rate (METHOD.md §8)."""

from decimal import Decimal
from typing import Any

from django.db.models import Sum

from wuwei.core.visibility import visible
from wuwei.insights.scorecard.models import Contract, Payment
from wuwei.methodology.scorecard import CENT, collection_rate
from wuwei.opportunities.models import Opportunity, Stage


def collections_get(*, user: Any, opportunity: Opportunity) -> dict[str, Any]:
    """Three queries: the contract, the payments, their sum."""
    contract = (
        visible(Contract, user).filter(opportunity=opportunity, archived_at__isnull=True).first()
    )
    payments = visible(Payment, user).filter(opportunity=opportunity, archived_at__isnull=True)
    items = list(payments.order_by("received_on", "id"))
    collected = Decimal(payments.aggregate(total=Sum("amount"))["total"] or 0).quantize(CENT)
    return {
        "is_won": opportunity.stage == Stage.WON,
        "contract": contract,
        "payments": items,
        "collected": collected,
        "outstanding": (contract.value - collected) if contract else None,
        "rate": collection_rate(collected, contract.value) if contract else None,
    }
