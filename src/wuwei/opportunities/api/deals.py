"""/opportunities, /competitors and /registrations (API.md). Validate → selector/service."""

from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Status

from wuwei.accounts.models import Account
from wuwei.core.api import (
    ERRORS,
    AuthedRequest,
    ErrorOut,
    ListQuery,
    Schema,
    expected_version,
    reject_nulls,
    required_version,
    visible_ref,
    written,
)
from wuwei.core.errors import NotFound, ValidationFailed
from wuwei.core.links import WebAddress
from wuwei.core.pagination import DEFAULT_LIMIT, keyset_page
from wuwei.opportunities import competitors as competitor_services
from wuwei.opportunities import partners, selectors, services
from wuwei.opportunities import registrations as registration_services
from wuwei.opportunities.models import (
    Competitor,
    CompetitorEvent,
    CompetitorInsight,
    CompetitorPrice,
    DealRole,
    Grade,
    InsightKind,
    Opportunity,
    ProductLine,
    RegistrationStatus,
    RelationshipStatus,
    Source,
    Stage,
    Track,
)
from wuwei.org.models import Team, User

router = Router(tags=["opportunities"])
competitor_router = Router(tags=["competitors"])
registration_router = Router(tags=["registrations"])


def _products(codes: list[str] | None) -> list[ProductLine] | None:
    if codes is None:
        return None
    found = {p.code: p for p in ProductLine.objects.filter(code__in=codes)}
    unknown = [c for c in codes if c not in found]
    if unknown:
        raise ValidationFailed(
            _("Unknown product lines: %(codes)s.") % {"codes": ", ".join(unknown)},
            [("products", _("unknown: %(codes)s") % {"codes": ", ".join(unknown)})],
        )
    return [found[c] for c in dict.fromkeys(codes)]


# ----------------------------------------------------------------------------------------
# /opportunities


INTERNAL = "Internal: always null for partner users (METHOD.md §1)."


class OpportunityOut(Schema):
    """A deal. Partner users get only its partner fields; every field marked *Internal* is
    null for them (`opportunities.partners`)."""

    id: int
    account: int = Field(alias="account_id")
    account_name: str = Field(alias="account.name")
    account_registration_number: str | None = Field(alias="account.registration_number")
    name: str
    amount: Decimal
    currency: str
    expected_close: date | None
    stage: str
    stage_entered_at: datetime
    grade: str | None = Field(description=INTERNAL)
    grade_override: str | None = Field(description=INTERNAL)
    grade_override_reason: str | None = Field(description=INTERNAL)
    track: str | None = Field(description=INTERNAL)
    source: str | None = Field(description=INTERNAL)
    owner: int | None = Field(alias="owner_id", description=INTERNAL)
    owner_name: str | None = Field(description=INTERNAL)
    team: int | None = Field(None, alias="team_id", description=INTERNAL)
    partner: int | None = Field(None, alias="partner_id")
    registration: int | None = Field(None, alias="registration_id")
    protected_until: date | None = Field(
        None, description="the partner registration's protection expiry"
    )
    conflict: int | None = Field(None, description="the conflict the registration raised")
    products: list[str]
    win_rate: int | None = Field(description=INTERNAL)
    closed_on: date | None
    loss_reason: str | None = Field(description=INTERNAL)
    winning_competitor: int | None = Field(
        None, alias="winning_competitor_id", description=INTERNAL
    )
    winning_price: Decimal | None = Field(description=INTERNAL)
    notes: str | None = Field(description=INTERNAL)
    version: int
    archived: bool
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_owner_name(obj: Opportunity) -> str | None:
        return None if obj.owner is None else str(obj.owner)

    @staticmethod
    def resolve_protected_until(obj: Opportunity) -> date | None:
        return None if obj.registration is None else obj.registration.expires_on

    @staticmethod
    def resolve_conflict(obj: Opportunity) -> int | None:
        return None if obj.registration is None else obj.registration.conflict_id

    @staticmethod
    def resolve_products(obj: Opportunity) -> list[str]:
        return [p.code for p in obj.products.all()]

    @staticmethod
    def resolve_archived(obj: Opportunity) -> bool:
        return obj.archived_at is not None


class OpportunityIn(Schema):
    account: int
    name: str = Field(min_length=1, max_length=200)
    amount: Decimal = Field(Decimal(0), ge=0, max_digits=16, decimal_places=2)
    currency: str = Field("CNY", min_length=3, max_length=3)
    expected_close: date | None = None
    owner: int | None = None
    team: int | None = None
    source: Source = Source.LEAD
    products: list[str] = []
    grade_override: Grade | None = None
    grade_override_reason: str = Field("", max_length=2000)
    notes: str = Field("", max_length=20000)


class OpportunityPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    amount: Decimal | None = Field(None, ge=0, max_digits=16, decimal_places=2)
    currency: str | None = Field(None, min_length=3, max_length=3)
    expected_close: date | None = None
    owner: int | None = None
    team: int | None = None
    source: Source | None = None
    products: list[str] | None = None
    grade_override: Grade | None = Field(None, description='"" or null clears the override')
    grade_override_reason: str | None = Field(None, max_length=2000)
    notes: str | None = Field(None, max_length=20000)
    version: int | None = None


class OpportunityList(Schema):
    items: list[OpportunityOut]
    next: str | None
    count: int | None = None


class OpportunityQuery(Schema):
    q: str | None = Field(None, max_length=200)
    stage: Stage | None = None
    status: str | None = Field(None, pattern="^(open|won|lost|closed)$")
    grade: Grade | None = None
    track: Track | None = None
    owner: str | None = Field(None, max_length=20, description='"me" or a user id')
    member: str | None = Field(None, max_length=20, description='deal team: "me" or a user id')
    team: int | None = Field(None, description="owning team, sub-teams included")
    account: int | None = None
    partner: int | None = None
    competitor: int | None = None
    close_from: date | None = None
    close_to: date | None = None
    close_period: str | None = Field(None, max_length=10, description="2027, 2027-Q1, 2027-03")
    archived: bool = False

    def filters(self) -> selectors.OpportunityFilters:
        data = self.dict()
        for key in ("stage", "grade", "track"):
            data[key] = str(data[key]) if data[key] else None
        return selectors.OpportunityFilters(**data)


class OpportunityPage(ListQuery):
    sort: str = Field(
        "-amount", pattern="^(name|-amount|amount|-updated_at|created_at|-created_at)$"
    )


def _refs(user: User, data: dict[str, Any]) -> dict[str, Any]:
    for name, model in (("account", Account), ("owner", User), ("team", Team)):
        if data.get(name) is not None:
            data[name] = visible_ref(user, model, data[name], name)
    if "products" in data:
        data["products"] = _products(data["products"])
    if "grade_override" in data:
        data["grade_override"] = str(data["grade_override"] or "")
    return data


def _get(request: AuthedRequest, opportunity_id: int) -> Opportunity:
    return selectors.opportunity_get(user=request.auth, id=opportunity_id)


def _shown(request: AuthedRequest, opportunity_id: int) -> Any:
    """The deal as the caller may see it (a partner user: its partner fields only)."""
    return partners.shown(request.auth, _get(request, opportunity_id))


def _written(request: AuthedRequest, opportunity: Opportunity) -> Any:
    """The answer to a create or edit: never a 404 after the commit, even when the write
    handed the deal to someone the caller does not oversee (`core.api.written`)."""
    deal = written(lambda: _get(request, opportunity.pk), opportunity)
    return partners.shown(request.auth, deal)


def _internal(request: AuthedRequest, opportunity_id: int) -> Opportunity:
    """The deal for internal work on it (team, competitors, history): 404 for partners."""
    return partners.internal_deal(request.auth, Opportunity.objects.all(), opportunity_id)


@router.get("", response={200: OpportunityList, **ERRORS})
def opportunity_list(
    request: AuthedRequest, filters: Query[OpportunityQuery], page: Query[OpportunityPage]
) -> Any:
    qs = selectors.opportunity_list(user=request.auth, filters=filters.filters())
    result = keyset_page(
        qs.prefetch_related("products"),
        sort=page.sort,
        limit=page.limit,
        cursor=page.cursor,
        with_count=page.count,
    )
    items = partners.shown_all(request.auth, result.items)
    return {"items": items, "next": result.next, "count": result.count}


class TotalOut(Schema):
    key: str
    count: int
    amount: Decimal


class SummaryOut(Schema):
    count: int
    amount: Decimal
    by_stage: list[TotalOut]
    by_grade: list[TotalOut]


@router.get("/summary", response={200: SummaryOut, **ERRORS})
def opportunity_summary(request: AuthedRequest, filters: Query[OpportunityQuery]) -> Any:
    """Count and amount by stage and by grade for the same filters as the list (partner
    users: by stage only, `by_grade` is empty — the grade is internal)."""
    qs = selectors.opportunity_list(user=request.auth, filters=filters.filters())
    totals = selectors.opportunity_totals(qs)
    return replace(totals, by_grade=[]) if partners.is_partner(request.auth) else totals


class StageTemplateOut(Schema):
    stage: str
    number: int
    name_en: str
    name_zh: str
    exit_criteria_en: str
    exit_criteria_zh: str
    method_en: str
    method_zh: str
    department_en: str
    department_zh: str
    position_en: str
    position_zh: str
    assessment_en: str
    assessment_zh: str
    steps_en: list[str]
    steps_zh: list[str]

    @staticmethod
    def resolve_steps_en(obj: Any) -> list[str]:
        return [s.strip() for s in obj.steps_en.splitlines() if s.strip()]

    @staticmethod
    def resolve_steps_zh(obj: Any) -> list[str]:
        return [s.strip() for s in obj.steps_zh.splitlines() if s.strip()]


@router.get("/stage-template", response={200: list[StageTemplateOut], **ERRORS})
def stage_template(request: AuthedRequest) -> Any:
    """The sales process template in force (METHOD.md §4.1, §4.11), both languages."""
    return selectors.stage_template()


@router.post("", response={201: OpportunityOut, **ERRORS})
def opportunity_create(request: AuthedRequest, payload: OpportunityIn) -> Any:
    data = _refs(request.auth, payload.dict())
    opportunity = services.opportunity_create(user=request.auth, **data)
    return Status(201, _written(request, opportunity))


@router.get("/{opportunity_id}", response={200: OpportunityOut, **ERRORS})
def opportunity_get(request: AuthedRequest, opportunity_id: int) -> Any:
    return _shown(request, opportunity_id)


@router.patch("/{opportunity_id}", response={200: OpportunityOut, **ERRORS})
def opportunity_patch(
    request: AuthedRequest, opportunity_id: int, payload: OpportunityPatch
) -> Any:
    opportunity = _get(request, opportunity_id)
    changes = payload.dict(exclude_unset=True, exclude={"version"})
    reject_nulls(changes, ("name", "amount", "currency", "owner", "source", "products"))
    updated = services.opportunity_update(
        user=request.auth,
        opportunity=opportunity,
        changes=_refs(request.auth, changes),
        expected_version=expected_version(request, payload.version),
    )
    return _written(request, updated)


@router.delete("/{opportunity_id}", response={200: OpportunityOut, **ERRORS})
def opportunity_delete(request: AuthedRequest, opportunity_id: int) -> Any:
    services.opportunity_archive(user=request.auth, opportunity=_get(request, opportunity_id))
    return _shown(request, opportunity_id)


@router.post("/{opportunity_id}/restore", response={200: OpportunityOut, **ERRORS})
def opportunity_restore(request: AuthedRequest, opportunity_id: int) -> Any:
    services.opportunity_restore(user=request.auth, opportunity=_get(request, opportunity_id))
    return _shown(request, opportunity_id)


class StageIn(Schema):
    to: Stage
    reason: str = Field("", max_length=2000)
    version: int | None = Field(
        None, description="required here or as If-Match: the version you read (stale → 409)"
    )
    winning_competitor: int | None = None
    winning_price: Decimal | None = Field(None, ge=0, max_digits=16, decimal_places=2)
    # A manager above the deal lets the move through blocking PRM rules (§6) with a reason.
    override_reason: str = Field("", max_length=2000)


class OpportunityReasonOut(Schema):
    code: str
    message: str
    params: dict[str, str | None]


class StageRefusedOut(ErrorOut):
    reasons: list[OpportunityReasonOut]


@router.post(
    "/{opportunity_id}/stage",
    response={200: OpportunityOut, **ERRORS, 409: StageRefusedOut | ErrorOut},
)
def opportunity_move_stage(request: AuthedRequest, opportunity_id: int, payload: StageIn) -> Any:
    """Move the stage. Like every write it needs the version you read (`version` or
    `If-Match`; missing → 422, stale → 409). A refused move is 409 with every failing rule in
    `reasons`."""
    opportunity = _get(request, opportunity_id)
    winner = None
    if payload.winning_competitor is not None:
        winner = visible_ref(
            request.auth, Competitor, payload.winning_competitor, "winning_competitor"
        )
    try:
        services.opportunity_move_stage(
            user=request.auth,
            opportunity=opportunity,
            to=str(payload.to),
            reason=payload.reason,
            expected_version=required_version(request, payload.version),
            winning_competitor=winner,
            winning_price=payload.winning_price,
            override_reason=payload.override_reason,
        )
    except services.StageBlocked as exc:
        return Status(
            409,
            {
                "detail": exc.detail,
                "errors": [{"field": f, "message": m} for f, m in exc.errors],
                "reasons": [
                    {
                        "code": r.code,
                        "message": m,
                        "params": {k: str(v) for k, v in r.params.items()},
                    }
                    for r, m in zip(exc.reasons, exc.messages, strict=True)
                ],
            },
        )
    return _shown(request, opportunity_id)


class StageHistoryOut(Schema):
    stage: str
    entered_at: datetime
    entered_by: int | None = Field(None, alias="entered_by_id")
    left_at: datetime | None
    left_by: int | None = Field(None, alias="left_by_id")
    reason: str
    days: float

    @staticmethod
    def resolve_days(obj: Any) -> float:
        return round(float(obj.duration.total_seconds()) / 86400, 2)


@router.get("/{opportunity_id}/stage-history", response={200: list[StageHistoryOut], **ERRORS})
def opportunity_stage_history(request: AuthedRequest, opportunity_id: int) -> Any:
    return selectors.stage_history(opportunity=_internal(request, opportunity_id))


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


@router.get("/{opportunity_id}/members", response={200: list[MemberOut], **ERRORS})
def opportunity_members(request: AuthedRequest, opportunity_id: int) -> Any:
    return selectors.opportunity_members(opportunity=_internal(request, opportunity_id))


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


@router.get("/{opportunity_id}/competitors", response={200: list[DealCompetitorOut], **ERRORS})
def opportunity_competitors(request: AuthedRequest, opportunity_id: int) -> Any:
    return selectors.opportunity_competitors(opportunity=_internal(request, opportunity_id))


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
    return selectors.competitor_get(user=request.auth, id=competitor_id)


def _detail(request: AuthedRequest, competitor: Competitor) -> dict[str, Any]:
    user = request.auth
    insights = list(competitor.insights.filter(archived_at__isnull=True))
    record = selectors.competitor_records(user=user, competitor_ids=[competitor.pk]).get(
        competitor.pk, selectors.Record()
    )
    return {
        **CompetitorOut.from_orm(competitor).dict(),
        "strengths": [i for i in insights if i.kind == InsightKind.STRENGTH],
        "weaknesses": [i for i in insights if i.kind == InsightKind.WEAKNESS],
        "tactics": [i for i in insights if i.kind == InsightKind.TACTIC],
        "relations": selectors.competitor_relations(user=user, competitor=competitor),
        "partners": list(competitor.partners.filter(archived_at__isnull=True)),
        "events": selectors.competitor_events(user=user, competitor=competitor),
        "record": record,
    }


@competitor_router.get("", response={200: CompetitorList, **ERRORS})
def competitor_list(
    request: AuthedRequest,
    q: str | None = None,
    limit: int = DEFAULT_LIMIT,
    cursor: str | None = None,
    count: bool = False,
) -> Any:
    qs = selectors.competitor_list(user=request.auth, q=q)
    return keyset_page(qs, sort="name", limit=limit, cursor=cursor, with_count=count)


@competitor_router.post("", response={201: CompetitorDetailOut, **ERRORS})
def competitor_create(request: AuthedRequest, payload: CompetitorIn) -> Any:
    competitor = competitor_services.competitor_create(user=request.auth, **payload.dict())
    return Status(201, _detail(request, competitor))


@competitor_router.get("/{competitor_id}", response={200: CompetitorDetailOut, **ERRORS})
def competitor_get(request: AuthedRequest, competitor_id: int) -> Any:
    return _detail(request, _competitor(request, competitor_id))


@competitor_router.patch("/{competitor_id}", response={200: CompetitorDetailOut, **ERRORS})
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


@competitor_router.get("/{competitor_id}/prices", response={200: PriceList, **ERRORS})
def competitor_prices(
    request: AuthedRequest,
    competitor_id: int,
    limit: int = DEFAULT_LIMIT,
    cursor: str | None = None,
    count: bool = False,
) -> Any:
    """Price history, newest first; prices on deals you cannot see are left out."""
    competitor = _competitor(request, competitor_id)
    qs = selectors.competitor_prices(user=request.auth, competitor=competitor)
    return keyset_page(
        qs.select_related("product"),
        sort="-quoted_on",
        limit=limit,
        cursor=cursor,
        with_count=count,
    )


@competitor_router.post("/{competitor_id}/prices", response={201: PriceOut, **ERRORS})
def competitor_price_add(request: AuthedRequest, competitor_id: int, payload: PriceIn) -> Any:
    user = request.auth
    competitor = _competitor(request, competitor_id)
    opportunity = (
        visible_ref(user, Opportunity, payload.opportunity, "opportunity")
        if payload.opportunity is not None
        else None
    )
    products = _products([payload.product] if payload.product else [])
    price = services.competitor_price_add(
        user=user,
        competitor=competitor,
        price=payload.price,
        currency=payload.currency,
        quoted_on=payload.quoted_on,
        opportunity=opportunity,
        product=products[0] if products else None,
        notes=payload.notes,
    )
    return Status(201, price)


class InsightIn(Schema):
    kind: InsightKind
    text: str = Field(min_length=1, max_length=5000)


@competitor_router.post("/{competitor_id}/insights", response={201: InsightOut, **ERRORS})
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


@competitor_router.post("/{competitor_id}/relations", response={201: RelationOut, **ERRORS})
def competitor_relation_set(request: AuthedRequest, competitor_id: int, payload: RelationIn) -> Any:
    user = request.auth
    relation = competitor_services.competitor_relation_set(
        user=user,
        competitor=_competitor(request, competitor_id),
        account=visible_ref(user, Account, payload.account, "account"),
        is_incumbent=payload.is_incumbent,
        relationship_status=str(payload.relationship_status),
        notes=payload.notes,
    )
    return Status(201, relation)


class PartnerIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    role: str = Field("", max_length=200)
    notes: str = Field("", max_length=5000)


@competitor_router.post("/{competitor_id}/partners", response={201: PartnerOut, **ERRORS})
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


@competitor_router.post("/{competitor_id}/events", response={201: CompetitorEventOut, **ERRORS})
def competitor_event_add(
    request: AuthedRequest, competitor_id: int, payload: CompetitorEventIn
) -> Any:
    user = request.auth
    account = visible_ref(user, Account, payload.account, "account") if payload.account else None
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
    return selectors.competitor_record_get(
        user=request.auth, model=model, competitor=_competitor(request, competitor_id), id=pk
    )


class InsightPatch(Schema):
    kind: InsightKind | None = None
    text: str | None = Field(None, min_length=1, max_length=5000)
    version: int | None = None


@competitor_router.patch(
    "/{competitor_id}/insights/{insight_id}", response={200: InsightOut, **ERRORS}
)
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


@competitor_router.delete(
    "/{competitor_id}/insights/{insight_id}", response={200: InsightOut, **ERRORS}
)
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


@competitor_router.patch(
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


@competitor_router.delete(
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


@competitor_router.patch("/{competitor_id}/prices/{price_id}", response={200: PriceOut, **ERRORS})
def competitor_price_patch(
    request: AuthedRequest, competitor_id: int, price_id: int, payload: PricePatch
) -> Any:
    price = _record(request, CompetitorPrice, competitor_id, price_id)
    changes = payload.dict(exclude_unset=True, exclude={"version"})
    reject_nulls(changes, tuple(changes))
    return services.competitor_price_update(
        user=request.auth,
        price=price,
        changes=changes,
        expected_version=required_version(request, payload.version),
    )


@competitor_router.delete("/{competitor_id}/prices/{price_id}", response={200: PriceOut, **ERRORS})
def competitor_price_delete(request: AuthedRequest, competitor_id: int, price_id: int) -> Any:
    """Archive a price; the version read goes in the If-Match header."""
    return services.competitor_price_archive(
        user=request.auth,
        price=_record(request, CompetitorPrice, competitor_id, price_id),
        expected_version=required_version(request, None),
    )


# ----------------------------------------------------------------------------------------
# /registrations


class RegistrationOut(Schema):
    id: int
    partner: int = Field(alias="partner_id")
    partner_name: str = Field(alias="partner.name")
    account: int = Field(alias="account_id")
    account_name: str = Field(alias="account.name")
    products: list[str]
    registered_by: int = Field(alias="registered_by_id")
    registered_on: date
    expires_on: date
    status: str
    estimated_amount: Decimal
    expected_close: date | None = None
    conflict: int | None = Field(None, alias="conflict_id")
    notes: str
    version: int

    @staticmethod
    def resolve_products(obj: Any) -> list[str]:
        return [p.code for p in obj.products.all()]


class RegistrationList(Schema):
    items: list[RegistrationOut]
    next: str | None
    count: int | None = None


class RegistrationIn(Schema):
    account: int | None = Field(None, description="an account you can see")
    customer_registration_number: str | None = Field(
        None,
        max_length=50,
        description="partners: the customer's unified social credit code instead of an id",
    )
    partner: int | None = Field(None, description="staff registering for a partner")
    products: list[str] = Field(min_length=1)
    estimated_amount: Decimal = Field(Decimal(0), ge=0, max_digits=16, decimal_places=2)
    expected_close: date | None = None
    notes: str = Field("", max_length=20000)


class ConvertIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    amount: Decimal = Field(ge=0, max_digits=16, decimal_places=2)
    expected_close: date | None = None


def _registration_account(user: Any, payload: RegistrationIn) -> Account:
    if payload.account is not None:
        visible_account: Account = visible_ref(user, Account, payload.account, "account")
        return visible_account
    number = (payload.customer_registration_number or "").strip()
    account: Account | None = Account.objects.filter(
        registration_number=number, archived_at__isnull=True
    ).first()
    if not number or account is None:
        raise NotFound(
            _("No customer with this registration number; ask your channel manager."),
            [("customer_registration_number", _("not found"))],
        )
    return account


@registration_router.get("", response={200: RegistrationList, **ERRORS})
def registration_list(
    request: AuthedRequest,
    account: int | None = None,
    partner: int | None = None,
    status: RegistrationStatus | None = None,
    archived: bool = False,
    limit: int = DEFAULT_LIMIT,
    cursor: str | None = None,
    count: bool = False,
) -> Any:
    filters = selectors.RegistrationFilters(
        account=account, partner=partner, status=str(status) if status else None, archived=archived
    )
    qs = selectors.registration_list(user=request.auth, filters=filters)
    return keyset_page(
        qs.prefetch_related("products"),
        sort="-created_at",
        limit=limit,
        cursor=cursor,
        with_count=count,
    )


@registration_router.post("", response={201: RegistrationOut, **ERRORS})
def registration_create(request: AuthedRequest, payload: RegistrationIn) -> Any:
    user = request.auth
    partner = visible_ref(user, Team, payload.partner, "partner") if payload.partner else None
    registration = registration_services.registration_create(
        user=user,
        account=_registration_account(user, payload),
        partner=partner,
        products=_products(payload.products) or [],
        estimated_amount=payload.estimated_amount,
        expected_close=payload.expected_close,
        notes=payload.notes,
    )
    return Status(201, selectors.registration_get(user=user, id=registration.pk))


@registration_router.get("/{registration_id}", response={200: RegistrationOut, **ERRORS})
def registration_get(request: AuthedRequest, registration_id: int) -> Any:
    return selectors.registration_get(user=request.auth, id=registration_id)


@registration_router.post("/{registration_id}/withdraw", response={200: RegistrationOut, **ERRORS})
def registration_withdraw(request: AuthedRequest, registration_id: int) -> Any:
    user = request.auth
    registration = selectors.registration_get(user=user, id=registration_id)
    registration_services.registration_withdraw(user=user, registration=registration)
    return selectors.registration_get(user=user, id=registration_id)


@registration_router.post("/{registration_id}/convert", response={201: OpportunityOut, **ERRORS})
def registration_convert(request: AuthedRequest, registration_id: int, payload: ConvertIn) -> Any:
    """Turn the registration into the partner-led (grade E) opportunity."""
    user = request.auth
    registration = selectors.registration_get(user=user, id=registration_id)
    opportunity = registration_services.registration_convert(
        user=user, registration=registration, **payload.dict()
    )
    created = selectors.opportunity_get(user=user, id=opportunity.pk)
    return Status(201, partners.shown(user, created))
