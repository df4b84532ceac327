"""MCI reads. Every query starts from `visible()`; boards cost a fixed number of queries."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import (
    Avg,
    Count,
    DecimalField,
    Exists,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from wuwei.core.config import method_config
from wuwei.core.visibility import get_visible, scope_for, visible
from wuwei.methodology.presales import (
    EffortAssignment,
    iso_week,
    presales_budget,
    split_effort_by_week,
    weekly_load,
)
from wuwei.methodology.scheduling import (
    Candidate,
    CandidateRequest,
    RankedCandidate,
    rank_candidates,
)
from wuwei.opportunities import partners
from wuwei.opportunities.models import OPEN_STAGES, Opportunity
from wuwei.org.models import User
from wuwei.org.permissions import Action, may, roles_may
from wuwei.support.models import (
    OPEN_REQUEST_STATES,
    Assignment,
    CreditSplit,
    LedgerEntry,
    PresalesRequest,
    Resource,
    StageOwner,
    StageScore,
)

MONEY: "DecimalField[Decimal, Decimal]" = DecimalField(max_digits=16, decimal_places=2)
_CENT = Decimal("0.01")


def money(value: Any) -> Decimal:
    """Two places: SQLite's SUM drops the scale of decimal columns."""
    return Decimal(value or 0).quantize(_CENT)


# ----------------------------------------------------------------------------------------
# pool


def resource_list(
    *, user: Any, skill: str | None = None, unit: int | None = None, archived: bool = False
) -> QuerySet[Resource]:
    qs = visible(Resource, user).select_related("user", "home_unit", "level")
    qs = qs.filter(archived_at__isnull=not archived)
    if skill:
        # Skills are stored as a JSON list of tags; the quoted tag matches one whole tag.
        qs = qs.filter(skills__icontains=f'"{skill.strip().lower()}"')
    if unit is not None:
        qs = qs.filter(home_unit_id=unit) if unit else qs.filter(home_unit__isnull=True)
    return qs


def resource_get(*, user: Any, id: int) -> Resource:
    return get_visible(resource_list(user=user), user, pk=id)


def resource_for_user(user: Any) -> Resource | None:
    return Resource.objects.filter(user=user, archived_at__isnull=True).first()


# ----------------------------------------------------------------------------------------
# requests, assignments, ledger


@dataclass(frozen=True, slots=True)
class RequestFilters:
    state: str | None = None
    queue: str | None = None
    opportunity: int | None = None
    unit: int | None = None
    open_only: bool = False


def request_list(*, user: Any, filters: RequestFilters | None = None) -> QuerySet[PresalesRequest]:
    filters = filters or RequestFilters()
    qs = visible(PresalesRequest, user).select_related(
        "opportunity", "opportunity__account", "unit", "requested_by"
    )
    exact = {
        "state": filters.state,
        "queue": filters.queue,
        "opportunity_id": filters.opportunity,
        "unit_id": filters.unit,
    }
    qs = qs.filter(**{k: v for k, v in exact.items() if v not in (None, "")})
    if filters.open_only:
        qs = qs.filter(state__in=OPEN_REQUEST_STATES)
    return qs


def request_get(*, user: Any, id: int) -> PresalesRequest:
    return get_visible(request_list(user=user), user, pk=id)


def assignment_list(
    *,
    user: Any,
    request: int | None = None,
    resource: int | None = None,
    opportunity: int | None = None,
    active: bool | None = None,
) -> QuerySet[Assignment]:
    qs = visible(Assignment, user).select_related(
        "request", "request__opportunity", "resource", "resource__user"
    )
    exact = {
        "request_id": request,
        "resource_id": resource,
        "request__opportunity_id": opportunity,
    }
    qs = qs.filter(**{k: v for k, v in exact.items() if v is not None})
    if active is not None:
        qs = qs.filter(cancelled_at__isnull=active)
    return qs


def assignment_get(*, user: Any, id: int) -> Assignment:
    return get_visible(assignment_list(user=user), user, pk=id)


def opportunity_get(*, user: Any, id: int) -> Opportunity:
    """A deal for its presales support and ledger: internal work, 404 for partner users."""
    partners.require_internal(user)
    return get_visible(
        visible(Opportunity, user).select_related("owner", "account", "team"), user, pk=id
    )


def ledger_list(*, opportunity: Opportunity) -> QuerySet[LedgerEntry]:
    """The caller has already resolved `opportunity` through `opportunity_get`."""
    return LedgerEntry.objects.filter(opportunity=opportunity).select_related(
        "created_by", "assignment__resource__user"
    )


@dataclass(frozen=True, slots=True)
class LedgerSummary:
    budget: Decimal
    charged: Decimal
    reversed: Decimal
    balance: Decimal  # charged + reversed (reversals are negative)
    remaining: Decimal
    days: Decimal

    @property
    def burn_percent(self) -> Decimal | None:
        if self.budget <= 0:
            return None
        return (self.balance * 100 / self.budget).quantize(Decimal("0.1"))


def ledger_summary(opportunity: Opportunity) -> LedgerSummary:
    sums = LedgerEntry.objects.filter(opportunity=opportunity).aggregate(
        charged=Coalesce(Sum("amount", filter=Q(kind="charge")), Value(0), output_field=MONEY),
        reversed=Coalesce(Sum("amount", filter=Q(kind="reversal")), Value(0), output_field=MONEY),
        days=Coalesce(Sum("days"), Value(0), output_field=MONEY),
    )
    budget = presales_budget(
        amount=opportunity.amount, grade=opportunity.grade, config=method_config().presales
    )
    charged, reversed_ = money(sums["charged"]), money(sums["reversed"])
    balance = charged + reversed_
    return LedgerSummary(
        budget=budget,
        charged=charged,
        reversed=reversed_,
        balance=balance,
        remaining=budget - balance,
        days=money(sums["days"]),
    )


@dataclass(frozen=True, slots=True)
class StagePathStep:
    stage: str
    label: str
    owner: Any
    is_current: bool
    is_done: bool


def stage_path(opportunity: Opportunity) -> list[StagePathStep]:
    """The seven stages with each one's accountable owner (§5.3 "shown on the stage path")."""
    from wuwei.opportunities.models import Stage

    owners = {
        row.stage: row.owner
        for row in StageOwner.objects.filter(
            opportunity=opportunity, left_at__isnull=True
        ).select_related("owner")
    }
    current = OPEN_STAGES.index(opportunity.stage) if opportunity.stage in OPEN_STAGES else 99
    return [
        StagePathStep(
            stage=stage,
            label=str(Stage(stage).label),
            owner=owners.get(stage),
            is_current=index == current,
            is_done=index < current,
        )
        for index, stage in enumerate(OPEN_STAGES)
    ]


# ----------------------------------------------------------------------------------------
# scheduling


def booked_assignments(
    resource_ids: list[int], start: date, end: date
) -> dict[int, list[EffortAssignment]]:
    """Live assignments per resource that touch the ISO weeks from `start` to `end` (whole
    weeks, since a week's load counts every assignment in it). One query."""
    rows = Assignment.objects.filter(
        resource_id__in=resource_ids,
        cancelled_at__isnull=True,
        start__lte=_monday(end) + timedelta(days=6),
        end__gte=_monday(start),
    ).values_list("resource_id", "start", "end", "days")
    booked: dict[int, list[EffortAssignment]] = defaultdict(list)
    for resource_id, s, e, d in rows:
        booked[resource_id].append(EffortAssignment(s, e, d))
    return booked


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def proposals(
    *, user: Any, request: PresalesRequest, limit: int = 5
) -> list[tuple[Resource, RankedCandidate]]:
    """The best-fitting people for a request (methodology.scheduling.rank_candidates)."""
    pool = list(resource_list(user=user))
    booked = booked_assignments([r.pk for r in pool], request.start, request.end)
    candidates = []
    for resource in pool:
        days: dict[str, Decimal] = defaultdict(Decimal)
        for assignment in booked.get(resource.pk, []):
            split = split_effort_by_week(assignment.start, assignment.end, assignment.days)
            for week, effort in split.items():
                days[week] += effort
        candidates.append(
            Candidate(
                resource_id=resource.pk,
                skills=frozenset(resource.skills),
                unit_id=resource.home_unit_id,
                capacity_days_per_week=resource.capacity_days_per_week,
                booked_days=dict(days),
            )
        )
    try:
        ranked = rank_candidates(
            CandidateRequest(
                skills=frozenset(request.skills),
                start=request.start,
                end=request.end,
                days=request.effort_days,
                unit_id=request.unit_id,
            ),
            candidates,
            config=method_config().presales,
            limit=limit,
        )
    except ValueError:  # a period without a working day: nobody can be proposed
        return []
    by_id = {r.pk: r for r in pool}
    return [(by_id[r.resource_id], r) for r in ranked]


@dataclass(frozen=True, slots=True)
class HeatMap:
    """Load per person × ISO week in percent (ECharts heatmap: [week index, person index,
    load])."""

    weeks: list[str]
    people: list[str]
    resource_ids: list[int]
    cells: list[list[Any]] = field(default_factory=list)


def load_heatmap(
    *,
    user: Any,
    start: date,
    weeks: int = 8,
    unit: int | None = None,
    resource_id: int | None = None,
) -> HeatMap:
    first = _monday(start)
    last = first + timedelta(weeks=weeks, days=-1)
    labels = [iso_week(first + timedelta(weeks=n)) for n in range(weeks)]
    people = resource_list(user=user, unit=unit)
    if resource_id is not None:
        people = people.filter(pk=resource_id)
    pool = list(people.order_by("home_unit__path", "user__username"))
    booked = booked_assignments([r.pk for r in pool], first, last)
    cells: list[list[Any]] = []
    for y, resource in enumerate(pool):
        load = weekly_load(booked.get(resource.pk, []), resource.capacity_days_per_week)
        for x, week in enumerate(labels):
            cells.append([x, y, float(load.get(week, Decimal(0)))])
    return HeatMap(
        weeks=labels,
        people=[str(r.user) for r in pool],
        resource_ids=[r.pk for r in pool],
        cells=cells,
    )


@dataclass(frozen=True, slots=True)
class BudgetBurn:
    opportunity: Opportunity
    budget: Decimal
    spent: Decimal

    @property
    def percent(self) -> Decimal | None:
        if self.budget <= 0:
            return None
        return (self.spent * 100 / self.budget).quantize(Decimal("0.1"))

    @property
    def is_over(self) -> bool:
        return self.spent > self.budget


def budget_burn(*, user: Any, limit: int = 50) -> list[BudgetBurn]:
    """Presales spend against budget for the visible deals that asked for support."""
    spent = (
        LedgerEntry.objects.filter(opportunity_id=OuterRef("pk"))
        .values("opportunity_id")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    has_requests = PresalesRequest.objects.filter(opportunity_id=OuterRef("pk"))
    deals = (
        visible(Opportunity, user)
        .filter(Exists(has_requests), archived_at__isnull=True)
        .select_related("account")
        .annotate(spent=Coalesce(Subquery(spent, output_field=MONEY), Value(0), output_field=MONEY))
        .order_by("-spent", "id")[:limit]
    )
    config = method_config().presales
    return [
        BudgetBurn(
            opportunity=deal,
            budget=presales_budget(amount=deal.amount, grade=deal.grade, config=config),
            spent=money(deal.spent),
        )
        for deal in deals
    ]


# ----------------------------------------------------------------------------------------
# performance (§5.4, §5.2 "return by rep, team and resource")


def _people_in_scope(user: Any) -> QuerySet[User]:
    """Whose performance the user may read: their own; a manager's or delivery lead's team
    subtree; everyone for executives and admins."""
    people = User.objects.filter(is_active=True)
    scope = scope_for(user)
    if scope.sees_everything:
        return people
    condition = Q(pk=user.pk)
    if user.team_id and may(user, Action.SUPPORT_PERFORMANCE_TEAM):
        condition |= Q(team__path__startswith=user.team.path)
    return people.filter(condition)


def _sum_of(queryset: QuerySet[Any], group: str, value: Any) -> QuerySet[Any]:
    """A correlated aggregate for `Subquery`: `value` over the rows grouped by `group`."""
    return queryset.values(group).annotate(result=value).values("result")[:1]


def performance_report(*, user: Any) -> QuerySet[User]:
    """One row per person with credited amount, scores received, days spent, cost and
    return (credited won amount / presales cost), all computed in SQL. Rows with nothing to
    report are left out."""
    credits = CreditSplit.objects.filter(user_id=OuterRef("pk"))
    scores = StageScore.objects.filter(participant_id=OuterRef("pk"))
    assignments = Assignment.objects.filter(
        resource__user_id=OuterRef("pk"), cancelled_at__isnull=True
    )
    ledger = LedgerEntry.objects.filter(assignment__resource__user_id=OuterRef("pk"))
    zero = Value(Decimal(0), output_field=MONEY)
    return (
        _people_in_scope(user)
        .select_related("team")
        .annotate(
            credited=Coalesce(
                Subquery(_sum_of(credits, "user_id", Sum("amount")), output_field=MONEY), zero
            ),
            credited_real=Coalesce(
                Subquery(
                    _sum_of(credits.filter(is_double_counted=False), "user_id", Sum("amount")),
                    output_field=MONEY,
                ),
                zero,
            ),
            deals_credited=Coalesce(
                Subquery(_sum_of(credits, "user_id", Count("id")), output_field=IntegerField()),
                Value(0),
            ),
            scores_received=Coalesce(
                Subquery(
                    _sum_of(scores, "participant_id", Count("id")), output_field=IntegerField()
                ),
                Value(0),
            ),
            score_average=Subquery(
                _sum_of(scores, "participant_id", Avg("score")), output_field=FloatField()
            ),
            days_spent=Coalesce(
                Subquery(
                    _sum_of(assignments, "resource__user_id", Sum("days")), output_field=MONEY
                ),
                zero,
            ),
            cost=Coalesce(
                Subquery(
                    _sum_of(ledger, "assignment__resource__user_id", Sum("amount")),
                    output_field=MONEY,
                ),
                zero,
            ),
        )
        .filter(
            Q(deals_credited__gt=0) | Q(scores_received__gt=0) | Q(days_spent__gt=0) | ~Q(cost=0)
        )
        .order_by("-credited", "username")
    )


def performance_return(row: Any) -> Decimal | None:
    """Won amount credited / presales cost; None when nothing was spent."""
    if not row.cost:
        return None
    return (Decimal(row.credited) / Decimal(row.cost)).quantize(_CENT)


# ----------------------------------------------------------------------------------------
# stage-exit scores owed (§5.4 "everyone assessed")


def prompts_for_scores(user: Any) -> bool:
    """Who is asked for stage-exit scores when a stage ends: a presales stage owner (the
    stage owner scores every participant; presales owners are prompted, issue 16)."""
    return roles_may(user.role_slugs, Action.SUPPORT_SCORE_PROMPT)


@dataclass(frozen=True, slots=True)
class PendingScores:
    """A stage the user owns, that the deal has left, with the participants not yet scored."""

    opportunity: Opportunity
    stage: str
    participants: list[User]

    @property
    def stage_label(self) -> str:
        from wuwei.opportunities.models import Stage

        return str(Stage(self.stage).label)


def _stage_left(opportunity: Opportunity, stage: str) -> bool:
    if opportunity.stage not in OPEN_STAGES:  # won or lost: every stage it reached is over
        return True
    return OPEN_STAGES.index(stage) < OPEN_STAGES.index(opportunity.stage)


def deal_participants_for(deals: list[Opportunity]) -> dict[int, set[int]]:
    """deal id → who takes part (owner, deal team, stage owners, assigned presales): the same
    people as `services.deal_participants`, for many deals in three queries."""
    from wuwei.opportunities.models import OpportunityMember

    ids = [deal.pk for deal in deals]
    found: dict[int, set[int]] = {deal.pk: {deal.owner_id} for deal in deals}
    rows = [
        *StageOwner.objects.filter(opportunity_id__in=ids).values_list(
            "opportunity_id", "owner_id"
        ),
        *OpportunityMember.objects.filter(opportunity_id__in=ids).values_list(
            "opportunity_id", "user_id"
        ),
        *Assignment.objects.filter(
            request__opportunity_id__in=ids, cancelled_at__isnull=True
        ).values_list("request__opportunity_id", "resource__user_id"),
    ]
    for deal_id, user_id in rows:
        found[deal_id].add(user_id)
    return found


def pending_scores(*, user: Any, opportunity_id: int | None = None) -> list[PendingScores]:
    """The stage-exit scores `user` owes: per stage they own that the deal has left, the
    participants (other than them) without a score for it. A fixed number of queries."""
    if not prompts_for_scores(user) or partners.is_partner(user):
        return []
    deals = visible(Opportunity, user).filter(archived_at__isnull=True)
    if opportunity_id is not None:
        deals = deals.filter(pk=opportunity_id)
    terms = [
        term
        for term in StageOwner.objects.filter(
            owner=user, left_at__isnull=True, opportunity__in=deals.values("pk")
        )
        .select_related("opportunity__account")
        .order_by("-opportunity__updated_at", "opportunity_id", "id")
        if term.stage in OPEN_STAGES and _stage_left(term.opportunity, term.stage)
    ]
    if not terms:
        return []
    opportunities = list({term.opportunity_id: term.opportunity for term in terms}.values())
    participants = deal_participants_for(opportunities)
    scored = set(
        StageScore.objects.filter(opportunity_id__in=[d.pk for d in opportunities]).values_list(
            "opportunity_id", "stage", "participant_id"
        )
    )
    wanted = {uid for ids in participants.values() for uid in ids} - {user.pk}
    people = {p.pk: p for p in User.objects.filter(pk__in=wanted).order_by("username")}
    found: list[PendingScores] = []
    for term in terms:
        deal = term.opportunity
        owed = [
            person
            for person in people.values()
            if person.pk in participants[deal.pk] and (deal.pk, term.stage, person.pk) not in scored
        ]
        if owed:
            found.append(PendingScores(opportunity=deal, stage=term.stage, participants=owed))
    return found


def scores_given(*, user: Any, opportunity: Opportunity) -> list[StageScore]:
    """The stage-exit scores `user` gave on this deal, in stage order."""
    scores = list(
        StageScore.objects.filter(opportunity=opportunity, scored_by=user).select_related(
            "participant"
        )
    )
    order = {stage: index for index, stage in enumerate(OPEN_STAGES)}
    return sorted(scores, key=lambda s: (order.get(s.stage, 99), s.participant.username))


@dataclass(frozen=True, slots=True)
class StageScoring:
    """How far the scoring of one left stage has gone: its owner, scored / to score."""

    stage: str
    owner: User
    scored: int
    total: int

    @property
    def stage_label(self) -> str:
        from wuwei.opportunities.models import Stage

        return str(Stage(self.stage).label)


def stage_scoring(*, opportunity: Opportunity) -> list[StageScoring]:
    """Per stage the deal has left with a presales owner: how many participants are scored
    (everyone assessed, §5.4). Three queries plus those of `deal_participants_for`."""
    terms = [
        term
        for term in StageOwner.objects.filter(opportunity=opportunity, left_at__isnull=True)
        .select_related("owner")
        .order_by("id")
        if term.stage in OPEN_STAGES and _stage_left(opportunity, term.stage)
    ]
    if not terms:
        return []
    participants = deal_participants_for([opportunity])[opportunity.pk]
    counts = dict(
        StageScore.objects.filter(opportunity=opportunity)
        .values("stage")
        .annotate(n=Count("id"))
        .values_list("stage", "n")
    )
    order = {stage: index for index, stage in enumerate(OPEN_STAGES)}
    return [
        StageScoring(
            stage=term.stage,
            owner=term.owner,
            scored=counts.get(term.stage, 0),
            total=len(participants - {term.owner_id}),
        )
        for term in sorted(terms, key=lambda t: order[t.stage])
        if prompts_for_scores(term.owner) and participants - {term.owner_id}
    ]
