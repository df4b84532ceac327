"""The scorecard's facts (METHOD.md §8), gathered by aggregate queries grouped by rep over the
records the viewer can see — a fixed number of queries whatever the number of rows.

What counts, per rep (the deals and accounts the rep owns) and period [from, to]:
- 道: accounts owned (archived left out), graded A/B, and nine-box movement: the class of the
  latest grading on or before the day before the period against the latest on or before `to`;
- 术: open deals and their amount (pipeline); forecast = Σ amount × win rate of rated open
  deals, unrated apart; won and lost = closed in the period; win rate = won ÷ closed;
- 本: approver and decision-maker roles mapped on the deals in play (open, or closed in the
  period) and those whose contact one of our employees knows (an enterprise connection);
- 势: presales days and cost posted in the period on the rep's deals; return = won amount ÷
  the presales cost ever charged to the deals won in the period; per resource: days booked on
  assignments starting in the period ÷ capacity over the period (utilisation), cost posted
  in the period, and won amount of the deals won in the period it worked on ÷ its cost on them;
- 律: rules that started firing in the period (risk findings) and rules overridden at stage
  gates in the period; rules kept = the third use at close;
- 三作用: closeness (account level, us) at the start (latest on or before `from`, else the
  first in the period) and end (latest on or before `to`) of the rep's KA accounts; positive
  approver/decision-maker roles on the deals in play of KA accounts; KA accounts whose plan of
  the year of `to` names its top competitors and is ahead of each; deals created in the
  period from plan actions or visits;
- 三利用: the uses recorded at the close of the deals closed in the period;
- collections: contract value of the deals won in the period and the payments received on
  them up to `to`.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import (
    BooleanField,
    Count,
    DecimalField,
    Exists,
    Expression,
    F,
    Func,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy

from wuwei.accounts.models import Account, AccountGrading, PlanCompetitor
from wuwei.core.visibility import visible
from wuwei.insights.scorecard.models import Contract, Payment
from wuwei.insights.scorecard.scope import Period
from wuwei.methodology.scorecard import (
    CENT,
    CoreFunctionFacts,
    CoreFunctions,
    Movement,
    Radar,
    RadarFacts,
    UseSummary,
    collection_rate,
    core_functions,
    nine_box_movement,
    percent,
    presales_return,
    radar,
    use_summary,
)
from wuwei.opportunities.models import OPEN_STAGES, Opportunity, Source, Stage
from wuwei.org.models import Segment, Team, User
from wuwei.people.models import (
    ClosenessSnapshot,
    Connection,
    DecisionParticipant,
    DecisionRole,
    RelationshipStatus,
)
from wuwei.playbook.models import RiskFinding, RiskOverride
from wuwei.support.models import Assignment, LedgerEntry, Resource

MONEY: "DecimalField[Decimal, Decimal]" = DecimalField(max_digits=20, decimal_places=2)
ZERO = Decimal(0)
DECIDER_ROLES = (DecisionRole.APPROVER, DecisionRole.DECISION_MAKER)
POSITIVE = (RelationshipStatus.POSITIVE, RelationshipStatus.STRONG_POSITIVE)
USES = ("connections", "solution", "rules")
#: The radar's axes, 道术本势律 (METHOD.md §8).
AXES = (
    gettext_lazy("Way (accounts)"),
    gettext_lazy("Craft (deals)"),
    gettext_lazy("Root (connections)"),
    gettext_lazy("Momentum (presales)"),
    gettext_lazy("Law (rules)"),
)


@dataclass
class Facts:
    """Raw counts and sums of one rep (or a team: the sum of its reps')."""

    accounts: int = 0
    accounts_ab: int = 0
    movement: list[tuple[str | None, str | None, int]] = field(default_factory=list)
    ka_accounts: int = 0
    ka_ahead: int = 0
    closeness: list[tuple[Decimal | None, Decimal | None]] = field(default_factory=list)
    open_deals: int = 0
    pipeline: Decimal = ZERO
    forecast: Decimal = ZERO
    unrated: int = 0
    won: int = 0
    won_amount: Decimal = ZERO
    lost: int = 0
    incubated: int = 0
    incubated_amount: Decimal = ZERO
    deciders: int = 0
    deciders_connected: int = 0
    ka_deciders: int = 0
    ka_deciders_positive: int = 0
    uses: dict[str, list[int]] = field(default_factory=lambda: {u: [0, 0, 0, 0] for u in USES})
    presales_days: Decimal = ZERO
    presales_cost: Decimal = ZERO
    won_cost: Decimal = ZERO
    rules_fired: int = 0
    rules_overridden: int = 0
    contracted: Decimal = ZERO
    collected: Decimal = ZERO

    @classmethod
    def total(cls, many: Iterable["Facts"]) -> "Facts":
        """The sum of `many` (a team's total: a thousand reps), field by field — the
        numbers added in order from the defaults, the lists joined in order."""
        lists, dicts, numbers = _FACT_FIELDS
        each = [facts.__dict__ for facts in many]
        result = cls()
        if not each:
            return result
        into = result.__dict__
        for name in lists:
            into[name] = [item for facts in each for item in facts[name]]
        for name in dicts:
            sums = into[name]
            for key, counts in sums.items():
                columns = zip(*(facts[name][key] for facts in each), strict=True)
                sums[key] = [
                    sum(column, start) for start, column in zip(counts, columns, strict=True)
                ]
        for name in numbers:
            into[name] = sum((facts[name] for facts in each), into[name])
        return result


def _fact_fields() -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """Facts' fields by kind (lists, dicts, numbers), told apart once from their defaults."""
    sample = Facts()
    names = [f.name for f in fields(Facts)]
    return (
        tuple(n for n in names if isinstance(getattr(sample, n), list)),
        tuple(n for n in names if isinstance(getattr(sample, n), dict)),
        tuple(n for n in names if not isinstance(getattr(sample, n), list | dict)),
    )


_FACT_FIELDS = _fact_fields()


@dataclass(frozen=True)
class Row:
    """One line of the scorecard: the raw facts and what the method computes from them."""

    user: User | None  # None: the team's total
    facts: Facts
    movement: Movement
    win_rate: Decimal | None
    coverage: Decimal | None
    presales_return: Decimal | None
    core: CoreFunctions
    uses: dict[str, UseSummary]
    collection_rate: Decimal | None
    radar: Radar

    @property
    def closed(self) -> int:
        return self.facts.won + self.facts.lost


@dataclass(frozen=True)
class ResourceRow:
    resource: Resource
    days: Decimal
    capacity_days: Decimal
    utilisation: Decimal | None
    cost: Decimal
    won_amount: Decimal
    won_cost: Decimal
    presales_return: Decimal | None


@dataclass(frozen=True)
class Scorecard:
    period: Period
    rows: list[Row]
    total: Row
    resources: list[ResourceRow]
    #: each rep's facts by user id, also when `rows` were not computed (a team's line sums them)
    facts: dict[int, Facts]

    @property
    def is_empty(self) -> bool:
        f = self.total.facts
        return not (
            f.accounts or f.open_deals or f.won or f.lost or f.presales_cost or f.rules_fired
        )


def _money(value: Any) -> Decimal:
    return Decimal(value or 0).quantize(CENT)


def during(field: str, period: Period) -> Q:
    """`field` (a datetime) falls on a day of the period, as a range the index can use (a
    cast to date on every row cannot)."""
    start = timezone.make_aware(datetime.combine(period.date_from, time.min))
    end = timezone.make_aware(datetime.combine(period.date_to + timedelta(days=1), time.min))
    return Q(**{f"{field}__gte": start, f"{field}__lt": end})


class OwnedBy(Expression):
    """`owner_id IN (the reps' ids)`, on PostgreSQL as one array parameter (`= ANY(%s)`): a
    company's thousand reps are then one value to bind in each query instead of a thousand
    placeholders to build, parse and plan (seconds over the scorecard's queries). The array
    travels as its text, written once: psycopg would otherwise dump the list of ids anew for
    each query (~1 ms per query for a thousand ids)."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, reps: list[User]) -> None:
        super().__init__()
        self.column = F("owner_id")
        self.ids = [rep.pk for rep in reps]
        self.array = "{" + ",".join(str(pk) for pk in self.ids) + "}"

    def get_source_expressions(self) -> list[Any]:
        return [self.column]

    def set_source_expressions(self, exprs: Sequence[Any]) -> None:
        (self.column,) = exprs

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        column, params = compiler.compile(self.column)
        if connection.vendor == "postgresql":
            # typed like the column, so the planner estimates it as it would the list
            return f"{column} = ANY(%s::bigint[])", (*params, self.array)
        placeholders = ", ".join(["%s"] * len(self.ids))
        return f"{column} IN ({placeholders})", (*params, *self.ids)


def team_deals(user: Any, reps: list[User], everyone: bool = False) -> QuerySet[Opportunity]:
    """The visible, unarchived deals owned by the reps. `everyone` (the reps are the whole
    company's, `Reach.everyone`): every visible deal, for queries that count by owner and
    keep the reps' counts — one pass over the deals without a thousand owners to probe."""
    deals = visible(Opportunity, user).filter(archived_at__isnull=True)
    return deals if everyone else deals.filter(OwnedBy(reps))


def team_accounts(user: Any, reps: list[User], everyone: bool = False) -> QuerySet[Account]:
    accounts = visible(Account, user).filter(archived_at__isnull=True)
    return accounts if everyone else accounts.filter(OwnedBy(reps))


def closed_in(period: Period) -> Q:
    return Q(stage__in=(Stage.WON, Stage.LOST), closed_on__range=(period.date_from, period.date_to))


def in_play(period: Period, prefix: str = "") -> Q:
    """Open deals, and deals closed in the period."""
    open_ = Q(**{f"{prefix}stage__in": OPEN_STAGES})
    closed = Q(
        **{
            f"{prefix}stage__in": (Stage.WON, Stage.LOST),
            f"{prefix}closed_on__range": (period.date_from, period.date_to),
        }
    )
    return open_ | closed


def _class_at(day: date) -> Subquery:
    gradings = AccountGrading.objects.filter(
        account_id=OuterRef("pk"),
        archived_at__isnull=True,
        created_at__lt=timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min)),
    ).order_by("-created_at", "-id")
    return Subquery(gradings.values("account_class")[:1])


def ahead_of_top_competitors(year: int) -> Q:
    """The account's plan of `year` names its top competitors and is ahead of each (§2.5)."""
    named = PlanCompetitor.objects.filter(
        plan__account_id=OuterRef("pk"),
        plan__year=year,
        plan__archived_at__isnull=True,
        archived_at__isnull=True,
    )
    return Q(Exists(named)) & ~Q(Exists(named.filter(is_ahead=False)))


def annotate_accounts(accounts: QuerySet[Account], period: Period) -> QuerySet[Account]:
    return accounts.annotate(
        class_start=_class_at(period.date_from - timedelta(days=1)),
        class_end=_class_at(period.date_to),
    )


def _accounts(facts: dict[int, Facts], accounts: QuerySet[Account], period: Period) -> None:
    rows = (
        annotate_accounts(accounts, period)
        .annotate(ahead=ahead_of_top_competitors(period.date_to.year))
        .values("owner_id", "grade", "segment", "ahead", "class_start", "class_end")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in rows:
        f = facts[row["owner_id"]]
        n = row["n"]
        f.accounts += n
        f.accounts_ab += n if row["grade"] in ("A", "B") else 0
        f.movement.append((row["class_start"] or None, row["class_end"] or None, n))
        if row["segment"] == Segment.KA:
            f.ka_accounts += n
            f.ka_ahead += n if row["ahead"] else 0


def _closeness(day_filter: Q, order: str) -> Subquery:
    snapshots = ClosenessSnapshot.objects.filter(
        day_filter, account_id=OuterRef("pk"), opportunity__isnull=True, competitor__isnull=True
    ).order_by(order, "-id" if order.startswith("-") else "id")
    return Subquery(snapshots.values("value")[:1])


def _closeness_pairs(facts: dict[int, Facts], accounts: QuerySet[Account], period: Period) -> None:
    rows = (
        accounts.filter(segment=Segment.KA)
        .annotate(
            start=Coalesce(
                _closeness(Q(recorded_on__lte=period.date_from), "-recorded_on"),
                _closeness(Q(recorded_on__range=(period.date_from, period.date_to)), "recorded_on"),
            ),
            end=_closeness(Q(recorded_on__lte=period.date_to), "-recorded_on"),
        )
        # counted by owner and pair: accounts measured alike (or not at all) are one row
        .values_list("owner_id", "start", "end")
        .annotate(n=Count("id"))
        .order_by()
    )
    for owner_id, start, end, n in rows:
        facts[owner_id].closeness.extend([(start, end)] * n)


def _deals(facts: dict[int, Facts], deals: QuerySet[Opportunity], period: Period) -> None:
    """One pass over the deals, each counted where its filter says. No WHERE repeating the
    filters: over a company's deals (nearly all of which count) evaluating them twice per row
    costs more than the rows they would leave out; a rep without a counted deal is skipped
    below as if absent. An unrated deal's amount × win rate is null, left out of the sum, and
    the unrated are the open deals less those with a win rate: fewer filters per row."""
    is_open = Q(stage__in=OPEN_STAGES)
    won = Q(stage=Stage.WON, closed_on__range=(period.date_from, period.date_to))
    lost = Q(stage=Stage.LOST, closed_on__range=(period.date_from, period.date_to))
    incubated = Q(during("created_at", period), source__in=(Source.PLAN, Source.VISIT))
    rows = (
        deals.values("owner_id")
        .annotate(
            open_deals=Count("id", filter=is_open),
            pipeline=Sum("amount", filter=is_open),
            forecast=Sum(F("amount") * F("win_rate"), filter=is_open),
            rated=Count("win_rate", filter=is_open),
            won=Count("id", filter=won),
            won_amount=Sum("amount", filter=won),
            lost=Count("id", filter=lost),
            incubated=Count("id", filter=incubated),
            incubated_amount=Sum("amount", filter=incubated),
        )
        .order_by()
    )
    for row in rows:
        if not (row["open_deals"] or row["won"] or row["lost"] or row["incubated"]):
            continue
        f = facts[row["owner_id"]]
        f.open_deals = row["open_deals"]
        f.pipeline = _money(row["pipeline"])
        f.forecast = (_money(row["forecast"]) / 100).quantize(Decimal("0.01"))
        f.unrated = row["open_deals"] - row["rated"]
        f.won, f.lost = row["won"], row["lost"]
        f.won_amount = _money(row["won_amount"])
        f.incubated = row["incubated"]
        f.incubated_amount = _money(row["incubated_amount"])


def deciders_in_play(deals: QuerySet[Opportunity], period: Period) -> QuerySet[DecisionParticipant]:
    return DecisionParticipant.objects.filter(
        opportunity__in=deals.filter(in_play(period)).values("pk"),
        archived_at__isnull=True,
        decision_role__in=DECIDER_ROLES,
    )


def has_connection() -> Exists:
    return Exists(
        Connection.objects.filter(contact_id=OuterRef("contact_id"), archived_at__isnull=True)
    )


def _deciders(facts: dict[int, Facts], deals: QuerySet[Opportunity], period: Period) -> None:
    ka = Q(opportunity__account__segment=Segment.KA)
    rows = (
        deciders_in_play(deals, period)
        .annotate(connected=has_connection())
        .values("opportunity__owner_id")
        .annotate(
            total=Count("id"),
            connected_count=Count("id", filter=Q(connected=True)),
            ka_total=Count("id", filter=ka),
            ka_positive=Count("id", filter=ka & Q(relationship_status__in=POSITIVE)),
        )
        .order_by()
    )
    for row in rows:
        f = facts[row["opportunity__owner_id"]]
        f.deciders, f.deciders_connected = row["total"], row["connected_count"]
        f.ka_deciders, f.ka_deciders_positive = row["ka_total"], row["ka_positive"]


def _uses_at_close(facts: dict[int, Facts], deals: QuerySet[Opportunity], period: Period) -> None:
    """三利用 over the deals closed in the period, read through the deal's one-to-one record
    of its close: the closed deals counted by owner, outcome and the three uses (a few rows
    per rep), apart from the pass over every open deal that would otherwise join them all."""
    close = "uses_at_close__"
    rows = (
        deals.filter(
            closed_in(period),
            **{f"{close}closed_on__range": (period.date_from, period.date_to)},
            **{f"{close}outcome__in": (Stage.WON, Stage.LOST)},
        )
        .values_list("owner_id", f"{close}outcome", *(f"{close}{use}_used" for use in USES))
        .annotate(n=Count("id"))
        .order_by()
    )
    for owner_id, outcome, *used, n in rows:
        counts = facts[owner_id].uses
        for use, was_used in zip(USES, used, strict=True):
            kind = (
                f"{'won' if outcome == Stage.WON else 'lost'}_{'using' if was_used else 'without'}"
            )
            counts[use][_USE_KEYS.index(kind)] += n


def _presales(facts: dict[int, Facts], deals: QuerySet[Opportunity], period: Period) -> None:
    posted = during("created_at", period)
    won = Q(
        opportunity__stage=Stage.WON,
        opportunity__closed_on__range=(period.date_from, period.date_to),
    )
    rows = (
        LedgerEntry.objects.filter(posted | won, opportunity__in=deals.values("pk"))
        .values("opportunity__owner_id")
        .annotate(
            days=Sum("days", filter=posted),
            cost=Sum("amount", filter=posted),
            won_cost=Sum("amount", filter=won),
        )
        .order_by()
    )
    for row in rows:
        f = facts[row["opportunity__owner_id"]]
        f.presales_days = _money(row["days"])
        f.presales_cost = _money(row["cost"])
        f.won_cost = _money(row["won_cost"])


def _rules(facts: dict[int, Facts], deals: QuerySet[Opportunity], period: Period) -> None:
    fired = (
        RiskFinding.objects.filter(
            during("first_seen_at", period), opportunity__in=deals.values("pk")
        )
        .values_list("opportunity__owner_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    for owner_id, n in fired:
        facts[owner_id].rules_fired = n
    overridden = (
        RiskOverride.objects.filter(
            during("created_at", period), opportunity__in=deals.values("pk")
        )
        .values_list("opportunity__owner_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    for owner_id, n in overridden:
        facts[owner_id].rules_overridden = n


def won_in(period: Period) -> Q:
    return Q(stage=Stage.WON, closed_on__range=(period.date_from, period.date_to))


def _collections(facts: dict[int, Facts], deals: QuerySet[Opportunity], period: Period) -> None:
    won = deals.filter(won_in(period)).values("pk")
    contracted = (
        Contract.objects.filter(opportunity__in=won, archived_at__isnull=True)
        .values_list("opportunity__owner_id")
        .annotate(total=Sum("value"))
        .order_by()
    )
    for owner_id, total in contracted:
        facts[owner_id].contracted = _money(total)
    collected = (
        Payment.objects.filter(
            opportunity__in=won, archived_at__isnull=True, received_on__lte=period.date_to
        )
        .values_list("opportunity__owner_id")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    for owner_id, total in collected:
        facts[owner_id].collected = _money(total)


def _row(user: User | None, f: Facts) -> Row:
    movement = nine_box_movement(f.movement)
    uses = {use: use_summary(**dict(zip(_USE_KEYS, f.uses[use], strict=True))) for use in USES}
    core = core_functions(
        CoreFunctionFacts(
            closeness=f.closeness,
            deciders=f.ka_deciders,
            deciders_positive=f.ka_deciders_positive,
            ka_accounts=f.ka_accounts,
            ka_ahead=f.ka_ahead,
            incubated_count=f.incubated,
            incubated_amount=f.incubated_amount,
        )
    )
    rules_kept = f.uses["rules"][0] + f.uses["rules"][2]
    classified = movement.improved + movement.declined + movement.held + movement.new
    return Row(
        user=user,
        facts=f,
        movement=movement,
        win_rate=percent(f.won, f.won + f.lost),
        coverage=percent(f.deciders_connected, f.deciders),
        presales_return=presales_return(f.won_amount, f.won_cost),
        core=core,
        uses=uses,
        collection_rate=collection_rate(f.collected, f.contracted),
        radar=radar(
            RadarFacts(
                classified=classified,
                declined=movement.declined,
                won=f.won,
                closed=f.won + f.lost,
                closed_recorded=sum(f.uses["rules"]),
                deciders=f.deciders,
                deciders_connected=f.deciders_connected,
                won_amount=f.won_amount,
                presales_cost=f.won_cost,
                # only deals whose uses were recorded at the close count for 律
                closed_rules_used=rules_kept,
            )
        ),
    )


_USE_KEYS = ("won_using", "won_without", "lost_using", "lost_without")


def _resources(user: Any, deals: QuerySet[Opportunity], period: Period) -> list[ResourceRow]:
    team = deals.values("pk")
    span = (period.date_from, period.date_to)
    assignments = Assignment.objects.filter(
        resource_id=OuterRef("pk"), cancelled_at__isnull=True, request__opportunity__in=team
    )
    booked = assignments.filter(start__range=span)
    ledger = LedgerEntry.objects.filter(
        assignment__resource_id=OuterRef("pk"), opportunity__in=team
    )
    won_deals = deals.filter(won_in(period))
    worked = Assignment.objects.filter(
        resource_id=OuterRef(OuterRef("pk")),
        cancelled_at__isnull=True,
        request__opportunity_id=OuterRef("pk"),
    )
    zero = Value(ZERO, output_field=MONEY)

    def total(queryset: QuerySet[Any], group: str, value: Any) -> Any:
        return Coalesce(
            Subquery(
                queryset.order_by().values(group).annotate(t=value).values("t")[:1],
                output_field=MONEY,
            ),
            zero,
        )

    rows = (
        visible(Resource, user)
        .select_related("user")
        .annotate(
            days=total(booked, "resource_id", Sum("days")),
            cost=total(
                ledger.filter(during("created_at", period)),
                "assignment__resource_id",
                Sum("amount"),
            ),
            won_cost=total(
                ledger.filter(opportunity__in=won_deals.values("pk")),
                "assignment__resource_id",
                Sum("amount"),
            ),
            # one SUM over the won deals it worked on (no GROUP BY: each deal counts once)
            won_amount=Coalesce(
                Subquery(
                    won_deals.filter(Exists(worked))
                    .order_by()
                    .annotate(t=Func(F("amount"), function="SUM", output_field=MONEY))
                    .values("t")[:1],
                    output_field=MONEY,
                ),
                zero,
            ),
        )
        .filter(~Q(days=0) | ~Q(cost=0) | ~Q(won_cost=0))
        .order_by("user__username")
    )
    weeks = Decimal((period.date_to - period.date_from).days + 1) / 7
    result = []
    for r in rows:
        capacity = (r.capacity_days_per_week * weeks).quantize(Decimal("0.1"))
        result.append(
            ResourceRow(
                resource=r,
                days=_money(r.days),
                capacity_days=capacity,
                utilisation=percent(_money(r.days), capacity) if capacity else None,
                cost=_money(r.cost),
                won_amount=_money(r.won_amount),
                won_cost=_money(r.won_cost),
                presales_return=presales_return(_money(r.won_amount), _money(r.won_cost)),
            )
        )
    return result


def scorecard(
    *,
    user: Any,
    reps: list[User],
    period: Period,
    rows: bool = True,
    resources: bool = True,
    everyone: bool = False,
) -> Scorecard:
    """The scorecard rows of `reps` (already limited to what the viewer may read) with the
    team's total and the presales resources that worked on their deals. Without `rows` only
    the total is computed (the home page's brief); without `resources` the resources are left
    out (a team's rows opened on the page). `everyone` (`Reach.everyone`: the reps are the
    whole company's): the counts by owner read every visible record and keep the reps' —
    the same numbers without a thousand owners in each query."""
    facts: dict[int, Facts] = defaultdict(Facts)
    deals = team_deals(user, reps, everyone)
    accounts = team_accounts(user, reps, everyone)
    _accounts(facts, accounts, period)
    _closeness_pairs(facts, accounts, period)
    _deals(facts, deals, period)
    _uses_at_close(facts, deals, period)
    _deciders(facts, deals, period)
    _presales(facts, deals, period)
    _rules(facts, deals, period)
    _collections(facts, deals, period)
    # a defaultdict: a rep without any row has empty facts; other owners' rows are left out
    mine = {rep.pk: facts[rep.pk] for rep in reps}
    return Scorecard(
        period=period,
        rows=[_row(rep, mine[rep.pk]) for rep in reps] if rows else [],
        total=_row(None, Facts.total(mine.values())),
        # the resources' sums are not by owner: over the reps' own deals
        resources=_resources(user, team_deals(user, reps), period) if resources else [],
        facts=mine,
    )


@dataclass(frozen=True)
class Line:
    """A line of the scorecard table: a rep's row, or a sub-team's (the sum of the rows of
    the reps in its subtree), whose own lines open on demand."""

    row: Row
    team: Team | None = None


def scorecard_lines(
    card: Scorecard, team: Team | None, limit: int, reps: Sequence[User] | None = None
) -> list[Line]:
    """The first level of the table: every rep when there are at most `limit`; else the
    sub-teams of `team` (every root team without one), each the sum of its reps' facts, then
    the reps directly in `team`. Summed from the facts already read: one query for the
    sub-teams' names, whatever the number of reps. `reps` (with their team): the reps of a
    scorecard computed without its rows — only the lines shown are then made into rows."""
    rows = {row.user.pk: row for row in card.rows if row.user is not None}
    people = list(reps) if reps is not None else [row.user for row in card.rows if row.user]

    def line(rep: User) -> Line:
        row = rows.get(rep.pk)
        return Line(row if row is not None else _row(rep, card.facts[rep.pk]))

    if len(people) <= limit:
        return [line(rep) for rep in people]
    base = team.path if team is not None else "/"
    direct: list[Line] = []
    members: dict[int, list[Facts]] = {}
    for rep in people:
        path = rep.team.path if rep.team is not None else ""
        rest = path[len(base) :] if path.startswith(base) else ""
        if not rest:
            direct.append(line(rep))
            continue
        members.setdefault(int(rest.split("/", 1)[0]), []).append(card.facts[rep.pk])
    if not members:
        return direct
    teams = Team.objects.filter(pk__in=members).order_by("name", "pk")
    return [Line(_row(None, Facts.total(members[t.pk])), t) for t in teams] + direct
