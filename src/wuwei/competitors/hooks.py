"""What competitor intelligence needs of deals, which this app does not import.

Competitors sit below the deals app: prices name a deal and a product line, and our record
against a competitor is counted over deals. The app that owns deals registers these lookups
once from its `AppConfig.ready()` (`register_deal_links`); competitor pages and the API call
them through `deal_links()`.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Model

if TYPE_CHECKING:
    from wuwei.competitors.selectors import Record


@dataclass(frozen=True, slots=True)
class DealLinks:
    # records(user=..., competitor_ids=[...]) → {competitor id: Record}, one query
    records: Callable[..., dict[int, "Record"]]
    # internal_deal(user, id): a deal the user may do internal work on; NotFound otherwise
    internal_deal: Callable[[Any, int], Model]
    # product(code): the product line with this code; ValidationFailed if unknown
    product: Callable[[str], Model]


_links: list[DealLinks] = []


def register_deal_links(links: DealLinks) -> None:
    _links[:] = [links]


def deal_links() -> DealLinks:
    if not _links:
        raise RuntimeError("no app registered the deal links (competitors.hooks)")
    return _links[0]
