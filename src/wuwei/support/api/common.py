"""What the presales routers share: the deal a write names, and the keyset page."""

from typing import Any

from wuwei.core.api import ListQuery, visible_ref
from wuwei.core.pagination import keyset_page
from wuwei.opportunities import partners
from wuwei.opportunities.models import Opportunity


def deal_ref(user: Any, opportunity_id: int) -> Opportunity:
    """A deal named in a presales write: presales work is internal, 404 for partner users."""
    partners.require_internal(user)
    deal: Opportunity = visible_ref(user, Opportunity, opportunity_id, "opportunity")
    return deal


def page_of(qs: Any, query: ListQuery, sort: str = "id") -> Any:
    return keyset_page(
        qs, sort=sort, limit=query.limit, cursor=query.cursor, with_count=query.count
    )
