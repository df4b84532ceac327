"""/accounts/{id}/grading (API.md) and the nine-box data (§2.2, §2.3)."""

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query

from wuwei.accounts import selectors, services
from wuwei.accounts.api.base import router, user_of
from wuwei.accounts.models import Account, AccountGrading, Grade, Industry
from wuwei.core.api import ERRORS, ListQuery, Schema
from wuwei.core.config import method_config
from wuwei.core.pagination import MAX_LIMIT, keyset_page
from wuwei.methodology.grading import AccountScores

DIMENSIONS = ("revenue", "potential", "demonstration", "can_win_deliver")


class NineBoxOut(Schema):
    potential: str
    contribution: str
    account_class: str = Field(serialization_alias="class")


class ThresholdsOut(Schema):
    a: Decimal
    b: Decimal
    c: Decimal
    industry: str | None


class GradingHistoryOut(Schema):
    score: Decimal
    grade: str
    account_class: str = Field(serialization_alias="class")
    revenue: int
    potential: int
    demonstration: int
    can_win_deliver: int
    graded_by: str
    graded_at: datetime


class GradingOut(Schema):
    account: int
    revenue: int | None
    potential: int | None
    demonstration: int | None
    can_win_deliver: int | None
    justifications: dict[str, str]
    score: Decimal | None
    grade: str | None
    ninebox: NineBoxOut | None
    suggested_strategy: str | None
    strategy: str | None
    strategy_overridden: bool
    weights: dict[str, Decimal]
    thresholds: ThresholdsOut
    graded_by: str | None
    graded_at: datetime | None
    history: list[GradingHistoryOut]


class GradingIn(Schema):
    revenue: int = Field(ge=0, le=100, description="revenue contribution 0-100")
    potential: int = Field(ge=0, le=100)
    demonstration: int = Field(ge=0, le=100)
    can_win_deliver: int = Field(ge=0, le=100)
    justifications: dict[str, str] = Field(
        default_factory=dict, description="per dimension, a short reason (≤ 500 characters)"
    )


def _history_row(grading: AccountGrading) -> dict[str, Any]:
    return {
        "score": grading.score,
        "grade": grading.grade,
        "account_class": grading.account_class,
        "revenue": grading.revenue,
        "potential": grading.potential,
        "demonstration": grading.demonstration,
        "can_win_deliver": grading.can_win_deliver,
        "graded_by": str(grading.graded_by),
        "graded_at": grading.created_at,
    }


def grading_body(account: Account, history: list[AccountGrading]) -> dict[str, Any]:
    config = method_config().grading
    thresholds = config.thresholds_for(account.industry)
    current = history[0] if history else None
    body: dict[str, Any] = {
        "account": account.pk,
        "justifications": {},
        "score": None,
        "grade": None,
        "ninebox": None,
        "suggested_strategy": account.strategy_suggested or None,
        "strategy": account.strategy or None,
        "strategy_overridden": account.strategy_overridden,
        "weights": {
            "revenue": config.revenue_weight,
            "potential": config.potential_weight,
            "demonstration": config.demonstration_weight,
            "can_win_deliver": config.can_win_deliver_weight,
        },
        "thresholds": {
            "a": thresholds.a,
            "b": thresholds.b,
            "c": thresholds.c,
            "industry": account.industry
            if account.industry in config.industry_thresholds
            else None,
        },
        "graded_by": None,
        "graded_at": None,
        "history": [_history_row(g) for g in history],
        **dict.fromkeys(DIMENSIONS),
    }
    if current is not None:
        body.update({name: getattr(current, name) for name in DIMENSIONS})
        body["justifications"] = {
            name: getattr(current, f"{name}_justification")
            for name in DIMENSIONS
            if getattr(current, f"{name}_justification")
        }
        body.update(
            score=current.score,
            grade=current.grade,
            ninebox={
                "potential": current.potential_level,
                "contribution": current.contribution_level,
                "account_class": current.account_class,
            },
            graded_by=str(current.graded_by),
            graded_at=current.created_at,
        )
    return body


@router.get("/{account_id}/grading", response={200: GradingOut, **ERRORS}, by_alias=True)
def grading_get(request: HttpRequest, account_id: int) -> Any:
    """The current grading (nulls until graded), weights and thresholds in force, history."""
    user = user_of(request)
    account = selectors.account_get(user=user, id=account_id)
    return grading_body(account, selectors.grading_history(user=user, account=account))


@router.put("/{account_id}/grading", response={200: GradingOut, **ERRORS}, by_alias=True)
def grading_put(request: HttpRequest, account_id: int, payload: GradingIn) -> Any:
    """Grade the account: a new row of its grade history."""
    user = user_of(request)
    account = selectors.account_get(user=user, id=account_id)
    unknown = set(payload.justifications) - set(DIMENSIONS)
    justifications = {k: v for k, v in payload.justifications.items() if k not in unknown}
    services.account_grade(
        user=user,
        account=account,
        scores=AccountScores(
            payload.revenue, payload.potential, payload.demonstration, payload.can_win_deliver
        ),
        justifications=justifications,
    )
    account = selectors.account_get(user=user, id=account_id)
    return grading_body(account, selectors.grading_history(user=user, account=account))


class NineBoxPointOut(Schema):
    id: int
    name: str
    industry: str
    owner_name: str
    grade: str
    score: Decimal
    potential: int
    contribution: int
    potential_level: str
    contribution_level: str
    account_class: str = Field(serialization_alias="class")
    strategy: str | None


class NineBoxList(Schema):
    items: list[NineBoxPointOut]
    next: str | None
    count: int | None = None


class NineBoxQuery(ListQuery):
    industry: Industry | None = None
    grade: Grade | None = None
    owner: str | None = Field(None, max_length=20)
    limit: int = Field(500, ge=1, le=MAX_LIMIT)


def ninebox_point(account: Account) -> dict[str, Any]:
    grading = account.current_grading
    assert grading is not None
    return {
        "id": account.pk,
        "name": account.name,
        "industry": account.industry,
        "owner_name": str(account.owner),
        "grade": grading.grade,
        "score": grading.score,
        "potential": grading.potential,
        "contribution": grading.revenue,
        "potential_level": grading.potential_level,
        "contribution_level": grading.contribution_level,
        "account_class": grading.account_class,
        "strategy": account.strategy or None,
    }


@router.get("/ninebox", response={200: NineBoxList, **ERRORS}, by_alias=True)
def ninebox_list(request: HttpRequest, query: Query[NineBoxQuery]) -> Any:
    """Every visible graded account as a nine-box point (potential by contribution)."""
    filters = selectors.AccountFilters(
        industry=query.industry, grade=query.grade, owner=query.owner
    )
    qs = selectors.ninebox_accounts(user=user_of(request), filters=filters)
    page = keyset_page(
        qs, sort="name", limit=query.limit, cursor=query.cursor, with_count=query.count
    )
    return {"items": [ninebox_point(a) for a in page.items], "next": page.next, "count": page.count}
