"""Pipeline analytics (METHOD.md §8 "pipeline by stage and grade; win-rate curves; funnel"),
over the deals the user sees (core.visibility), optionally a team subtree. Each block is one
aggregate query (funnel, distribution and the slipped deals' totals share one); nothing loops
over deals in Python:

- funnel: open deals by stage and grade (count, amount), and in the same pass
  the win-rate distribution: open deals in bands of ten points, the unrated apart, and the
  count and amount of the slipped ones below;
- stage flow: from the stage history, per stage the deals that entered it in the period, how
  many went on to a later stage (or won) — the conversion — and the average days spent in it
  over the stays that ended;
- competitors: deals closed in the period with each competitor on them, won and lost, and how
  often that competitor won against us;
- slipped close dates: open deals whose expected close was moved later during the period
  (the history of the deal) or that are past their expected close;
- team curves: the average weekly win-rate snapshot of the open deals each rep held that
  week (the snapshot keeps the owner), and the team's, over the last twelve weeks.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import (
    Avg,
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Least
from django.utils import timezone

from wuwei.core.visibility import InIds, scope_for
from wuwei.insights.forecast.selectors import CLOSED, forecast_deals
from wuwei.methodology.forecast import conversion_rate
from wuwei.opportunities.models import (
    Grade,
    Opportunity,
    Stage,
    StageHistory,
    WinRateSnapshot,
)
from wuwei.org.models import Team, User

OPEN_STAGES = [s for s in Stage if s not in CLOSED]
CURVE_WEEKS = 12
SLIPPED_SHOWN = 20
CENT = Decimal("0.01")


@dataclass(frozen=True)
class FunnelRow:
    stage: str
    label: Any
    deals: int
    amount: Decimal
    by_grade: dict[str, tuple[int, Decimal]]


@dataclass(frozen=True)
class StageFlow:
    stage: str
    label: Any
    entered: int
    advanced: int
    conversion: Decimal | None
    average_days: Decimal | None


@dataclass(frozen=True)
class Band:
    low: int | None  # None: not rated
    deals: int
    amount: Decimal

    @property
    def label(self) -> str:
        if self.low is None:
            return ""
        return f"{self.low}–{self.low + 9 if self.low < 90 else 100} %"


@dataclass(frozen=True)
class CompetitorRow:
    competitor_id: int
    name: str
    won: int
    lost: int
    lost_to: int
    won_amount: Decimal
    lost_amount: Decimal


@dataclass(frozen=True)
class Slipped:
    opportunity_id: int
    name: str
    owner: str
    amount: Decimal
    expected_close: date | None
    first_close: date | None
    is_overdue: bool


@dataclass(frozen=True)
class Curve:
    name: str
    user_id: int | None  # None: the whole team
    points: dict[date, Decimal]


@dataclass(frozen=True)
class PipelineReport:
    date_from: date
    date_to: date
    team: Team | None
    as_of: date
    funnel: list[FunnelRow]
    flow: list[StageFlow]
    bands: list[Band]
    competitors: list[CompetitorRow]
    slipped: list[Slipped]
    slipped_count: int
    slipped_amount: Decimal
    weeks: list[date]
    curves: list[Curve]

    @property
    def is_empty(self) -> bool:
        return not (
            self.funnel or self.flow or self.competitors or self.slipped_count or self.curves
        )


def _money(value: Any) -> Decimal:
    return Decimal(value or 0).quantize(CENT)


def _open_rows(deals: QuerySet[Opportunity], slipped: Q) -> list[dict[str, Any]]:
    """One pass over the open deals: count and amount by stage, grade and win-rate band (the
    bands with the edges of `methodology.forecast.win_rate_band`; -1 for the unrated), and in
    the same pass those of them that slipped (`_slipped_filter`)."""
    band = Case(
        When(win_rate__isnull=True, then=Value(-1)),
        default=Least(F("win_rate") / 10, Value(9)) * 10,
        output_field=IntegerField(),
    )
    return list(
        deals.exclude(stage__in=CLOSED)
        .annotate(band=band)
        .values("stage", "grade", "band")
        # the slipped sum first: after it, "amount" names the aggregate
        .annotate(
            slipped=Count("id", filter=slipped),
            slipped_amount=Sum("amount", filter=slipped),
            deals=Count("id"),
            amount=Sum("amount"),
        )
        .order_by()
    )


def _funnel(rows: list[dict[str, Any]]) -> list[FunnelRow]:
    grid: dict[str, dict[str, tuple[int, Decimal]]] = {}
    for row in rows:
        cells = grid.setdefault(row["stage"], {})
        count, amount = cells.get(row["grade"], (0, Decimal("0.00")))
        cells[row["grade"]] = (count + row["deals"], amount + _money(row["amount"]))
    result = []
    for stage in OPEN_STAGES:
        cells = grid.get(stage.value, {})
        by_grade = {g.value: cells.get(g.value, (0, Decimal("0.00"))) for g in Grade}
        result.append(
            FunnelRow(
                stage=stage.value,
                label=stage.label,
                deals=sum(c[0] for c in by_grade.values()),
                amount=sum((c[1] for c in by_grade.values()), Decimal("0.00")),
                by_grade=by_grade,
            )
        )
    return result if any(r.deals for r in result) else []


def _of_deals(rows: QuerySet[Any], deals: QuerySet[Opportunity], everything: bool) -> QuerySet[Any]:
    """The `rows` of a deal's history (stays, snapshots) that belong to the visible deals.
    Over every deal: all but the archived few (their partial index), not a join with every
    deal. Otherwise the visible deals' ids as one array probed in the rows' index on the deal
    (`InIds`): a manager's few hundred deals read their own rows, where a join would hash
    every row of the period."""
    if everything:
        archived = Opportunity.objects.filter(archived_at__isnull=False).values("pk")
        return rows.exclude(opportunity__in=archived)
    return rows.filter(InIds("opportunity_id", deals.values("pk")))


def _flow(
    deals: QuerySet[Opportunity], date_from: date, date_to: date, everything: bool
) -> list[StageFlow]:
    """Per stage, over the stays that began in the period: deals that entered, deals that later
    reached a further stage or won (`StageHistory.advanced`, kept at the stage move), average
    days of the stays that ended — one aggregate over the stays begun in the period (their
    index on the entry time) of the visible deals. A stay's day is its UTC date, as the
    database session (UTC) casts it.

    No DISTINCT over the deals: a deal's first stay of the period in a stage is the one whose
    previous entry into that stage (`previous_entered_at`) is null or before the period, so
    counting those counts each deal once. A deal's advanced stays of a stage are its earliest
    ones (a stay advanced when a later stay ranks higher, so every earlier stay of the stage
    did too): it advanced from a stay of the period exactly when its first one did."""
    start = datetime.combine(date_from, time.min, tzinfo=UTC)
    end = datetime.combine(date_to + timedelta(days=1), time.min, tzinfo=UTC)
    stages = [stage.value for stage in OPEN_STAGES]
    stays = _of_deals(
        StageHistory.objects.filter(entered_at__gte=start, entered_at__lt=end, stage__in=stages),
        deals,
        everything,
    )
    first = Q(previous_entered_at__isnull=True) | Q(previous_entered_at__lt=start)
    stays = (
        stays.annotate(
            is_first=Case(When(first, then=Value(1)), default=Value(0), output_field=IntegerField())
        )
        .values("stage", "is_first", "entered_at", "left_at", "advanced")
        .order_by()
    )
    sql, params = stays.query.sql_with_params()
    seconds = (
        "EXTRACT(EPOCH FROM (left_at - entered_at))"
        if connection.vendor == "postgresql"
        else "(julianday(left_at) - julianday(entered_at)) * 86400"
    )
    query = (
        "SELECT stage, SUM(is_first), SUM(CASE WHEN advanced THEN is_first ELSE 0 END), "
        f"AVG(CASE WHEN left_at IS NOT NULL THEN {seconds} END) "
        f"FROM ({sql}) stays GROUP BY stage"
    )
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        rows = {stage: (entered, advanced, average) for stage, entered, advanced, average in cursor}
    result = []
    for stage in OPEN_STAGES:
        if stage.value not in rows:
            continue
        entered, advanced, average = rows[stage.value]
        result.append(
            StageFlow(
                stage=stage.value,
                label=stage.label,
                entered=int(entered),
                advanced=int(advanced),
                conversion=conversion_rate(int(entered), int(advanced)),
                average_days=None
                if average is None
                else (Decimal(str(average)) / Decimal(86_400)).quantize(Decimal("0.1")),
            )
        )
    return result


def _days(duration: Any) -> Decimal | None:
    if duration is None:
        return None
    if hasattr(duration, "total_seconds"):
        seconds = Decimal(duration.total_seconds())
    else:  # a backend that answers microseconds
        seconds = Decimal(duration) / Decimal(1_000_000)
    return (seconds / Decimal(86_400)).quantize(Decimal("0.1"))


def _bands(rows: list[dict[str, Any]]) -> list[Band]:
    if not rows:
        return []
    totals: dict[int, tuple[int, Decimal]] = {}
    for row in rows:
        count, amount = totals.get(row["band"], (0, Decimal("0.00")))
        totals[row["band"]] = (count + row["deals"], amount + _money(row["amount"]))
    empty = (0, Decimal("0.00"))
    result = [Band(low, *totals.get(low, empty)) for low in range(0, 100, 10)]
    result.append(Band(None, *totals.get(-1, empty)))
    return result


def _competitors(
    deals: QuerySet[Opportunity], date_from: date, date_to: date
) -> list[CompetitorRow]:
    """Each competitor on the deals closed in the period: from the deals' side (the closed
    deals of the period by their stage index, then their competitor links), one join."""
    won = Q(stage=Stage.WON)
    lost = Q(stage=Stage.LOST)
    link = "competitor_links__"
    rows = (
        deals.filter(stage__in=CLOSED, closed_on__gte=date_from, closed_on__lte=date_to)
        # the same join for both: a live link (a deal without any is no row at all)
        .filter(**{f"{link}archived_at__isnull": True, f"{link}competitor_id__isnull": False})
        .values(
            competitor_id=F(f"{link}competitor_id"),
            competitor_name=F(f"{link}competitor__name"),
        )
        .annotate(
            won=Count(f"{link}id", filter=won),
            lost=Count(f"{link}id", filter=lost),
            lost_to=Count(
                f"{link}id", filter=lost & Q(winning_competitor_id=F(f"{link}competitor_id"))
            ),
            won_amount=Sum("amount", filter=won),
            lost_amount=Sum("amount", filter=lost),
        )
        .order_by("-lost", "-won", "competitor_name")
    )
    return [
        CompetitorRow(
            competitor_id=row["competitor_id"],
            name=row["competitor_name"],
            won=row["won"],
            lost=row["lost"],
            lost_to=row["lost_to"],
            won_amount=_money(row["won_amount"]),
            lost_amount=_money(row["lost_amount"]),
        )
        for row in rows
    ]


def _slipped_filter(deals: QuerySet[Opportunity], date_from: date, date_to: date, as_of: date) -> Q:
    """Which open deals slipped: past their expected close, or whose close was moved later in
    the period — a history row of the period (its index on the time; a day of the period in
    the current time zone) with an earlier close than today's. The history is read once as a
    semi-join inside an id subquery (hashed), not probed once per open deal."""
    start = timezone.make_aware(datetime.combine(date_from, time.min))
    end = timezone.make_aware(datetime.combine(date_to + timedelta(days=1), time.min))
    pushed = Opportunity.history.model.objects.filter(
        id=OuterRef("pk"),
        expected_close__lt=OuterRef("expected_close"),
        history_date__gte=start,
        history_date__lt=end,
    )
    candidates = deals.exclude(stage__in=CLOSED).filter(expected_close__isnull=False)
    return Q(expected_close__isnull=False) & (
        Q(expected_close__lt=as_of) | Q(pk__in=candidates.filter(Exists(pushed)).values("pk"))
    )


def _slipped(
    deals: QuerySet[Opportunity], slipped_filter: Q, as_of: date, everything: bool
) -> list[Slipped]:
    """The biggest slipped deals (their count and amount come with the funnel's pass)."""
    history = Opportunity.history.model.objects.filter(id=OuterRef("pk"))
    slipped = deals.exclude(stage__in=CLOSED).filter(slipped_filter)
    first = Subquery(
        history.filter(expected_close__isnull=False)
        .values("id")
        .annotate(first=Min("expected_close"))
        .values("first")[:1]
    )
    # The biggest first. Over every deal, walking the amount index meets 20 slipped deals
    # early; over a team's or a manager's few it would walk every deal to find them, so there
    # the order hides the index (a no-op COALESCE) and the few are sorted.
    by_amount = F("amount") if everything else Coalesce("amount", Value(Decimal(0)))
    shown = (
        slipped.annotate(first_close=first)
        .select_related("owner")
        .order_by(by_amount.desc(), "id")[:SLIPPED_SHOWN]
    )
    return [
        Slipped(
            opportunity_id=deal.pk,
            name=deal.name,
            owner=str(deal.owner),
            amount=deal.amount,
            expected_close=deal.expected_close,
            first_close=deal.first_close,
            is_overdue=deal.expected_close is not None and deal.expected_close < as_of,
        )
        for deal in shown
    ]


def _curves(
    deals: QuerySet[Opportunity], as_of: date, everything: bool
) -> tuple[list[date], list[Curve]]:
    monday = as_of - timedelta(days=as_of.weekday())
    first = monday - timedelta(weeks=CURVE_WEEKS - 1)
    # from the snapshots of the weeks (their index on the week, or on the deal for a few
    # deals), each with the deal's owner that week: a rep's curve is the deals they held
    snapshots = WinRateSnapshot.objects.filter(week__gte=first, win_rate__isnull=False)
    rows = list(
        _of_deals(snapshots, deals, everything)
        .values("week", "owner_id")
        .annotate(rate=Avg("win_rate"), deals=Count("id"))
        .order_by()
    )
    if not rows:
        return [], []
    weeks = sorted({row["week"] for row in rows})
    reps: dict[int, Curve] = {}
    team_sum: dict[date, Decimal] = {}
    team_count: dict[date, int] = {}
    names = {
        user.pk: str(user) for user in User.objects.filter(pk__in={row["owner_id"] for row in rows})
    }
    for row in rows:
        owner = row["owner_id"]
        curve = reps.setdefault(owner, Curve(names.get(owner, ""), owner, {}))
        rate = Decimal(row["rate"])
        curve.points[row["week"]] = rate.quantize(Decimal("0.1"))
        team_sum[row["week"]] = team_sum.get(row["week"], Decimal(0)) + rate * row["deals"]
        team_count[row["week"]] = team_count.get(row["week"], 0) + row["deals"]
    team = Curve(
        "",
        None,
        {w: (team_sum[w] / team_count[w]).quantize(Decimal("0.1")) for w in weeks},
    )
    return weeks, [team, *sorted(reps.values(), key=lambda c: c.name)]


def pipeline_report(
    *,
    user: Any,
    date_from: date,
    date_to: date,
    team: Team | None = None,
    as_of: date | None = None,
    with_curves: bool = True,
) -> PipelineReport:
    """The report; without the curves (`with_curves=False`, then `weeks` and `curves` are
    empty) for the page, which loads them on their own (`pipeline_curves`)."""
    today = as_of or timezone.localdate()
    deals = forecast_deals(user, team)
    everything = team is None and scope_for(user).sees_everything
    slipped_filter = _slipped_filter(deals, date_from, date_to, today)
    slipped = _slipped(deals, slipped_filter, today, everything)
    weeks, curves = _curves(deals, today, everything) if with_curves else ([], [])
    open_rows = _open_rows(deals, slipped_filter)
    return PipelineReport(
        date_from=date_from,
        date_to=date_to,
        team=team,
        as_of=today,
        funnel=_funnel(open_rows),
        flow=_flow(deals, date_from, date_to, everything),
        bands=_bands(open_rows),
        competitors=_competitors(deals, date_from, date_to),
        slipped=slipped,
        slipped_count=sum(row["slipped"] for row in open_rows),
        slipped_amount=sum((_money(row["slipped_amount"]) for row in open_rows), Decimal("0.00")),
        weeks=weeks,
        curves=curves,
    )


def pipeline_curves(
    *, user: Any, team: Team | None = None, as_of: date | None = None
) -> tuple[list[date], list[Curve]]:
    """The team curves of `pipeline_report` alone: the weeks and the team's curve, then each
    rep's by name."""
    deals = forecast_deals(user, team)
    everything = team is None and scope_for(user).sees_everything
    return _curves(deals, as_of or timezone.localdate(), everything)
