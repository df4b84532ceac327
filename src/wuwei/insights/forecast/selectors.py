"""Forecast reads (METHOD.md §8). Everything adds up in the database, and only for the level
shown: the rows of a period break down ONE team (the team asked for, else the user's own
scope — a manager's team, an executive's top team, a rep's team; the organisation's top when
there is none) into

- its child teams, each summing its whole subtree (a row to open: ask again with `team=` it);
- the team's own row: the deals owned in the team itself, with one row per rep;
- deals the user sees outside that subtree, summed per top-level team, and the deals of no
  team, per rep — so the rows of a period always add up to the period.

ONE GROUP BY over the deals the user sees, by period of the expected close date, the child
path of the owning team (the deal's team, else its owner's) under the team broken down, and
the owner when the deal is owned in that team itself: over the open deals Σ amount,
Σ amount × win rate, Σ amount at or above the commit and best-case thresholds, the unrated
deals apart; in the same pass last week's: the same sums over the deals that had last ISO
week's win-rate snapshot (§4.6), their current amount and close date weighed with the win
rate they had then (a deal won since counts last week, not now). For someone who sees every
deal, over whole months, the same sums per (month, team, owner) come from the running totals
the database keeps (`cells`; `_counted` says when) instead of the deals. Then the names of the
teams and of the reps in the rows and the adjustments in force: one query each.

Five queries with the configuration's (six with the running totals' basis), whatever the
number of deals or teams; Python folds the few grouped rows (periods × rows shown) into
totals. The thresholds come from the method configuration in force.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import connection
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
from wuwei.core.visibility import condition_for, scope_for, visible
from wuwei.insights.forecast.cells import (
    SUM_NAMES,
    basis_in_force,
    grid_source,
    last_week_of,
    matches,
)
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
PATH = re.compile(r"/(\d+/)*")  # a team path: "/1/4/9/" (TOP: "/")
NO_TEAM = 0  # deals whose owner has no team and no team of their own
TOP = "/"  # the path "above" every top-level team ("/1/"): the organisation's top


@dataclass(frozen=True)
class RepForecast:
    user_id: int
    name: str
    figures: ForecastFigures
    previous: ForecastFigures | None
    change: ForecastChange


@dataclass(frozen=True)
class TeamForecast:
    """One row of a period. `subtree`: the figures sum the team's whole subtree (the row opens
    with `team=` it, reps not listed); otherwise they are the deals owned in the team itself
    (or in no team: team_id 0), with a row per rep in `reps`."""

    team_id: int
    name: str
    path: str
    figures: ForecastFigures
    previous: ForecastFigures | None
    change: ForecastChange
    adjustment: ForecastAdjustment | None
    reps: list[RepForecast]
    subtree: bool = False

    @property
    def depth(self) -> int:
        """How deep the team sits: 0 for a top-level team ("/1/"), 1 below it…"""
        return max(self.path.count("/") - 2, 0)


@dataclass(frozen=True)
class PeriodForecast:
    period: Period
    figures: ForecastFigures
    previous: ForecastFigures | None
    change: ForecastChange
    teams: list[TeamForecast]

    @property
    def has_subtrees(self) -> bool:
        """Whether some row sums a child team's subtree (then the team's own row says so)."""
        return any(t.subtree for t in self.teams)


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
    #: the team the rows break down (the team asked for, else the user's scope); None: the top
    breakdown_team: int | None = None
    breakdown_path: str = TOP

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


def breakdown_path(user: Any, team: Team | None = None) -> str:
    """The path of the team whose level the rows show: the team asked for; else a manager's
    own team, the top-level team of someone who sees everything, anyone else's own team;
    TOP when the user has no team."""
    if team is not None:
        return team.path
    scope = scope_for(user)
    if scope.team_path:
        return scope.team_path
    if not getattr(user, "team_id", None):
        return TOP
    path: str = user.team.path or TOP
    if scope.sees_everything:
        return TOP + path.split("/")[1] + "/"
    return path


def may_open(user: Any, team: Team) -> bool:
    """Whether the user may break a team down (`team=`): someone who sees everything any team,
    a manager the teams of their subtree, anyone else only their own team. A partner user
    none: the forecast is internal work."""
    return _may_open(user, team.pk, team.path)


def _may_open(user: Any, team_id: int, path: str) -> bool:
    scope = scope_for(user)
    if scope.is_partner or not team_id:
        return False
    if scope.sees_everything:
        return True
    if scope.team_path and path.startswith(scope.team_path):
        return True
    return bool(getattr(user, "team_id", None)) and user.team_id == team_id


def openable_ids(user: Any, grid: "Forecast") -> set[int]:
    """The teams of the grid's rows the user may open (`may_open`, without a query)."""
    return {pk for pk, path in grid.team_paths.items() if _may_open(user, pk, path)}


def openable_teams(user: Any) -> QuerySet[Team]:
    """The live teams `may_open` allows, by path: the choices of the team filter."""
    scope = scope_for(user)
    teams = Team.objects.filter(archived_at__isnull=True).order_by("path")
    if scope.is_partner:
        return teams.none()
    if scope.sees_everything:
        return teams
    mine = Q(pk=user.team_id) if getattr(user, "team_id", None) else Q(pk__in=[])
    if scope.team_path:
        mine |= Q(path__startswith=scope.team_path)
    return teams.filter(mine)


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
FIELDS = [f.name for f in fields(ForecastSums)]


def _with_last_week(deals: QuerySet[Opportunity], last_week: date) -> QuerySet[Opportunity]:
    """The open deals and those that had last week's snapshot, the snapshot LEFT JOINed through
    its unique (deal, week) index."""
    return deals.annotate(
        last=FilteredRelation("win_rate_snapshots", condition=Q(win_rate_snapshots__week=last_week))
    ).filter(~Q(stage__in=CLOSED) | Q(last__id__isnull=False))


def _both_weeks(config: ForecastConfig) -> dict[str, Any]:
    return {
        **_sum_annotations(NOW, "win_rate", ~Q(stage__in=CLOSED), config),
        **_sum_annotations(BEFORE, "last__win_rate", Q(last__id__isnull=False), config),
    }


def _regrouped(
    inner: tuple[str, Sequence[Any]], keys: list[str], params: list[Any]
) -> list[dict[str, Any]]:
    """Rows of the SQL `inner` — the sums by (…, `team_id`, `owner_id`): small integer keys, a
    hash aggregate over the deals with no join but last week's snapshot, or the running totals
    (`cells`) — added up again in the database by the SQL expressions `keys` (aliased key0,
    key1…) over the owning team (`t`: the deal's team, else its owner's `u`). Returns a dict
    per group."""
    sql, inner_params = inner
    keyed = ", ".join(f"{key} AS key{i}" for i, key in enumerate(keys))
    sums = ", ".join(f"SUM(g.{name}) AS {name}" for name in SUM_NAMES)
    positions = ", ".join(str(i + 1) for i in range(len(keys)))
    query = (
        f"SELECT {keyed}, {sums} FROM ({sql}) g"
        f" JOIN {User._meta.db_table} u ON u.id = g.owner_id"
        f" LEFT JOIN {Team._meta.db_table} t ON t.id = COALESCE(g.team_id, u.team_id)"
        f" GROUP BY {positions}"
    )
    with connection.cursor() as cursor:
        cursor.execute(query, [*params, *inner_params])
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _strpos() -> str:
    return "instr" if connection.vendor == "sqlite" else "strpos"


def _deal_sums(
    deals: QuerySet[Opportunity], last_week: date, kind: PeriodKind, config: ForecastConfig
) -> tuple[str, Sequence[Any]]:
    """The deals' sums by (period, team_id, owner_id), as SQL."""
    inner = (
        _with_last_week(deals, last_week)
        .annotate(period_=_trunc(kind))
        .values("period_", "team_id", "owner_id")
        .annotate(**_both_weeks(config))
        .order_by()
    )
    return inner.query.sql_with_params()


def _grid_rows(inner: tuple[str, Sequence[Any]], path: str) -> list[dict[str, Any]]:
    """THE GROUP BY of the grid (module docstring) over `inner` (the deals' sums, or the
    running totals): (period, row path, owner of a deal owned in the team at `path` itself or
    in no team) → this week's sums and last week's. The row path is the owning team's path up
    to the next "/" after `path` (`path` itself for the team's own deals; up to the first "/"
    after the top for a team outside the subtree)."""
    if not PATH.fullmatch(path):
        raise ValueError(f"not a team path: {path!r}")
    strpos = _strpos()
    row = (
        f"CASE WHEN t.path LIKE %s"
        f" THEN substr(t.path, 1, {len(path)} + {strpos}(substr(t.path, {len(path) + 1}), '/'))"
        f" ELSE substr(t.path, 1, 1 + {strpos}(substr(t.path, 2), '/')) END"
    )
    rep = "CASE WHEN t.path = %s OR t.path IS NULL THEN g.owner_id END"
    rows = _regrouped(inner, ["g.period_", row, rep], [path + "%", path])
    return [
        {"period_": r["key0"], "row_": r["key1"], "rep_": r["key2"], **{n: r[n] for n in SUM_NAMES}}
        for r in rows
    ]


def _sums(row: dict[str, Any], prefix: str) -> ForecastSums:
    return ForecastSums(
        deals=int(row[f"{prefix}deals"]),
        pipeline=_decimal(row[f"{prefix}pipeline"]),
        rate_amount=_decimal(row[f"{prefix}rate_amount"]),
        commit=_decimal(row[f"{prefix}commit"]),
        commit_deals=int(row[f"{prefix}commit_deals"]),
        best_case=_decimal(row[f"{prefix}best_case"]),
        best_case_deals=int(row[f"{prefix}best_case_deals"]),
        unrated=_decimal(row[f"{prefix}unrated"]),
        unrated_deals=int(row[f"{prefix}unrated_deals"]),
    )


def _period_start(value: Any) -> date:
    """A period's first day as the database gives it: a date, a datetime (PostgreSQL's
    date_trunc) or an ISO string (SQLite through a raw cursor)."""
    if isinstance(value, str):
        return date.fromisoformat(value[:10])
    return value.date() if hasattr(value, "date") and callable(value.date) else value


def _decimal(value: Any) -> Decimal:
    """A sum as Decimal: SQLite's raw sums of decimal columns are floats (their repr is exact
    to the cent at these magnitudes)."""
    return Decimal(str(value)) if isinstance(value, float) else Decimal(value)


Key = tuple[date, str, int | None]  # period start, row path ("" for no team), rep (own rows)


def _fold(rows: list[dict[str, Any]], prefix: str) -> dict[Key, ForecastSums]:
    """The grouped rows that count this week (NOW) or last week (BEFORE), by key."""
    return {
        (_period_start(row["period_"]), row["row_"] or "", row["rep_"]): _sums(row, prefix)
        for row in rows
        if row[f"{prefix}deals"]
    }


def _add_all(items: list[ForecastSums]) -> ForecastSums:
    """ForecastSums() + items[0] + items[1] + …, a field at a time."""
    zero = ForecastSums()
    return ForecastSums(
        **{name: sum((getattr(i, name) for i in items), getattr(zero, name)) for name in FIELDS}
    )


def _figures(sums: ForecastSums | None) -> ForecastFigures:
    return forecast_figures(sums or ForecastSums())


def _previous(sums: ForecastSums | None, has_snapshot: bool) -> ForecastFigures | None:
    if not has_snapshot:
        return None
    return forecast_figures(sums or ForecastSums())


@dataclass(frozen=True)
class _Cells:
    """This week's and last week's cells, and whether last week had any snapshot at all."""

    now: dict[Key, ForecastSums]
    then: dict[Key, ForecastSums]
    has_snapshot: bool

    def figures(self, keys: list[Key]) -> tuple[ForecastFigures, ForecastFigures | None]:
        now = _add_all([self.now[k] for k in keys if k in self.now])
        then = _add_all([self.then[k] for k in keys if k in self.then])
        return _figures(now), _previous(then, self.has_snapshot)


def forecast_grid(
    *,
    user: Any,
    kind: PeriodKind = PeriodKind.QUARTER,
    date_from: date | None = None,
    date_to: date | None = None,
    team: Team | None = None,
    as_of: date | None = None,
) -> Forecast:
    """The forecast of the deals the user sees, closing in [from, to], its rows one level of
    the team tree (module docstring)."""
    today = as_of or timezone.localdate()
    default_from, default_to = default_range(kind, today)
    date_from = date_from or default_from
    date_to = date_to or default_to
    config = method_config().forecast
    last_week = last_week_of(today)
    path = breakdown_path(user, team)
    if team is None and _counted(user, date_from, date_to, last_week, config):
        inner = grid_source(kind=kind, date_from=date_from, date_to=date_to)
    else:
        deals = forecast_deals(user, team).filter(
            expected_close__gte=date_from, expected_close__lte=date_to
        )
        inner = _deal_sums(deals, last_week, kind, config)
    rows = _grid_rows(inner, path)
    cells = _Cells(_fold(rows, NOW), _fold(rows, BEFORE), any(r[f"{BEFORE}deals"] for r in rows))
    keys = sorted({*cells.now, *cells.then}, key=lambda k: (k[0], k[1] or "~", k[2] or 0))
    row_paths = {k[1] for k in keys if k[1]}
    teams = {
        t["path"]: t
        for t in Team.objects.filter(path__in=row_paths | {path}).values("pk", "name", "path")
    }
    names = _names({k[2] for k in keys if k[2] is not None})
    periods = periods_between(date_from, date_to, kind)
    adjustments = _adjustments(user, {t["pk"] for t in teams.values()}, [p.label for p in periods])
    result = []
    for period in periods:
        mine = [k for k in keys if k[0] == period.start]
        team_rows = [
            _team_row(
                period,
                row_path,
                [k for k in mine if k[1] == row_path],
                path,
                cells,
                teams,
                names,
                adjustments,
            )
            for row_path in sorted({k[1] for k in mine}, key=lambda p: _row_order(p, path, teams))
        ]
        figures, previous = cells.figures(mine)
        result.append(
            PeriodForecast(period, figures, previous, forecast_change(figures, previous), team_rows)
        )
    figures, previous = cells.figures(keys)
    anchor = teams.get(path)
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
        team_paths={t["pk"]: t["path"] for t in teams.values()},
        breakdown_team=anchor["pk"] if anchor else None,
        breakdown_path=path,
    )


def _counted(
    user: Any, date_from: date, date_to: date, last_week: date, config: ForecastConfig
) -> bool:
    """Whether the running totals answer: the user sees every deal (the visibility rule
    imposes no condition), the window is whole months and the cells were counted for this
    last week and these thresholds (`cells` module docstring)."""
    whole_months = date_from.day == 1 and (date_to + timedelta(days=1)).day == 1
    if not whole_months or condition_for(Opportunity, scope_for(user)) is not None:
        return False
    return matches(basis_in_force(), last_week, config)


def _row_order(row_path: str, path: str, teams: dict[str, dict[str, Any]]) -> tuple[int, str, str]:
    """The team's own row first, then the teams by name, the deals of no team last."""
    if row_path == path:
        return (0, "", "")
    if not row_path:
        return (2, "", "")
    return (1, teams.get(row_path, {}).get("name", ""), row_path)


def _names(owner_ids: set[int]) -> dict[int, str]:
    """Display names of the reps listed (one query over the reps of one team)."""
    if not owner_ids:
        return {}
    return {user.pk: str(user) for user in User.objects.filter(pk__in=owner_ids)}


def _team_row(
    period: Period,
    row_path: str,
    keys: list[Key],
    path: str,
    cells: _Cells,
    teams: dict[str, dict[str, Any]],
    names: dict[int, str],
    adjustments: dict[tuple[int, str], ForecastAdjustment],
) -> TeamForecast:
    """One row of a period: the subtree of a child team (or of a top-level team outside the
    user's scope), or the deals owned in the team itself / in no team, with their reps."""
    subtree = row_path not in (path, "")
    reps = []
    if not subtree:
        for key in sorted(keys, key=lambda k: (names.get(k[2] or 0, ""), k[2] or 0)):
            figures, previous = cells.figures([key])
            owner = key[2] or 0
            reps.append(
                RepForecast(
                    owner,
                    names.get(owner, ""),
                    figures,
                    previous,
                    forecast_change(figures, previous),
                )
            )
    figures, previous = cells.figures(keys)
    info = teams.get(row_path, {"pk": NO_TEAM, "name": "", "path": ""})
    return TeamForecast(
        team_id=info["pk"],
        name=info["name"],
        path=info["path"],
        figures=figures,
        previous=previous,
        change=forecast_change(figures, previous),
        adjustment=adjustments.get((info["pk"], period.label)),
        reps=reps,
        subtree=subtree,
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


def _quarter_cells(
    user: Any, today: date, keys: list[str]
) -> tuple[Period, dict[Any, tuple[ForecastSums, ForecastSums]], bool]:
    """This quarter's sums of the deals the user sees, this week's and last week's, grouped by
    the SQL expressions `keys` over the owning team `t` (`_regrouped`; none: one aggregate) —
    one query, over the running totals when they answer (`_counted`)."""
    quarter = period_of(today, PeriodKind.QUARTER)
    last_week = last_week_of(today)
    config = method_config().forecast
    if _counted(user, quarter.start, quarter.end, last_week, config):
        inner = grid_source(kind=PeriodKind.QUARTER, date_from=quarter.start, date_to=quarter.end)
        rows = _regrouped(inner, keys or ["NULL"], [])
    else:
        deals = forecast_deals(user).filter(
            expected_close__gte=quarter.start, expected_close__lte=quarter.end
        )
        query = _with_last_week(deals, last_week)
        sums = _both_weeks(config)
        if keys:
            grouped = query.values("team_id", "owner_id").annotate(**sums).order_by()
            rows = _regrouped(grouped.query.sql_with_params(), keys, [])
        else:
            rows = [query.aggregate(**sums)]
    cells = {
        tuple(row[f"key{i}"] for i in range(len(keys))): (_sums(row, NOW), _sums(row, BEFORE))
        for row in rows
    }
    return quarter, cells, any(r[f"{BEFORE}deals"] for r in rows)


def team_forecast_summary(user: Any, as_of: date | None = None) -> ForecastSummary | None:
    """This quarter's weighted, commit and best case of the deals the user sees (a manager:
    their team subtree), against last week's snapshot. None for a partner user."""
    if scope_for(user).is_partner:
        return None
    quarter, cells, has_snapshot = _quarter_cells(user, as_of or timezone.localdate(), [])
    now, then = cells.get((), (ForecastSums(), ForecastSums()))
    figures, previous = _figures(now), _previous(then, has_snapshot)
    return ForecastSummary(quarter, figures, previous, forecast_change(figures, previous))


@dataclass(frozen=True)
class RegionForecast:
    team_id: int
    name: str
    figures: ForecastFigures
    previous: ForecastFigures | None
    change: ForecastChange


def forecast_by_region(user: Any, as_of: date | None = None) -> list[RegionForecast]:
    """This quarter per region (teams of kind `region`), for executives: one GROUP BY of the
    deals by the path of their owning team; a region folds the (few) team rows of its
    subtree. Empty when there are no regions."""
    if scope_for(user).is_partner:
        return []
    regions = list(
        visible(Team, user)
        .filter(kind=TeamKind.REGION, archived_at__isnull=True)
        .values("pk", "name", "path")
    )
    if not regions:
        return []
    _quarter, cells, has_snapshot = _quarter_cells(user, as_of or timezone.localdate(), ["t.path"])
    result = []
    for region in regions:
        pairs = [pair for (own,), pair in cells.items() if (own or "").startswith(region["path"])]
        now = _figures(_add_all([p[0] for p in pairs]))
        previous = _previous(_add_all([p[1] for p in pairs]), has_snapshot)
        result.append(
            RegionForecast(
                region["pk"], region["name"], now, previous, forecast_change(now, previous)
            )
        )
    return result
