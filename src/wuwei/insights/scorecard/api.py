"""The scorecard (GET /scorecard) and collections of a won deal
(/opportunities/{id}/collections). Partner users and teams outside the caller's reach get 404."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Status

from wuwei.core.api import ERRORS, AuthedRequest, Schema, expected_version
from wuwei.core.errors import ValidationFailed
from wuwei.insights.scorecard import selectors, services
from wuwei.insights.scorecard.collections import collections_get
from wuwei.insights.scorecard.scope import Period, period_errors, scorecard_reach
from wuwei.insights.selectors import default_period
from wuwei.opportunities.selectors import internal_opportunity_get

router = Router(tags=["scorecard"])
collections_router = Router(tags=["collections"])


class ScorecardQuery(Schema):
    date_from: date | None = Field(None, alias="from")
    date_to: date | None = Field(None, alias="to")
    team: int | None = None


class ScorecardUseOut(Schema):
    won: int
    won_using: int
    share_of_won: Decimal | None
    win_rate_using: Decimal | None
    win_rate_without: Decimal | None
    lift: Decimal | None


class ScorecardRowOut(Schema):
    rep: int | None = Field(description="the rep's user id; null for the team's total")
    rep_name: str
    accounts: int
    accounts_ab: int
    ninebox_improved: int
    ninebox_declined: int
    open_deals: int
    pipeline: Decimal
    forecast: Decimal = Field(description="Σ amount × win rate of rated open deals")
    unrated: int
    won: int
    won_amount: Decimal
    lost: int
    win_rate: Decimal | None
    decider_coverage: Decimal | None = Field(
        description="% of approver/decision-maker roles reached through connections"
    )
    presales_days: Decimal
    presales_cost: Decimal
    presales_return: Decimal | None
    rules_fired: int
    rules_overridden: int
    closeness_change: Decimal | None
    positive_deciders: Decimal | None
    ka_ahead: Decimal | None
    incubated: int
    incubated_amount: Decimal
    uses: dict[str, ScorecardUseOut]
    contracted: Decimal
    collected: Decimal
    collection_rate: Decimal | None
    radar: list[Decimal | None] = Field(description="道术本势律, 0–100 each; null = no data")


class ScorecardResourceOut(Schema):
    resource: int
    name: str
    days: Decimal
    capacity_days: Decimal
    utilisation: Decimal | None
    cost: Decimal
    won_amount: Decimal
    presales_return: Decimal | None


class ScorecardOut(Schema):
    date_from: date = Field(serialization_alias="from")
    date_to: date = Field(serialization_alias="to")
    team: int | None
    rows: list[ScorecardRowOut]
    total: ScorecardRowOut
    resources: list[ScorecardResourceOut]


def _use(summary: Any) -> dict[str, Any]:
    return {
        "won": summary.won,
        "won_using": summary.won_using,
        "share_of_won": summary.share_of_won,
        "win_rate_using": summary.win_rate_using,
        "win_rate_without": summary.win_rate_without,
        "lift": summary.lift,
    }


def row_out(row: selectors.Row) -> dict[str, Any]:
    f = row.facts
    return {
        "rep": row.user.pk if row.user else None,
        "rep_name": str(row.user) if row.user else "",
        "accounts": f.accounts,
        "accounts_ab": f.accounts_ab,
        "ninebox_improved": row.movement.improved,
        "ninebox_declined": row.movement.declined,
        "open_deals": f.open_deals,
        "pipeline": f.pipeline,
        "forecast": f.forecast,
        "unrated": f.unrated,
        "won": f.won,
        "won_amount": f.won_amount,
        "lost": f.lost,
        "win_rate": row.win_rate,
        "decider_coverage": row.coverage,
        "presales_days": f.presales_days,
        "presales_cost": f.presales_cost,
        "presales_return": row.presales_return,
        "rules_fired": f.rules_fired,
        "rules_overridden": f.rules_overridden,
        "closeness_change": row.core.closeness_change,
        "positive_deciders": row.core.decider_coverage,
        "ka_ahead": row.core.solution_ahead,
        "incubated": row.core.incubated_count,
        "incubated_amount": row.core.incubated_amount,
        "uses": {key: _use(value) for key, value in row.uses.items()},
        "contracted": f.contracted,
        "collected": f.collected,
        "collection_rate": row.collection_rate,
        "radar": row.radar.as_list(),
    }


@router.get("", response={200: ScorecardOut, **ERRORS}, by_alias=True)
def scorecard_get(request: AuthedRequest, query: Query[ScorecardQuery]) -> Any:
    """The five-dimension scorecard (METHOD.md §8) of a team (default: the caller's) for a
    period (default: this year): one row per rep the caller may read, the total, and the
    presales resources that worked on their deals."""
    user = request.auth
    reach = scorecard_reach(user=user, team_id=query.team)
    start, end = default_period()
    period = Period(query.date_from or start, query.date_to or end)
    errors = period_errors(period.date_from, period.date_to)
    if errors:
        raise ValidationFailed(_("Please correct the period."), errors)
    card = selectors.scorecard(user=user, reps=reach.reps, period=period, everyone=reach.everyone)
    return {
        "date_from": period.date_from,
        "date_to": period.date_to,
        "team": reach.team.pk if reach.team else None,
        "rows": [row_out(row) for row in card.rows],
        "total": row_out(card.total),
        "resources": [
            {
                "resource": r.resource.pk,
                "name": str(r.resource),
                "days": r.days,
                "capacity_days": r.capacity_days,
                "utilisation": r.utilisation,
                "cost": r.cost,
                "won_amount": r.won_amount,
                "presales_return": r.presales_return,
            }
            for r in card.resources
        ],
    }


# ----------------------------------------------------------------------------------------
# collections


class ContractOut(Schema):
    value: Decimal
    signed_on: date | None
    version: int


class PaymentOut(Schema):
    id: int
    received_on: date
    amount: Decimal
    note: str


class CollectionsOut(Schema):
    contract: ContractOut | None
    payments: list[PaymentOut]
    collected: Decimal
    outstanding: Decimal | None
    rate: Decimal | None = Field(description="collected ÷ contracted in percent")


class ContractIn(Schema):
    value: Decimal = Field(gt=0, max_digits=16, decimal_places=2)
    signed_on: date | None = None
    version: int | None = Field(None, description="the version you read, once a contract exists")


class PaymentIn(Schema):
    received_on: date
    amount: Decimal = Field(gt=0, max_digits=16, decimal_places=2)
    note: str = Field("", max_length=300)


def _collections(user: Any, opportunity: Any) -> dict[str, Any]:
    view = collections_get(user=user, opportunity=opportunity)
    return {key: view[key] for key in ("contract", "payments", "collected", "outstanding", "rate")}


@collections_router.get("/{opportunity_id}/collections", response={200: CollectionsOut, **ERRORS})
def collections_read(request: AuthedRequest, opportunity_id: int) -> Any:
    """The contract value and the payments received of a won deal (回款)."""
    opportunity = internal_opportunity_get(user=request.auth, id=opportunity_id)
    return _collections(request.auth, opportunity)


@collections_router.put(
    "/{opportunity_id}/collections/contract", response={200: CollectionsOut, **ERRORS}
)
def contract_put(request: AuthedRequest, opportunity_id: int, payload: ContractIn) -> Any:
    """Record or change the contract value of a won deal (422 when the deal is not won; send
    the `version` you read to change it: a stale one is a 409)."""
    user = request.auth
    opportunity = internal_opportunity_get(user=user, id=opportunity_id)
    services.contract_set(
        user=user,
        opportunity=opportunity,
        value=payload.value,
        signed_on=payload.signed_on,
        expected_version=expected_version(request, payload.version),
    )
    return _collections(user, opportunity)


@collections_router.post(
    "/{opportunity_id}/collections/payments", response={201: CollectionsOut, **ERRORS}
)
def payment_post(request: AuthedRequest, opportunity_id: int, payload: PaymentIn) -> Any:
    """Record a payment received on a won deal."""
    user = request.auth
    opportunity = internal_opportunity_get(user=user, id=opportunity_id)
    services.payment_add(
        user=user,
        opportunity=opportunity,
        received_on=payload.received_on,
        amount=payload.amount,
        note=payload.note,
    )
    return Status(201, _collections(user, opportunity))
