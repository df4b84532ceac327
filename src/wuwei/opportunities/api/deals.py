"""/opportunities: the deal itself — list, totals, stage template, create, read, edit,
archive, restore, stage moves and stage history (API.md). Validate → selector/service."""

from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any, cast

from django.db import transaction
from ninja import Field, Query, Router, Status

from wuwei.accounts.models import Account
from wuwei.competitors.models import Competitor
from wuwei.core.api import (
    ERRORS,
    AuthedRequest,
    ErrorOut,
    ListQuery,
    Schema,
    answer,
    expected_version,
    reject_nulls,
    required_version,
    visible_ref,
)
from wuwei.core.pagination import keyset_page
from wuwei.opportunities import partners, selectors, services
from wuwei.opportunities.models import (
    Grade,
    Opportunity,
    Source,
    Stage,
    Track,
)
from wuwei.org.models import Team, User

router = Router(tags=["opportunities"])
# Operation ids stay those of the module these operations were split from (issue #12).
# Split out of wuwei/opportunities/api.py: the operation ids stay those it gave them.
OPERATION_ID_MODULE = "wuwei.opportunities.api"


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
        data["products"] = selectors.product_lines(data["products"])
    if "grade_override" in data:
        data["grade_override"] = str(data["grade_override"] or "")
    return data


def _get(request: AuthedRequest, opportunity_id: int) -> Opportunity:
    return selectors.opportunity_get(user=request.auth, id=opportunity_id)


def _respond(request: AuthedRequest, body: Any, status: int = 200) -> Any:
    """Answer with `body` as it is: deal items are built from values() rows exactly as their
    schema prints them (no per-attribute schema resolution of model objects, issue #17)."""
    return answer(body, status)


def _shown(request: AuthedRequest, opportunity_id: int) -> Any:
    """The deal as the caller may see it (a partner user: its partner fields only), or 404."""
    row = selectors.opportunity_row(user=request.auth, id=opportunity_id, columns=_ROW_COLUMNS)
    return _respond(request, _deal_rows([row], partner=partners.is_partner(request.auth))[0])


def _written(request: AuthedRequest, opportunity: Opportunity, status: int = 200) -> Any:
    """The answer to a create or edit: the deal as written, re-read as one row. Never a 404
    after the commit, even when the write handed the deal to someone the caller does not
    oversee (`core.api.written`): the row is read by its id, and shown as the caller may see
    it (a partner user: its partner fields only)."""
    row = selectors.opportunity_written_row(id=opportunity.pk, columns=_ROW_COLUMNS)
    items = _deal_rows([row], partner=partners.is_partner(request.auth))
    return _respond(request, items[0], status)


def _internal(request: AuthedRequest, opportunity_id: int) -> Opportunity:
    """The deal for internal work on it (team, competitors, history): 404 for partners."""
    return partners.internal_deal(request.auth, Opportunity.objects.all(), opportunity_id)


@router.get("", response={200: OpportunityList, **ERRORS})
def opportunity_list(
    request: AuthedRequest, filters: Query[OpportunityQuery], page: Query[OpportunityPage]
) -> Any:
    qs = selectors.opportunity_list(
        user=request.auth, filters=filters.filters(), columns=_ROW_COLUMNS
    )
    result = keyset_page(
        qs,
        sort=page.sort,
        limit=page.limit,
        cursor=page.cursor,
        with_count=page.count,
    )
    rows = cast(list[dict[str, Any]], result.items)  # values() rows: `columns` was given
    items = _deal_rows(rows, partner=partners.is_partner(request.auth))
    return _respond(request, {"items": items, "next": result.next, "count": result.count})


# The list, the detail and the answers to writes read only the columns a deal item prints
# (issue #17): no account, owner or team rows, no model objects, no per-attribute schema
# resolution. Each item is exactly what OpportunityOut documents (tests compare list items,
# detail answers and OpportunityOut applied to the model).
_ROW_COLUMNS = (
    "id",
    "account_id",
    "account__name",
    "account__registration_number",
    "name",
    "amount",
    "currency",
    "expected_close",
    "stage",
    "stage_entered_at",
    "grade",
    "grade_override",
    "grade_override_reason",
    "track",
    "source",
    "owner_id",
    "owner__username",
    "owner__first_name",
    "owner__last_name",
    "owner__display_name",
    "team_id",
    "partner_id",
    "registration_id",
    "registration__expires_on",
    "registration__conflict_id",
    "win_rate",
    "closed_on",
    "loss_reason",
    "winning_competitor_id",
    "winning_price",
    "notes",
    "version",
    "archived_at",
    "created_at",
    "updated_at",
)
# Fields a partner user reads as null (`partners.PartnerView`: not in PARTNER_FIELDS).
_PARTNER_NULLS = (
    "grade",
    "grade_override",
    "grade_override_reason",
    "track",
    "source",
    "owner",
    "owner_name",
    "team",
    "win_rate",
    "loss_reason",
    "winning_competitor",
    "winning_price",
    "notes",
)


def _owner_name(row: dict[str, Any]) -> str | None:
    """str(owner) (org.User.__str__) from the row's columns."""
    if row["owner_id"] is None:
        return None
    full = f"{row['owner__first_name']} {row['owner__last_name']}".strip()
    return str(row["owner__display_name"] or full or row["owner__username"])


def _deal_rows(rows: list[dict[str, Any]], *, partner: bool) -> list[dict[str, Any]]:
    products = selectors.product_codes([row["id"] for row in rows])
    items = []
    for row in rows:
        registered = row["registration_id"] is not None
        item = {
            "id": row["id"],
            "account": row["account_id"],
            "account_name": row["account__name"],
            "account_registration_number": row["account__registration_number"],
            "name": row["name"],
            "amount": row["amount"],
            "currency": row["currency"],
            "expected_close": row["expected_close"],
            "stage": row["stage"],
            "stage_entered_at": row["stage_entered_at"],
            "grade": row["grade"],
            "grade_override": row["grade_override"],
            "grade_override_reason": row["grade_override_reason"],
            "track": row["track"],
            "source": row["source"],
            "owner": row["owner_id"],
            "owner_name": _owner_name(row),
            "team": row["team_id"],
            "partner": row["partner_id"],
            "registration": row["registration_id"],
            "protected_until": row["registration__expires_on"] if registered else None,
            "conflict": row["registration__conflict_id"] if registered else None,
            "products": products.get(row["id"], []),
            "win_rate": row["win_rate"],
            "closed_on": row["closed_on"],
            "loss_reason": row["loss_reason"],
            "winning_competitor": row["winning_competitor_id"],
            "winning_price": row["winning_price"],
            "notes": row["notes"],
            "version": row["version"],
            "archived": row["archived_at"] is not None,
            "created_at": row["created_at"],
            "updated_at": row["updated_at"],
        }
        if partner:
            item.update(dict.fromkeys(_PARTNER_NULLS))
        items.append(item)
    return items


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


class StageTemplateDocument(Schema):
    """The sales process template in force: one configuration document, its stages in process
    order (a fixed, small set an administrator edits as a whole, not a collection to page)."""

    stages: list[StageTemplateOut]


@router.get("/stage-template", response={200: StageTemplateDocument, **ERRORS})
def stage_template(request: AuthedRequest) -> Any:
    """The sales process template in force (METHOD.md §4.1, §4.11), both languages: `stages`
    in process order."""
    return {"stages": selectors.stage_template()}


@router.post("", response={201: OpportunityOut, **ERRORS})
def opportunity_create(request: AuthedRequest, payload: OpportunityIn) -> Any:
    data = _refs(request.auth, payload.dict())
    opportunity = services.opportunity_create(user=request.auth, **data)
    return _written(request, opportunity, status=201)


@router.get("/{opportunity_id}", response={200: OpportunityOut, **ERRORS})
def opportunity_get(request: AuthedRequest, opportunity_id: int) -> Any:
    return _shown(request, opportunity_id)


@router.patch("/{opportunity_id}", response={200: OpportunityOut, **ERRORS})
def opportunity_patch(
    request: AuthedRequest, opportunity_id: int, payload: OpportunityPatch
) -> Any:
    with transaction.atomic():  # the row is read once, locked, and written (issue #17)
        opportunity = selectors.opportunity_for_update(user=request.auth, id=opportunity_id)
        changes = payload.dict(exclude_unset=True, exclude={"version"})
        reject_nulls(changes, ("name", "amount", "currency", "owner", "source", "products"))
        updated = services.opportunity_update(
            user=request.auth,
            opportunity=opportunity,
            changes=_refs(request.auth, changes),
            expected_version=expected_version(request, payload.version),
            row_locked=True,
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
    try:
        with transaction.atomic():  # the row is read once, locked, and written (issue #17)
            opportunity = selectors.opportunity_for_update(user=request.auth, id=opportunity_id)
            winner = None
            if payload.winning_competitor is not None:
                winner = visible_ref(
                    request.auth, Competitor, payload.winning_competitor, "winning_competitor"
                )
            services.opportunity_move_stage(
                user=request.auth,
                opportunity=opportunity,
                to=str(payload.to),
                reason=payload.reason,
                expected_version=required_version(request, payload.version),
                winning_competitor=winner,
                winning_price=payload.winning_price,
                override_reason=payload.override_reason,
                row_locked=True,
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
    return _written(request, opportunity)


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


class StageHistoryList(Schema):
    items: list[StageHistoryOut]
    next: str | None
    count: int | None = None


@router.get("/{opportunity_id}/stage-history", response={200: StageHistoryList, **ERRORS})
def opportunity_stage_history(
    request: AuthedRequest, opportunity_id: int, query: Query[ListQuery]
) -> Any:
    """The stages the deal went through, oldest first."""
    return keyset_page(
        selectors.stage_history(opportunity=_internal(request, opportunity_id)),
        sort=selectors.STAGE_HISTORY_ORDER,
        limit=query.limit,
        cursor=query.cursor,
        with_count=query.count,
    )
