"""The forecast API (METHOD.md §8, API.md `/forecast`):

- `GET /forecast?period=quarter|month&from=&to=&team=` — by period, team and rep: pipeline,
  weighted, commit, best case, the unrated deals apart, last week's figures and the change,
  and the manager's adjustment beside the computed team figures. The rows of a period are one
  level of the team tree: the child teams of `breakdown_team` (the team asked for, else your
  own) each summing its subtree (`subtree: true`; ask again with `team=` it for its rows),
  that team's own deals with a row per rep, and what you see outside it — adding up to the
  period. `team=` a team you may not break down (not yours nor below yours) is a 404;
- `GET /forecast/unrated` — the unrated deals of the same window (keyset list);
- `GET|POST /forecast/adjustments`, `PATCH|DELETE /forecast/adjustments/{adjustment_id}`.

Partner users get 404: the forecast is internal work."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Status

from wuwei.core.api import (
    ERRORS,
    AuthedRequest,
    ListQuery,
    Schema,
    expected_version,
    reject_nulls,
    required_version,
    visible_ref,
)
from wuwei.core.errors import NotFound, ValidationFailed
from wuwei.core.pagination import keyset_page
from wuwei.core.visibility import get_visible, scope_for, visible
from wuwei.insights.forecast import selectors, services
from wuwei.insights.models import ForecastAdjustment
from wuwei.methodology.forecast import ForecastChange, ForecastFigures, PeriodKind
from wuwei.org.models import Team

router = Router(tags=["forecast"])

MAX_DAYS = 3 * 366  # a wider window is a 422, not a slow query


class ForecastQuery(Schema):
    period: PeriodKind = PeriodKind.QUARTER
    date_from: date | None = Field(None, alias="from")
    date_to: date | None = Field(None, alias="to")
    team: int | None = None


class ForecastUnratedQuery(ListQuery):
    date_from: date | None = Field(None, alias="from")
    date_to: date | None = Field(None, alias="to")
    team: int | None = None


class ForecastFiguresOut(Schema):
    deals: int
    pipeline: Decimal
    weighted: Decimal = Field(description="Σ amount × current win rate of the rated deals")
    commit: Decimal = Field(description="Σ amount of deals at or above the commit threshold")
    commit_deals: int
    best_case: Decimal = Field(
        description="Σ amount of deals at or above the best-case threshold (commit included)"
    )
    best_case_deals: int
    unrated: Decimal = Field(description="Σ amount of deals without a win rate (not weighted)")
    unrated_deals: int


class ForecastChangeOut(Schema):
    weighted: Decimal | None
    commit: Decimal | None
    best_case: Decimal | None


class ForecastAdjustmentOut(Schema):
    id: int
    team: int = Field(validation_alias="team_id")
    period: str
    weighted: Decimal | None
    commit: Decimal | None
    best_case: Decimal | None
    comment: str
    created_by: int | None = Field(validation_alias="created_by_id")
    updated_at: datetime
    version: int


class ForecastRepOut(Schema):
    user: int
    name: str
    figures: ForecastFiguresOut
    last_week: ForecastFiguresOut | None
    change: ForecastChangeOut


class ForecastTeamOut(Schema):
    team: int | None = Field(description="null: the deals of no team")
    name: str
    subtree: bool = Field(
        description="true: the figures sum the team's whole subtree and `reps` is empty (ask "
        "`GET /forecast?team=<team>` for its rows); false: the deals owned in the team itself, "
        "a row per rep"
    )
    figures: ForecastFiguresOut
    last_week: ForecastFiguresOut | None
    change: ForecastChangeOut
    adjustment: ForecastAdjustmentOut | None
    reps: list[ForecastRepOut]


class ForecastPeriodOut(Schema):
    period: str
    start: date
    end: date
    figures: ForecastFiguresOut
    last_week: ForecastFiguresOut | None
    change: ForecastChangeOut
    teams: list[ForecastTeamOut]


class ForecastThresholdsOut(Schema):
    commit_min: int
    best_case_min: int


class ForecastOut(Schema):
    period: PeriodKind
    date_from: date = Field(serialization_alias="from")
    date_to: date = Field(serialization_alias="to")
    team: int | None
    breakdown_team: int | None = Field(
        description="the team whose child teams and own reps the period rows are: the team "
        "asked for, else your own (null: the top of the organisation)"
    )
    as_of: date
    last_week: date = Field(description="Monday of the ISO week whose snapshots are compared")
    thresholds: ForecastThresholdsOut
    figures: ForecastFiguresOut
    last_week_figures: ForecastFiguresOut | None
    change: ForecastChangeOut
    periods: list[ForecastPeriodOut]


class ForecastUnratedOut(Schema):
    id: int
    name: str
    amount: Decimal
    expected_close: date | None
    stage: str
    owner: int = Field(validation_alias="owner_id")


class ForecastUnratedList(Schema):
    items: list[ForecastUnratedOut]
    next: str | None
    count: int | None = None


class ForecastAdjustmentList(Schema):
    items: list[ForecastAdjustmentOut]
    next: str | None
    count: int | None = None


class ForecastAdjustmentQuery(ListQuery):
    team: int | None = None
    period: str | None = Field(None, max_length=7)


MONEY = Field(None, ge=0, max_digits=16, decimal_places=2)


class ForecastAdjustmentIn(Schema):
    team: int
    period: str = Field(max_length=7, description="2027-Q1 or 2027-03")
    weighted: Decimal | None = MONEY
    commit: Decimal | None = MONEY
    best_case: Decimal | None = MONEY
    comment: str = Field(min_length=1, max_length=2000)


class ForecastAdjustmentPatch(Schema):
    weighted: Decimal | None = MONEY
    commit: Decimal | None = MONEY
    best_case: Decimal | None = MONEY
    comment: str | None = Field(None, min_length=1, max_length=2000)
    version: int | None = None


def _refuse_partner(request: AuthedRequest) -> None:
    if scope_for(request.auth).is_partner:
        raise NotFound(_("Not found."))


def _figures(figures: ForecastFigures | None) -> dict[str, Any] | None:
    if figures is None:
        return None
    return {name: getattr(figures, name) for name in ForecastFigures.__dataclass_fields__}


def _change(change: ForecastChange) -> dict[str, Any]:
    return {"weighted": change.weighted, "commit": change.commit, "best_case": change.best_case}


def window(
    user: Any, kind: PeriodKind, date_from: date | None, date_to: date | None, team_id: int | None
) -> tuple[date, date, Team | None]:
    """The dates and team asked for, checked: 422 on an inverted or too wide window, 404 on
    a team the user cannot see or may not break down (`selectors.may_open`)."""
    from django.utils import timezone

    default_from, default_to = selectors.default_range(kind, timezone.localdate())
    start = date_from or default_from
    end = date_to or (default_to if date_from is None else max(start, default_to))
    if start > end:
        raise ValidationFailed(
            _("The period starts after it ends."), [("from", _("must not be after “to”"))]
        )
    if (end - start).days > MAX_DAYS:
        raise ValidationFailed(
            _("Ask for at most three years at a time."), [("to", _("too far from “from”"))]
        )
    team = None if team_id is None else visible_ref(user, Team, team_id, "team")
    if team is not None and not selectors.may_open(user, team):
        raise NotFound(
            _("%(field)s %(id)s not found.") % {"field": "team", "id": team_id},
            [("team", _("not found"))],
        )
    return start, end, team


def forecast_out(grid: selectors.Forecast) -> dict[str, Any]:
    return {
        "period": grid.kind,
        "date_from": grid.date_from,
        "date_to": grid.date_to,
        "team": grid.team.pk if grid.team else None,
        "breakdown_team": grid.breakdown_team,
        "as_of": grid.as_of,
        "last_week": grid.last_week,
        "thresholds": {
            "commit_min": grid.config.commit_min,
            "best_case_min": grid.config.best_case_min,
        },
        "figures": _figures(grid.figures),
        "last_week_figures": _figures(grid.previous),
        "change": _change(grid.change),
        "periods": [
            {
                "period": p.period.label,
                "start": p.period.start,
                "end": p.period.end,
                "figures": _figures(p.figures),
                "last_week": _figures(p.previous),
                "change": _change(p.change),
                "teams": [
                    {
                        "team": t.team_id or None,
                        "name": t.name,
                        "subtree": t.subtree,
                        "figures": _figures(t.figures),
                        "last_week": _figures(t.previous),
                        "change": _change(t.change),
                        "adjustment": t.adjustment,
                        "reps": [
                            {
                                "user": r.user_id,
                                "name": r.name,
                                "figures": _figures(r.figures),
                                "last_week": _figures(r.previous),
                                "change": _change(r.change),
                            }
                            for r in t.reps
                        ],
                    }
                    for t in p.teams
                ],
            }
            for p in grid.periods
        ],
    }


@router.get("", response={200: ForecastOut, **ERRORS}, by_alias=True)
def forecast(request: AuthedRequest, query: Query[ForecastQuery]) -> Any:
    """The forecast by period over the deals you can see, its rows one level of the team
    tree: the child teams of `breakdown_team` (each its whole subtree), that team's own reps,
    and what you see outside it. Open a team row with `team=` its id."""
    _refuse_partner(request)
    user = request.auth
    start, end, team = window(user, query.period, query.date_from, query.date_to, query.team)
    grid = selectors.forecast_grid(
        user=user, kind=query.period, date_from=start, date_to=end, team=team
    )
    return forecast_out(grid)


@router.get("/unrated", response={200: ForecastUnratedList, **ERRORS})
def forecast_unrated(request: AuthedRequest, query: Query[ForecastUnratedQuery]) -> Any:
    """Open deals of the window without a win rate: in the pipeline, never weighted."""
    _refuse_partner(request)
    user = request.auth
    start, end, team = window(user, PeriodKind.QUARTER, query.date_from, query.date_to, query.team)
    deals = selectors.unrated_deals(user=user, date_from=start, date_to=end, team=team)
    return keyset_page(
        deals, sort="-amount", limit=query.limit, cursor=query.cursor, with_count=query.count
    )


@router.get("/adjustments", response={200: ForecastAdjustmentList, **ERRORS})
def adjustment_list(request: AuthedRequest, query: Query[ForecastAdjustmentQuery]) -> Any:
    """Adjustments in force: a manager sees those of their subtree, executives all."""
    _refuse_partner(request)
    rows = visible(ForecastAdjustment, request.auth).filter(archived_at__isnull=True)
    if query.team is not None:
        rows = rows.filter(team_id=query.team)
    if query.period is not None:
        rows = rows.filter(period=query.period)
    return keyset_page(rows, limit=query.limit, cursor=query.cursor, with_count=query.count)


def _adjustment(request: AuthedRequest, adjustment_id: int) -> ForecastAdjustment:
    _refuse_partner(request)
    return get_visible(
        ForecastAdjustment.objects.filter(archived_at__isnull=True).select_related("team"),
        request.auth,
        pk=adjustment_id,
    )


@router.post("/adjustments", response={201: ForecastAdjustmentOut, **ERRORS})
def adjustment_create(request: AuthedRequest, payload: ForecastAdjustmentIn) -> Any:
    """Adjust a team's forecast for a month or quarter, with a comment. Only a manager of
    that team (or above it) may (403); one adjustment per team and period (409)."""
    _refuse_partner(request)
    user = request.auth
    team = visible_ref(user, Team, payload.team, "team")
    adjustment = services.forecast_adjustment_create(
        user=user,
        team=team,
        period=payload.period,
        comment=payload.comment,
        weighted=payload.weighted,
        commit=payload.commit,
        best_case=payload.best_case,
    )
    return Status(201, _adjustment(request, adjustment.pk))


@router.get("/adjustments/{adjustment_id}", response={200: ForecastAdjustmentOut, **ERRORS})
def adjustment_get(request: AuthedRequest, adjustment_id: int) -> Any:
    return _adjustment(request, adjustment_id)


@router.patch("/adjustments/{adjustment_id}", response={200: ForecastAdjustmentOut, **ERRORS})
def adjustment_patch(
    request: AuthedRequest, adjustment_id: int, payload: ForecastAdjustmentPatch
) -> Any:
    """Change the figures or the comment; send the `version` you read (409 when stale)."""
    adjustment = _adjustment(request, adjustment_id)
    changes = payload.dict(exclude_unset=True, exclude={"version"})
    reject_nulls(changes, ("comment",))
    services.forecast_adjustment_update(
        user=request.auth,
        adjustment=adjustment,
        changes=changes,
        expected_version=required_version(request, payload.version),
    )
    return _adjustment(request, adjustment_id)


@router.delete("/adjustments/{adjustment_id}", response={204: None, **ERRORS})
def adjustment_delete(request: AuthedRequest, adjustment_id: int) -> Any:
    """Withdraw an adjustment (archived, kept in the history): the computed figure stands."""
    adjustment = _adjustment(request, adjustment_id)
    services.forecast_adjustment_archive(
        user=request.auth,
        adjustment=adjustment,
        expected_version=expected_version(request, None),
    )
    return Status(204, None)
