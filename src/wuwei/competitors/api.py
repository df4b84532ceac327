"""/competitors (API.md): profile, analysis library, relations, partners, key events and
prices. Validate → selector/service."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Model
from ninja import Field, Router, Status

from wuwei.competitors import selectors as competitor_selectors
from wuwei.competitors import services as competitor_services
from wuwei.competitors.hooks import deal_links
from wuwei.competitors.models import (
    Competitor,
    CompetitorEvent,
    CompetitorInsight,
    CompetitorPrice,
    CompetitorRelation,
    InsightKind,
    RelationshipStatus,
)
from wuwei.core.api import (
    ERRORS,
    AuthedRequest,
    Schema,
    expected_version,
    reject_nulls,
    required_version,
    visible_ref,
)
from wuwei.core.links import WebAddress
from wuwei.core.pagination import DEFAULT_LIMIT, keyset_page

router = Router(tags=["competitors"])


def related_model(model: type[Model], field: str) -> type[Model]:
    """The model a foreign key points to (the customer or deal a record names: this app
    references them by name and does not import their apps)."""
    related = model._meta.get_field(field).related_model
    assert isinstance(related, type)
    return related


# ----------------------------------------------------------------------------------------
# /competitors


class RecordOut(Schema):
    open: int
    won: int
    lost: int
    lost_to: int
    win_rate: int | None


class CompetitorOut(Schema):
    id: int
    name: str
    website: str
    headquarters: str
    description: str
    notes: str
    version: int


class InsightOut(Schema):
    id: int
    kind: str
    text: str
    version: int


class RelationOut(Schema):
    id: int
    account: int = Field(alias="account_id")
    account_name: str = Field(alias="account.name")
    is_incumbent: bool
    relationship_status: str
    notes: str


class PartnerOut(Schema):
    id: int
    name: str
    role: str
    notes: str


class CompetitorEventOut(Schema):
    id: int
    happened_on: date
    title: str
    description: str
    account: int | None = Field(None, alias="account_id")
    version: int


class CompetitorDetailOut(CompetitorOut):
    strengths: list[InsightOut]
    weaknesses: list[InsightOut]
    tactics: list[InsightOut]
    relations: list[RelationOut]
    partners: list[PartnerOut]
    events: list[CompetitorEventOut]
    record: RecordOut


class CompetitorList(Schema):
    items: list[CompetitorOut]
    next: str | None
    count: int | None = None


class CompetitorIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    website: WebAddress = ""
    headquarters: str = Field("", max_length=200)
    description: str = Field("", max_length=20000)
    notes: str = Field("", max_length=20000)


class CompetitorPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    website: WebAddress | None = None
    headquarters: str | None = Field(None, max_length=200)
    description: str | None = Field(None, max_length=20000)
    notes: str | None = Field(None, max_length=20000)
    version: int | None = None


def _competitor(request: AuthedRequest, competitor_id: int) -> Competitor:
    return competitor_selectors.competitor_get(user=request.auth, id=competitor_id)


def _detail(request: AuthedRequest, competitor: Competitor) -> dict[str, Any]:
    user = request.auth
    insights = list(competitor.insights.filter(archived_at__isnull=True))
    record = competitor_selectors.competitor_records(user=user, competitor_ids=[competitor.pk]).get(
        competitor.pk, competitor_selectors.Record()
    )
    return {
        **CompetitorOut.from_orm(competitor).dict(),
        "strengths": [i for i in insights if i.kind == InsightKind.STRENGTH],
        "weaknesses": [i for i in insights if i.kind == InsightKind.WEAKNESS],
        "tactics": [i for i in insights if i.kind == InsightKind.TACTIC],
        "relations": competitor_selectors.competitor_relations(user=user, competitor=competitor),
        "partners": list(competitor.partners.filter(archived_at__isnull=True)),
        "events": competitor_selectors.competitor_events(user=user, competitor=competitor),
        "record": record,
    }


@router.get("", response={200: CompetitorList, **ERRORS})
def competitor_list(
    request: AuthedRequest,
    q: str | None = None,
    limit: int = DEFAULT_LIMIT,
    cursor: str | None = None,
    count: bool = False,
) -> Any:
    qs = competitor_selectors.competitor_list(user=request.auth, q=q)
    return keyset_page(qs, sort="name", limit=limit, cursor=cursor, with_count=count)


@router.post("", response={201: CompetitorDetailOut, **ERRORS})
def competitor_create(request: AuthedRequest, payload: CompetitorIn) -> Any:
    competitor = competitor_services.competitor_create(user=request.auth, **payload.dict())
    return Status(201, _detail(request, competitor))


@router.get("/{competitor_id}", response={200: CompetitorDetailOut, **ERRORS})
def competitor_get(request: AuthedRequest, competitor_id: int) -> Any:
    return _detail(request, _competitor(request, competitor_id))


@router.patch("/{competitor_id}", response={200: CompetitorDetailOut, **ERRORS})
def competitor_patch(request: AuthedRequest, competitor_id: int, payload: CompetitorPatch) -> Any:
    changes = payload.dict(exclude_unset=True, exclude={"version"})
    reject_nulls(changes, tuple(changes))
    competitor = competitor_services.competitor_update(
        user=request.auth,
        competitor=_competitor(request, competitor_id),
        changes=changes,
        expected_version=expected_version(request, payload.version),
    )
    return _detail(request, competitor)


class PriceIn(Schema):
    price: Decimal = Field(ge=0, max_digits=16, decimal_places=2)
    currency: str = Field("CNY", min_length=3, max_length=3)
    quoted_on: date
    opportunity: int | None = None
    product: str | None = None
    notes: str = Field("", max_length=5000)


class PriceOut(Schema):
    id: int
    price: Decimal
    currency: str
    quoted_on: date
    opportunity: int | None = Field(None, alias="opportunity_id")
    product: str | None = Field(None, alias="product.code")
    notes: str
    version: int


class PriceList(Schema):
    items: list[PriceOut]
    next: str | None
    count: int | None = None


@router.get("/{competitor_id}/prices", response={200: PriceList, **ERRORS})
def competitor_prices(
    request: AuthedRequest,
    competitor_id: int,
    limit: int = DEFAULT_LIMIT,
    cursor: str | None = None,
    count: bool = False,
) -> Any:
    """Price history, newest first; prices on deals you cannot see are left out."""
    competitor = _competitor(request, competitor_id)
    qs = competitor_selectors.competitor_prices(user=request.auth, competitor=competitor)
    return keyset_page(
        qs.select_related("product"),
        sort="-quoted_on",
        limit=limit,
        cursor=cursor,
        with_count=count,
    )


@router.post("/{competitor_id}/prices", response={201: PriceOut, **ERRORS})
def competitor_price_add(request: AuthedRequest, competitor_id: int, payload: PriceIn) -> Any:
    user = request.auth
    competitor = _competitor(request, competitor_id)
    opportunity = (
        visible_ref(
            user, related_model(CompetitorPrice, "opportunity"), payload.opportunity, "opportunity"
        )
        if payload.opportunity is not None
        else None
    )
    product = deal_links().product(payload.product) if payload.product else None
    price = competitor_services.competitor_price_add(
        user=user,
        competitor=competitor,
        price=payload.price,
        currency=payload.currency,
        quoted_on=payload.quoted_on,
        opportunity=opportunity,
        product=product,
        notes=payload.notes,
    )
    return Status(201, price)


class InsightIn(Schema):
    kind: InsightKind
    text: str = Field(min_length=1, max_length=5000)


@router.post("/{competitor_id}/insights", response={201: InsightOut, **ERRORS})
def competitor_insight_add(request: AuthedRequest, competitor_id: int, payload: InsightIn) -> Any:
    insight = competitor_services.competitor_insight_add(
        user=request.auth,
        competitor=_competitor(request, competitor_id),
        kind=str(payload.kind),
        text=payload.text,
    )
    return Status(201, insight)


class RelationIn(Schema):
    account: int
    is_incumbent: bool = False
    relationship_status: RelationshipStatus = RelationshipStatus.NEUTRAL
    notes: str = Field("", max_length=5000)


@router.post("/{competitor_id}/relations", response={201: RelationOut, **ERRORS})
def competitor_relation_set(request: AuthedRequest, competitor_id: int, payload: RelationIn) -> Any:
    user = request.auth
    relation = competitor_services.competitor_relation_set(
        user=user,
        competitor=_competitor(request, competitor_id),
        account=visible_ref(
            user, related_model(CompetitorRelation, "account"), payload.account, "account"
        ),
        is_incumbent=payload.is_incumbent,
        relationship_status=str(payload.relationship_status),
        notes=payload.notes,
    )
    return Status(201, relation)


class PartnerIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    role: str = Field("", max_length=200)
    notes: str = Field("", max_length=5000)


@router.post("/{competitor_id}/partners", response={201: PartnerOut, **ERRORS})
def competitor_partner_add(request: AuthedRequest, competitor_id: int, payload: PartnerIn) -> Any:
    partner = competitor_services.competitor_partner_add(
        user=request.auth,
        competitor=_competitor(request, competitor_id),
        **payload.dict(),
    )
    return Status(201, partner)


class CompetitorEventIn(Schema):
    happened_on: date
    title: str = Field(min_length=1, max_length=200)
    description: str = Field("", max_length=5000)
    account: int | None = None


@router.post("/{competitor_id}/events", response={201: CompetitorEventOut, **ERRORS})
def competitor_event_add(
    request: AuthedRequest, competitor_id: int, payload: CompetitorEventIn
) -> Any:
    user = request.auth
    account = (
        visible_ref(user, related_model(CompetitorRelation, "account"), payload.account, "account")
        if payload.account
        else None
    )
    event = competitor_services.competitor_event_add(
        user=user,
        competitor=_competitor(request, competitor_id),
        happened_on=payload.happened_on,
        title=payload.title,
        description=payload.description,
        account=account,
    )
    return Status(201, event)


# Corrections and archiving of the analysis library, key events and prices (the services the
# competitor pages use too): the version read is required, a stale one is 409.


def _record(request: AuthedRequest, model: type[Any], competitor_id: int, pk: int) -> Any:
    return competitor_selectors.competitor_record_get(
        user=request.auth, model=model, competitor=_competitor(request, competitor_id), id=pk
    )


class InsightPatch(Schema):
    kind: InsightKind | None = None
    text: str | None = Field(None, min_length=1, max_length=5000)
    version: int | None = None


@router.patch("/{competitor_id}/insights/{insight_id}", response={200: InsightOut, **ERRORS})
def competitor_insight_patch(
    request: AuthedRequest, competitor_id: int, insight_id: int, payload: InsightPatch
) -> Any:
    insight = _record(request, CompetitorInsight, competitor_id, insight_id)
    changes = payload.dict(exclude_unset=True, exclude={"version"})
    reject_nulls(changes, ("kind", "text"))
    return competitor_services.competitor_insight_update(
        user=request.auth,
        insight=insight,
        kind=str(changes.get("kind", insight.kind)),
        text=changes.get("text", insight.text),
        expected_version=required_version(request, payload.version),
    )


@router.delete("/{competitor_id}/insights/{insight_id}", response={200: InsightOut, **ERRORS})
def competitor_insight_delete(request: AuthedRequest, competitor_id: int, insight_id: int) -> Any:
    """Archive an analysis entry; the version read goes in the If-Match header."""
    return competitor_services.competitor_insight_archive(
        user=request.auth,
        insight=_record(request, CompetitorInsight, competitor_id, insight_id),
        expected_version=required_version(request, None),
    )


class CompetitorEventPatch(Schema):
    happened_on: date | None = None
    title: str | None = Field(None, min_length=1, max_length=200)
    description: str | None = Field(None, max_length=5000)
    version: int | None = None


@router.patch(
    "/{competitor_id}/events/{competitor_event_id}",
    response={200: CompetitorEventOut, **ERRORS},
)
def competitor_event_patch(
    request: AuthedRequest,
    competitor_id: int,
    competitor_event_id: int,
    payload: CompetitorEventPatch,
) -> Any:
    event = _record(request, CompetitorEvent, competitor_id, competitor_event_id)
    changes = payload.dict(exclude_unset=True, exclude={"version"})
    reject_nulls(changes, tuple(changes))
    return competitor_services.competitor_event_update(
        user=request.auth,
        event=event,
        changes=changes,
        expected_version=required_version(request, payload.version),
    )


@router.delete(
    "/{competitor_id}/events/{competitor_event_id}",
    response={200: CompetitorEventOut, **ERRORS},
)
def competitor_event_delete(
    request: AuthedRequest, competitor_id: int, competitor_event_id: int
) -> Any:
    """Archive a key event; the version read goes in the If-Match header."""
    return competitor_services.competitor_event_archive(
        user=request.auth,
        event=_record(request, CompetitorEvent, competitor_id, competitor_event_id),
        expected_version=required_version(request, None),
    )


class PricePatch(Schema):
    price: Decimal | None = Field(None, ge=0, max_digits=16, decimal_places=2)
    currency: str | None = Field(None, min_length=3, max_length=3)
    quoted_on: date | None = None
    notes: str | None = Field(None, max_length=5000)
    version: int | None = None


@router.patch("/{competitor_id}/prices/{price_id}", response={200: PriceOut, **ERRORS})
def competitor_price_patch(
    request: AuthedRequest, competitor_id: int, price_id: int, payload: PricePatch
) -> Any:
    price = _record(request, CompetitorPrice, competitor_id, price_id)
    changes = payload.dict(exclude_unset=True, exclude={"version"})
    reject_nulls(changes, tuple(changes))
    return competitor_services.competitor_price_update(
        user=request.auth,
        price=price,
        changes=changes,
        expected_version=required_version(request, payload.version),
    )


@router.delete("/{competitor_id}/prices/{price_id}", response={200: PriceOut, **ERRORS})
def competitor_price_delete(request: AuthedRequest, competitor_id: int, price_id: int) -> Any:
    """Archive a price; the version read goes in the If-Match header."""
    return competitor_services.competitor_price_archive(
        user=request.auth,
        price=_record(request, CompetitorPrice, competitor_id, price_id),
        expected_version=required_version(request, None),
    )
