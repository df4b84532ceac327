"""/opportunities/{id}/strategy, /tactics, /value-proposition (§4.7, §4.8; the library is in
`library_api`). Validate → selector/service → the same views the web tabs render."""

import dataclasses
from datetime import date, datetime
from typing import Any

from django.utils import timezone
from ninja import Field, Query, Router, Status

from wuwei.competitors.models import Competitor
from wuwei.core.api import (
    ERRORS,
    AuthedRequest,
    ListQuery,
    Schema,
    expected_version,
    reject_nulls,
    visible_ref,
)
from wuwei.core.pagination import keyset_page
from wuwei.opportunities.models import (
    CompetitiveStrategy,
    CompetitiveTactic,
    DealTactic,
    Opportunity,
    TacticStatus,
    ValueDimension,
)
from wuwei.opportunities.selectors import internal_opportunity_get as opportunity_get
from wuwei.org.models import User
from wuwei.people.models import ActivityKind, Contact
from wuwei.pursuit import selectors, services
from wuwei.pursuit.messages import reason_message, reason_params

router = Router(tags=["opportunities"])
# Moved from wuwei/opportunities/pursuit/: the operation ids stay those it gave them.
OPERATION_ID_MODULE = "wuwei.opportunities.pursuit.api"


# ----------------------------------------------------------------------------------------
# strategy


class PursuitReasonOut(Schema):
    code: str
    params: dict[str, Any]
    message: str


class SuggestionOut(Schema):
    strategy: str
    reasons: list[PursuitReasonOut]


class PositionOut(Schema):
    win_rate: int | None
    rank: int | None
    strength: str
    leader_strength: str | None
    is_incumbent: bool
    product_lines: int


class StrategyOut(Schema):
    strategy: str | None
    rationale: str
    suggested_when_chosen: str
    chosen_by: int | None
    chosen_by_name: str | None
    chosen_at: datetime | None
    version: int
    suggestion: SuggestionOut
    position: PositionOut


class StrategyIn(Schema):
    strategy: CompetitiveStrategy
    rationale: str = Field(min_length=1, max_length=5000)
    version: int | None = None


def strategy_body(view: selectors.StrategyView) -> dict[str, Any]:
    chosen, position = view.chosen, view.position
    return {
        "strategy": chosen.strategy if chosen else None,
        "rationale": chosen.rationale if chosen else "",
        "suggested_when_chosen": chosen.suggested if chosen else "",
        "chosen_by": chosen.chosen_by_id if chosen else None,
        "chosen_by_name": str(chosen.chosen_by) if chosen else None,
        "chosen_at": chosen.chosen_at if chosen else None,
        "version": chosen.version if chosen else 0,
        "suggestion": {
            "strategy": str(view.suggestion.strategy),
            "reasons": [
                {"code": r.code, "params": reason_params(r), "message": reason_message(r)}
                for r in view.suggestion.reasons
            ],
        },
        "position": {
            "win_rate": position.win_rate,
            "rank": position.rank,
            "strength": str(position.strength),
            "leader_strength": (
                None if position.leader_strength is None else str(position.leader_strength)
            ),
            "is_incumbent": position.is_incumbent,
            "product_lines": position.product_lines,
        },
    }


@router.get("/{opportunity_id}/strategy", response={200: StrategyOut, **ERRORS})
def strategy_get(request: AuthedRequest, opportunity_id: int) -> Any:
    """The chosen strategy and rationale, and the suggested one with its reasons."""
    opportunity = opportunity_get(user=request.auth, id=opportunity_id)
    return strategy_body(selectors.strategy_view(user=request.auth, opportunity=opportunity))


@router.put("/{opportunity_id}/strategy", response={200: StrategyOut, **ERRORS})
def strategy_put(request: AuthedRequest, opportunity_id: int, payload: StrategyIn) -> Any:
    """Choose the strategy (send the `version` you read once one is chosen)."""
    user = request.auth
    opportunity = opportunity_get(user=user, id=opportunity_id)
    view = selectors.strategy_view(user=user, opportunity=opportunity)
    services.deal_strategy_set(
        user=user,
        opportunity=opportunity,
        strategy=payload.strategy,
        rationale=payload.rationale,
        suggested=str(view.suggestion.strategy),
        expected_version=expected_version(request, payload.version),
    )
    # Choosing changes neither our position nor the suggestion: only the choice is re-read.
    chosen = selectors.deal_strategy(user=user, opportunity=opportunity)
    return strategy_body(dataclasses.replace(view, chosen=chosen))


# ----------------------------------------------------------------------------------------
# tactics of the deal


class DealTacticOut(Schema):
    id: int
    opportunity: int = Field(alias="opportunity_id")
    tactic: int | None = Field(None, alias="tactic_id")
    strategy: str | None
    title: str
    notes: str
    status: str
    owner: int = Field(alias="owner_id")
    owner_name: str
    due: date | None
    activity: int | None = Field(None, alias="activity_id")
    version: int
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_strategy(obj: DealTactic) -> str | None:
        return obj.tactic.strategy if obj.tactic_id and obj.tactic else None

    @staticmethod
    def resolve_owner_name(obj: DealTactic) -> str:
        return str(obj.owner)


class DealTacticList(Schema):
    items: list[DealTacticOut]
    next: str | None
    count: int | None = None


class PursuitAdoptIn(Schema):
    tactics: list[int] = Field([], max_length=50)
    title: str | None = Field(None, max_length=300)
    owner: int | None = None
    due: date | None = None


class DealTacticPatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=300)
    notes: str | None = Field(None, max_length=5000)
    status: TacticStatus | None = None
    owner: int | None = None
    due: date | None = None
    version: int | None = None


class PursuitActivityIn(Schema):
    kind: ActivityKind
    occurred_on: date | None = None
    contacts: list[int] = Field([], max_length=200)
    notes: str | None = Field(None, max_length=20000)


@router.get("/{opportunity_id}/tactics", response={200: DealTacticList, **ERRORS})
def tactic_list(request: AuthedRequest, opportunity_id: int, query: Query[ListQuery]) -> Any:
    """The tactics the deal adopted (removed ones are left out)."""
    opportunity = opportunity_get(user=request.auth, id=opportunity_id)
    qs = selectors.deal_tactics(user=request.auth, opportunity=opportunity)
    return keyset_page(
        qs, sort="id", limit=query.limit, cursor=query.cursor, with_count=query.count
    )


@router.post("/{opportunity_id}/tactics", response={201: list[DealTacticOut], **ERRORS})
def tactic_adopt(request: AuthedRequest, opportunity_id: int, payload: PursuitAdoptIn) -> Any:
    """Adopt library tactics (`tactics`: ids) and/or one typed in (`title`); a tactic already
    adopted is not added again. Returns the tactics added."""
    user = request.auth
    opportunity = opportunity_get(user=user, id=opportunity_id)
    tactics = [
        visible_ref(user, CompetitiveTactic, pk, "tactics") for pk in dict.fromkeys(payload.tactics)
    ]
    owner = None if payload.owner is None else visible_ref(user, User, payload.owner, "owner")
    added = services.deal_tactics_adopt(
        user=user,
        opportunity=opportunity,
        tactics=tactics,
        titles=[payload.title] if payload.title else [],
        owner=owner,
        due=payload.due,
    )
    return Status(201, added)


def _deal_tactic(request: AuthedRequest, opportunity_id: int, tactic_id: int) -> DealTactic:
    opportunity: Opportunity = opportunity_get(user=request.auth, id=opportunity_id)
    return selectors.deal_tactic_get(user=request.auth, opportunity=opportunity, id=tactic_id)


@router.patch("/{opportunity_id}/tactics/{tactic_id}", response={200: DealTacticOut, **ERRORS})
def tactic_patch(
    request: AuthedRequest, opportunity_id: int, tactic_id: int, payload: DealTacticPatch
) -> Any:
    deal_tactic = _deal_tactic(request, opportunity_id, tactic_id)
    changes = payload.dict(exclude_unset=True, exclude={"version"})
    reject_nulls(changes, ("title", "notes", "status", "owner"))
    if "owner" in changes:
        changes["owner"] = visible_ref(request.auth, User, changes["owner"], "owner")
    return services.deal_tactic_update(
        user=request.auth,
        deal_tactic=deal_tactic,
        changes=changes,
        expected_version=expected_version(request, payload.version),
    )


@router.delete("/{opportunity_id}/tactics/{tactic_id}", response={200: DealTacticOut, **ERRORS})
def tactic_delete(request: AuthedRequest, opportunity_id: int, tactic_id: int) -> Any:
    """Remove the tactic from the deal (archived, an administrator can restore it)."""
    deal_tactic = _deal_tactic(request, opportunity_id, tactic_id)
    return services.deal_tactic_archive(user=request.auth, deal_tactic=deal_tactic)


@router.post(
    "/{opportunity_id}/tactics/{tactic_id}/activity", response={201: DealTacticOut, **ERRORS}
)
def tactic_activity(
    request: AuthedRequest, opportunity_id: int, tactic_id: int, payload: PursuitActivityIn
) -> Any:
    """Carry the tactic out as an activity on the deal and its account (date: today unless
    given). Returns the tactic with its `activity`."""
    user = request.auth
    deal_tactic = _deal_tactic(request, opportunity_id, tactic_id)
    contacts = [
        visible_ref(user, Contact, pk, "contacts") for pk in dict.fromkeys(payload.contacts)
    ]
    updated = services.deal_tactic_to_activity(
        user=user,
        deal_tactic=deal_tactic,
        kind=payload.kind,
        occurred_on=payload.occurred_on or timezone.localdate(),
        contacts=contacts,
        notes=payload.notes,
    )
    return Status(201, updated)


# ----------------------------------------------------------------------------------------
# value proposition


class CellOut(Schema):
    competitor: int | None
    rating: int | None
    note: str
    standing: str | None


class RowOut(Schema):
    dimension: str
    us: CellOut
    competitors: list[CellOut]


class TopCompetitorOut(Schema):
    id: int
    name: str
    strength: str | None
    source: str


class PursuitComparisonOut(Schema):
    dimension: str
    competitor: int | None
    rating: int
    note: str


class ValueOut(Schema):
    solution: str
    business_value: str
    version: int
    updated_at: datetime | None
    competitors: list[TopCompetitorOut]
    table: list[RowOut]
    comparisons: list[PursuitComparisonOut]


class PursuitComparisonIn(Schema):
    dimension: ValueDimension
    competitor: int | None = None
    rating: int = Field(ge=1, le=5)
    note: str = Field("", max_length=500)


class ValueIn(Schema):
    solution: str = Field("", max_length=20000)
    business_value: str = Field("", max_length=20000)
    comparisons: list[PursuitComparisonIn] | None = Field(None, max_length=60)
    version: int | None = None


def value_body(view: selectors.ValueView) -> dict[str, Any]:
    proposition = view.proposition
    ids = [item.competitor.pk for item in view.competitors]
    return {
        "solution": proposition.solution if proposition else "",
        "business_value": proposition.business_value if proposition else "",
        "version": proposition.version if proposition else 0,
        "updated_at": proposition.updated_at if proposition else None,
        "competitors": [
            {
                "id": item.competitor.pk,
                "name": item.competitor.name,
                "strength": None if item.strength is None else str(item.strength),
                "source": item.source,
            }
            for item in view.competitors
        ],
        "table": [
            {
                "dimension": row.dimension,
                "us": {"competitor": None, **_cell(row.us)},
                "competitors": [
                    {"competitor": pk, **_cell(cell)}
                    for pk, cell in zip(ids, row.competitors, strict=True)
                ],
            }
            for row in view.rows
        ],
        "comparisons": [
            {
                "dimension": c.dimension,
                "competitor": c.competitor_id,
                "rating": c.rating,
                "note": c.note,
            }
            for c in view.comparisons
        ],
    }


def _cell(cell: selectors.Cell) -> dict[str, Any]:
    standing = None if cell.standing is None else str(cell.standing)
    return {"rating": cell.rating, "note": cell.note, "standing": standing}


@router.get("/{opportunity_id}/value-proposition", response={200: ValueOut, **ERRORS})
def value_get(request: AuthedRequest, opportunity_id: int) -> Any:
    """Solution, business value, the top-2 competitors used and the side-by-side table."""
    opportunity = opportunity_get(user=request.auth, id=opportunity_id)
    return value_body(selectors.value_view(user=request.auth, opportunity=opportunity))


@router.put("/{opportunity_id}/value-proposition", response={200: ValueOut, **ERRORS})
def value_put(request: AuthedRequest, opportunity_id: int, payload: ValueIn) -> Any:
    """Save it; `comparisons`, when sent, replace the whole table (`competitor` null = us)."""
    user = request.auth
    opportunity = opportunity_get(user=user, id=opportunity_id)
    comparisons = None
    if payload.comparisons is not None:
        competitors: dict[int, Competitor] = {}  # a competitor has up to 4 cells: look it up once

        def competitor(index: int, id: int | None) -> Competitor | None:
            if id is not None and id not in competitors:
                field = f"comparisons.{index}.competitor"
                competitors[id] = visible_ref(user, Competitor, id, field)
            return None if id is None else competitors[id]

        comparisons = [
            services.ComparisonInput(
                dimension=item.dimension,
                competitor=competitor(i, item.competitor),
                rating=item.rating,
                note=item.note,
            )
            for i, item in enumerate(payload.comparisons)
        ]
    services.value_proposition_set(
        user=user,
        opportunity=opportunity,
        solution=payload.solution,
        business_value=payload.business_value,
        comparisons=comparisons,
        expected_version=expected_version(request, payload.version),
    )
    return value_body(selectors.value_view(user=user, opportunity=opportunity))
