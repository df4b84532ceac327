"""/opportunities/{id}/members and /opportunities/{id}/competitors: the deal team and the
competitors on the deal (internal work: 404 for partner users)."""

from typing import Any

from ninja import Field, Query, Router, Status

from wuwei.competitors.models import Competitor
from wuwei.core.api import (
    ERRORS,
    AuthedRequest,
    ListQuery,
    Schema,
    visible_ref,
)
from wuwei.core.pagination import keyset_page
from wuwei.opportunities import partners, selectors, services
from wuwei.opportunities.models import (
    DealRole,
    Opportunity,
)
from wuwei.org.models import User

router = Router(tags=["opportunities"])
# Operation ids stay those of the module these operations were split from (issue #12).
# Split out of wuwei/opportunities/api.py: the operation ids stay those it gave them.
OPERATION_ID_MODULE = "wuwei.opportunities.api"


def _internal(request: AuthedRequest, opportunity_id: int) -> Opportunity:
    """The deal for internal work on it (team, competitors): 404 for partners."""
    return partners.internal_deal(request.auth, Opportunity.objects.all(), opportunity_id)


class MemberIn(Schema):
    user: int
    role: DealRole = DealRole.SALES


class MemberOut(Schema):
    user: int = Field(alias="user_id")
    name: str
    role: str

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return str(obj.user)


class MemberList(Schema):
    items: list[MemberOut]
    next: str | None
    count: int | None = None


@router.get("/{opportunity_id}/members", response={200: MemberList, **ERRORS})
def opportunity_members(
    request: AuthedRequest, opportunity_id: int, query: Query[ListQuery]
) -> Any:
    """The deal team, by role then username."""
    return keyset_page(
        selectors.opportunity_members(opportunity=_internal(request, opportunity_id)),
        sort=selectors.MEMBER_ORDER,
        limit=query.limit,
        cursor=query.cursor,
        with_count=query.count,
    )


@router.post("/{opportunity_id}/members", response={201: MemberOut, **ERRORS})
def opportunity_member_add(request: AuthedRequest, opportunity_id: int, payload: MemberIn) -> Any:
    opportunity = _internal(request, opportunity_id)
    member = visible_ref(request.auth, User, payload.user, "user")
    membership = services.opportunity_member_set(
        user=request.auth, opportunity=opportunity, member=member, role=str(payload.role)
    )
    return Status(201, membership)


@router.delete("/{opportunity_id}/members/{user_id}", response={204: None, **ERRORS})
def opportunity_member_remove(request: AuthedRequest, opportunity_id: int, user_id: int) -> Any:
    opportunity = _internal(request, opportunity_id)
    member = visible_ref(request.auth, User, user_id, "user")
    services.opportunity_member_remove(user=request.auth, opportunity=opportunity, member=member)
    return Status(204, None)


class DealCompetitorIn(Schema):
    competitor: int
    is_primary: bool = False
    notes: str = Field("", max_length=5000)


class DealCompetitorOut(Schema):
    competitor: int = Field(alias="competitor_id")
    name: str = Field(alias="competitor.name")
    is_primary: bool
    notes: str


class DealCompetitorList(Schema):
    items: list[DealCompetitorOut]
    next: str | None
    count: int | None = None


@router.get("/{opportunity_id}/competitors", response={200: DealCompetitorList, **ERRORS})
def opportunity_competitors(
    request: AuthedRequest, opportunity_id: int, query: Query[ListQuery]
) -> Any:
    """The competitors on the deal, the primary one first, then by name."""
    return keyset_page(
        selectors.opportunity_competitors(opportunity=_internal(request, opportunity_id)),
        sort=selectors.DEAL_COMPETITOR_ORDER,
        limit=query.limit,
        cursor=query.cursor,
        with_count=query.count,
    )


@router.post("/{opportunity_id}/competitors", response={201: DealCompetitorOut, **ERRORS})
def opportunity_competitor_add(
    request: AuthedRequest, opportunity_id: int, payload: DealCompetitorIn
) -> Any:
    opportunity = _internal(request, opportunity_id)
    competitor = visible_ref(request.auth, Competitor, payload.competitor, "competitor")
    link = services.opportunity_competitor_add(
        user=request.auth,
        opportunity=opportunity,
        competitor=competitor,
        is_primary=payload.is_primary,
        notes=payload.notes,
    )
    return Status(201, link)


@router.delete("/{opportunity_id}/competitors/{competitor_id}", response={204: None, **ERRORS})
def opportunity_competitor_remove(
    request: AuthedRequest, opportunity_id: int, competitor_id: int
) -> Any:
    opportunity = _internal(request, opportunity_id)
    competitor = visible_ref(request.auth, Competitor, competitor_id, "competitor")
    services.opportunity_competitor_remove(
        user=request.auth, opportunity=opportunity, competitor=competitor
    )
    return Status(204, None)
