"""Forecast reads (METHOD.md §8). Everything adds up in the database:

- the grid: ONE GROUP BY over the deals the user sees, by period of the expected close
  date, owning team (the deal's team, else its owner's) and owner — over the open deals
  Σ amount, Σ amount × win rate, Σ amount at or above the commit and best-case thresholds,
  the unrated deals apart; and in the same pass, last week's: the same sums over the deals
  that had last ISO week's win-rate snapshot (§4.6), their current amount and close date
  weighed with the win rate they had then (a deal won since counts last week, not now);
- names of the teams, of the owners and the adjustments in force: one query each.

Five queries with the configuration's, whatever the number of deals; Python only folds the
grouped rows (periods × teams × reps) into totals. The thresholds come from the method
configuration in force.
"""

from dataclasses import dataclass, field, fields
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import (
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    FilteredRelation,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, TruncMonth, TruncQuarter
from django.utils import timezone

from wuwei.core.config import method_config
from wuwei.core.visibility import scope_for, visible
from wuwei.insights.models import ForecastAdjustment
from wuwei.methodology.config import ForecastConfig
from wuwei.methodology.forecast import (
    ForecastChange,
    ForecastFigures,
    ForecastSums,
    Period,
    PeriodKind,
    forecast_change,
    forecast_figures,
    period_of,
    periods_between,
)
from wuwei.opportunities.models import Opportunity, Stage
from wuwei.org.models import Team, TeamKind, User
from wuwei.org.visibility import in_subtree

CLOSED = (Stage.WON, Stage.LOST)
MONEY: DecimalField[Decimal, Decimal] = DecimalField(max_digits=24, decimal_places=4)
ZERO = Value(Decimal(0), output_field=MONEY)
NO_TEAM = 0  # deals whose owner has no team and no team of their own


def week_monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


@dataclass(frozen=True)
class RepForecast:
    user_id: int
    name: str
    figures: ForecastFigures
    previous: ForecastFigures | None
    change: ForecastChange


@dataclass(frozen=True)
class TeamForecast:
    team_id: int
    name: str
    path: str
    figures: ForecastFigures
    previous: ForecastFigures | None
    change: ForecastChange
    adjustment: ForecastAdjustment | None
    reps: list[RepForecast]


@dataclass(frozen=True)
class PeriodForecast:
    period: Period
    figures: ForecastFigures
    previous: ForecastFigures | None
    change: ForecastChange
    teams: list[TeamForecast]


@dataclass(frozen=True)
class Forecast:
    kind: PeriodKind
    date_from: date
    date_to: date
    team: Team | None
    as_of: date
    last_week: date
    config: ForecastConfig
    periods: list[PeriodForecast]
    figures: ForecastFigures
    previous: ForecastFigures | None
    change: ForecastChange
    team_paths: dict[int, str] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        return self.figures.deals == 0 and (self.previous is None or self.previous.deals == 0)


def default_range(kind: PeriodKind, today: date) -> tuple[date, date]:
    """This quarter and the three after it, or this month and the five after it."""
    first = period_of(today, kind)
    last = first
    for _step in range(3 if kind == PeriodKind.QUARTER else 5):
        last = period_of(last.end + timedelta(days=1), kind)
    return first.start, last.end


def forecast_deals(user: Any, team: Team | None = None) -> QuerySet[Opportunity]:
    """The deals the user sees (core.visibility), not archived, of a team subtree if given."""
    deals = visible(Opportunity, user).filter(archived_at__isnull=True)
    return deals.filter(in_subtree(team.path)) if team is not None else deals


def _sum_annotations(prefix: str, rate: str, scope: Q, config: ForecastConfig) -> dict[str, Any]:
    """The ForecastSums of the rows in `scope`, weighed with the win rate in `rate`."""
    rated = scope & Q(**{f"{rate}__isnull": False})
    commit = scope & Q(**{f"{rate}__gte": config.commit_min})
    best = scope & Q(**{f"{rate}__gte": config.best_case_min})
    unrated = scope & Q(**{f"{rate}__isnull": True})
    weighted = ExpressionWrapper(F("amount") * F(rate), output_field=MONEY)
    return {
        f"{prefix}deals": Count("pk", filter=scope),
        f"{prefix}pipeline": Coalesce(Sum("amount", filter=scope), ZERO),
        f"{prefix}rate_amount": Coalesce(Sum(weighted, filter=rated), ZERO),
        f"{prefix}commit": Coalesce(Sum("amount", filter=commit), ZERO),
        f"{prefix}commit_deals": Count("pk", filter=commit),
        f"{prefix}best_case": Coalesce(Sum("amount", filter=best), ZERO),
        f"{prefix}best_case_deals": Count("pk", filter=best),
        f"{prefix}unrated": Coalesce(Sum("amount", filter=unrated), ZERO),
        f"{prefix}unrated_deals": Count("pk", filter=unrated),
    }


def _trunc(kind: PeriodKind) -> Any:
    return (TruncQuarter if kind == PeriodKind.QUARTER else TruncMonth)("expected_close")


NOW, BEFORE = "now_", "before_"


def _grid_rows(
    deals: QuerySet[Opportunity], last_week: date, kind: PeriodKind, config: ForecastConfig
) -> list[dict[str, Any]]:
    """THE GROUP BY of the grid: (period, owning team, owner) → this week's sums over the open
    deals at their current win rate, and last week's over the deals that had a snapshot that
    week (open then) at that week's rate — one pass over the deals, the snapshot LEFT JOINed
    through its unique (deal, week) index."""
    is_open = ~Q(stage__in=CLOSED)
    had_snapshot = Q(last__id__isnull=False)
    return list(
        deals.annotate(
            last=FilteredRelation(
                "win_rate_snapshots", condition=Q(win_rate_snapshots__week=last_week)
            )
        )
        .filter(is_open | had_snapshot)
        .annotate(
            period_=_trunc(kind),
            team_=Coalesce("team_id", "owner__team_id", Value(NO_TEAM)),
        )
        .values("period_", "team_", "owner_id")
        .annotate(
            **_sum_annotations(NOW, "win_rate", is_open, config),
            **_sum_annotations(BEFORE, "last__win_rate", had_snapshot, config),
        )
        .order_by()
    )


def _sums(row: dict[str, Any], prefix: str) -> ForecastSums:
    return ForecastSums(
        deals=row[f"{prefix}deals"],
        pipeline=Decimal(row[f"{prefix}pipeline"]),
        rate_amount=Decimal(row[f"{prefix}rate_amount"]),
        commit=Decimal(row[f"{prefix}commit"]),
        commit_deals=row[f"{prefix}commit_deals"],
        best_case=Decimal(row[f"{prefix}best_case"]),
        best_case_deals=row[f"{prefix}best_case_deals"],
        unrated=Decimal(row[f"{prefix}unrated"]),
        unrated_deals=row[f"{prefix}unrated_deals"],
    )


def _period_start(value: Any) -> date:
    return value.date() if hasattr(value, "date") and callable(value.date) else value


FIELDS = [f.name for f in fields(ForecastSums)]
Key = tuple[date, int, int]  # period start, team id, owner id


def _fold(rows: list[dict[str, Any]], prefix: str) -> dict[Key, ForecastSums]:
    cells: dict[Key, ForecastSums] = {}
    for row in rows:
        if not row[f"{prefix}deals"]:
            continue
        key = (_period_start(row["period_"]), row["team_"], row["owner_id"])
        cells[key] = cells.get(key, ForecastSums()) + _sums(row, prefix)
    return cells


def _names(owner_ids: set[int]) -> dict[int, str]:
    """Display names of the owners in the grid (one query over at most a few hundred)."""
    return {user.pk: str(user) for user in User.objects.filter(pk__in=owner_ids)}


@dataclass(frozen=True)
class _Rollup:
    """The cells added up once per period, per (period, team) and overall (None: no cell)."""

    periods: dict[date, ForecastSums]
    teams: dict[tuple[date, int], ForecastSums]
    total: ForecastSums | None


def _add_all(items: list[ForecastSums]) -> ForecastSums:
    """ForecastSums() + items[0] + items[1] + …, a field at a time."""
    zero = ForecastSums()
    return ForecastSums(
        **{name: sum((getattr(i, name) for i in items), getattr(zero, name)) for name in FIELDS}
    )


def _rollup(cells: dict[Key, ForecastSums]) -> _Rollup:
    periods: dict[date, list[ForecastSums]] = {}
    teams: dict[tuple[date, int], list[ForecastSums]] = {}
    for (start, team_id, _owner), sums in cells.items():
        periods.setdefault(start, []).append(sums)
        teams.setdefault((start, team_id), []).append(sums)
    return _Rollup(
        {key: _add_all(items) for key, items in periods.items()},
        {key: _add_all(items) for key, items in teams.items()},
        _add_all(list(cells.values())) if cells else None,
    )


def _figures(sums: ForecastSums | None) -> ForecastFigures:
    return forecast_figures(sums or ForecastSums())


def _previous(sums: ForecastSums | None, has_snapshot: bool) -> ForecastFigures | None:
    if not has_snapshot:
        return None
    return forecast_figures(sums or ForecastSums())


def forecast_grid(
    *,
    user: Any,
    kind: PeriodKind = PeriodKind.QUARTER,
    date_from: date | None = None,
    date_to: date | None = None,
    team: Team | None = None,
    as_of: date | None = None,
) -> Forecast:
    """The forecast of the deals the user sees, closing in [from, to] (module docstring)."""
    today = as_of or timezone.localdate()
    default_from, default_to = default_range(kind, today)
    date_from = date_from or default_from
    date_to = date_to or default_to
    config = method_config().forecast
    last_week = week_monday(today) - timedelta(days=7)
    deals = forecast_deals(user, team).filter(
        expected_close__gte=date_from, expected_close__lte=date_to
    )
    rows = _grid_rows(deals, last_week, kind, config)
    current, before = _fold(rows, NOW), _fold(rows, BEFORE)
    has_snapshot = bool(before)
    names = _names({key[2] for key in (*current, *before)})
    team_ids = {key[1] for key in (*current, *before)}
    teams = {t["pk"]: t for t in Team.objects.filter(pk__in=team_ids).values("pk", "name", "path")}
    periods = periods_between(date_from, date_to, kind)
    adjustments = _adjustments(user, team_ids, [p.label for p in periods])
    now_sums, then_sums = _rollup(current), _rollup(before)
    owners: dict[tuple[date, int], set[int]] = {}
    for start, team_id, owner in (*current, *before):
        owners.setdefault((start, team_id), set()).add(owner)
    result = []
    for period in periods:
        team_rows = []
        for team_id in sorted(
            {t for (start, t) in owners if start == period.start},
            key=lambda t: teams.get(t, {}).get("path", "~"),
        ):
            team_rows.append(
                _team_row(
                    period,
                    team_id,
                    teams,
                    names,
                    (current, before, now_sums, then_sums),
                    owners[(period.start, team_id)],
                    has_snapshot,
                    adjustments.get((team_id, period.label)),
                )
            )
        now = now_sums.periods.get(period.start)
        then = then_sums.periods.get(period.start)
        figures, previous = _figures(now), _previous(then, has_snapshot)
        result.append(
            PeriodForecast(period, figures, previous, forecast_change(figures, previous), team_rows)
        )
    figures = _figures(now_sums.total)
    previous = _previous(then_sums.total, has_snapshot)
    return Forecast(
        kind=kind,
        date_from=date_from,
        date_to=date_to,
        team=team,
        as_of=today,
        last_week=last_week,
        config=config,
        periods=result,
        figures=figures,
        previous=previous,
        change=forecast_change(figures, previous),
        team_paths={pk: t["path"] for pk, t in teams.items()},
    )


def _team_row(
    period: Period,
    team_id: int,
    teams: dict[int, dict[str, Any]],
    names: dict[int, str],
    sums: tuple[dict[Key, ForecastSums], dict[Key, ForecastSums], _Rollup, _Rollup],
    owner_ids: set[int],
    has_snapshot: bool,
    adjustment: ForecastAdjustment | None,
) -> TeamForecast:
    current, before, now_sums, then_sums = sums
    reps = []
    for owner in sorted(owner_ids, key=lambda owner: names.get(owner, "")):
        key = (period.start, team_id, owner)
        figures = _figures(current.get(key))
        previous = _previous(before.get(key), has_snapshot)
        reps.append(
            RepForecast(
                owner, names.get(owner, ""), figures, previous, forecast_change(figures, previous)
            )
        )
    now = now_sums.teams.get((period.start, team_id))
    then = then_sums.teams.get((period.start, team_id))
    figures, previous = _figures(now), _previous(then, has_snapshot)
    info = teams.get(team_id, {"name": "", "path": ""})
    return TeamForecast(
        team_id=team_id,
        name=info["name"],
        path=info["path"],
        figures=figures,
        previous=previous,
        change=forecast_change(figures, previous),
        adjustment=adjustment,
        reps=reps,
    )


def _adjustments(
    user: Any, team_ids: set[int], labels: list[str]
) -> dict[tuple[int, str], ForecastAdjustment]:
    """The adjustments in force the user may see, for the teams and periods shown."""
    if not team_ids or not labels or scope_for(user).is_partner:
        return {}
    rows = visible(ForecastAdjustment, user).filter(
        archived_at__isnull=True, team_id__in=team_ids, period__in=labels
    )
    return {(a.team_id, a.period): a for a in rows}


def unrated_deals(
    *,
    user: Any,
    date_from: date,
    date_to: date,
    team: Team | None = None,
) -> QuerySet[Opportunity]:
    """The open deals without a win rate in the window: listed apart, never weighted."""
    return (
        forecast_deals(user, team)
        .filter(expected_close__gte=date_from, expected_close__lte=date_to, win_rate__isnull=True)
        .exclude(stage__in=CLOSED)
        .select_related("owner", "account")
    )


# --- for the home page and the executives' view ---------------------------------------------


@dataclass(frozen=True)
class ForecastSummary:
    period: Period
    figures: ForecastFigures
    previous: ForecastFigures | None
    change: ForecastChange


def team_forecast_summary(user: Any, as_of: date | None = None) -> ForecastSummary | None:
    """This quarter's weighted, commit and best case of the deals the user sees (a manager:
    their team subtree), against last week's snapshot. None for a partner user."""
    if scope_for(user).is_partner:
        return None
    today = as_of or timezone.localdate()
    quarter = period_of(today, PeriodKind.QUARTER)
    grid = forecast_grid(
        user=user,
        kind=PeriodKind.QUARTER,
        date_from=quarter.start,
        date_to=quarter.end,
        as_of=today,
    )
    return ForecastSummary(quarter, grid.figures, grid.previous, grid.change)


@dataclass(frozen=True)
class RegionForecast:
    team_id: int
    name: str
    figures: ForecastFigures
    previous: ForecastFigures | None
    change: ForecastChange


def forecast_by_region(user: Any, as_of: date | None = None) -> list[RegionForecast]:
    """This quarter per region (teams of kind `region`), for executives: each region's figure
    folds the team cells of its subtree. Empty when there are no regions or no deals."""
    if scope_for(user).is_partner:
        return []
    today = as_of or timezone.localdate()
    quarter = period_of(today, PeriodKind.QUARTER)
    regions = list(
        visible(Team, user)
        .filter(kind=TeamKind.REGION, archived_at__isnull=True)
        .values("pk", "name", "path")
    )
    if not regions:
        return []
    grid = forecast_grid(
        user=user,
        kind=PeriodKind.QUARTER,
        date_from=quarter.start,
        date_to=quarter.end,
        as_of=today,
    )
    rows = [t for p in grid.periods for t in p.teams]
    result = []
    for region in regions:
        inside = [t for t in rows if t.path.startswith(region["path"])]
        now = _add_figures([t.figures for t in inside])
        before = [t.previous for t in inside if t.previous is not None]
        previous = _add_figures(before) if grid.previous is not None else None
        result.append(
            RegionForecast(
                region["pk"], region["name"], now, previous, forecast_change(now, previous)
            )
        )
    return result


def _add_figures(items: list[ForecastFigures]) -> ForecastFigures:
    names = ForecastFigures.__dataclass_fields__
    totals: dict[str, Any] = {
        name: (0 if name.endswith("deals") else Decimal("0.00")) for name in names
    }
    for item in items:
        for name in names:
            totals[name] += getattr(item, name)
    return ForecastFigures(**totals)
