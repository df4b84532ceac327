"""Opportunity, deal-competitor and registration reads. Every query starts from `visible()`; totals
and board columns are aggregated in the database, so they cost the same at 100 or 100,000
deals and never count a row the viewer may not see."""

import calendar
import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from wuwei.accounts.models import Account
from wuwei.competitors.models import CompetitorPrice
from wuwei.competitors.selectors import Record
from wuwei.core.errors import ValidationFailed
from wuwei.core.visibility import InIds, get_visible, visible
from wuwei.opportunities import partners
from wuwei.opportunities.models import (
    OPEN_STAGES,
    Grade,
    Opportunity,
    OpportunityCompetitor,
    OpportunityMember,
    PartnerRegistration,
    ProductLine,
    RegistrationStatus,
    Stage,
    StageHistory,
    StageTemplate,
)

CENT = Decimal("0.01")
OPPORTUNITY_SORTS = ("name", "-amount", "amount", "-updated_at", "created_at", "-created_at")


def stage_names() -> dict[str, str]:
    """Stage slug → name in the current language, from the configured template."""
    names = {str(value): str(label) for value, label in Stage.choices}
    for template in StageTemplate.objects.all():
        names[template.stage] = template.text("name")
    return names


def stage_template() -> list[StageTemplate]:
    return list(StageTemplate.objects.order_by("number"))


# ----------------------------------------------------------------------------------------
# opportunities


@dataclass(frozen=True, slots=True)
class OpportunityFilters:
    q: str | None = None
    stage: str | None = None
    status: str | None = None  # open / won / lost / closed
    grade: str | None = None
    track: str | None = None
    owner: str | None = None  # "me" or a user id
    member: str | None = None  # deal-team member: "me" or a user id
    team: int | None = None  # owning team and its sub-teams
    account: int | None = None
    partner: int | None = None
    competitor: int | None = None
    close_from: date | None = None
    close_to: date | None = None
    close_period: str | None = None  # 2027, 2027-Q1 or 2027-03
    archived: bool = False


def close_period_range(period: str) -> tuple[date, date]:
    """`2027` → the year, `2027-Q2` → the quarter, `2027-05` → the month (inclusive)."""
    text = period.strip().upper()
    if match := re.fullmatch(r"(\d{4})", text):
        year = int(match[1])
        return date(year, 1, 1), date(year, 12, 31)
    if match := re.fullmatch(r"(\d{4})-Q([1-4])", text):
        year, quarter = int(match[1]), int(match[2])
        first = 3 * quarter - 2
        return date(year, first, 1), date(year, first + 2, calendar.monthrange(year, first + 2)[1])
    if match := re.fullmatch(r"(\d{4})-(\d{2})", text):
        year, month = int(match[1]), int(match[2])
        if 1 <= month <= 12:
            return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
    raise ValidationFailed(
        _("close_period is a year (2027), a quarter (2027-Q1) or a month (2027-03)."),
        [("close_period", _("invalid"))],
    )


def _user_filter(user: Any, value: str, field: str) -> Q:
    if value == "me":
        return Q(**{field: user.pk})
    return Q(**{field: int(value)}) if value.isdigit() else Q(pk__in=[])


def _status_filter(status: str) -> Q:
    return {
        "open": Q(stage__in=OPEN_STAGES),
        "won": Q(stage=Stage.WON),
        "lost": Q(stage=Stage.LOST),
        "closed": Q(stage__in=[Stage.WON, Stage.LOST]),
    }.get(status, Q())


def opportunity_list(
    *, user: Any, filters: OpportunityFilters, columns: Sequence[str] | None = None
) -> QuerySet[Opportunity]:
    """Visible deals matching `filters` (a partner user's filters on internal fields are
    ignored: `partners.visible_filters`); as values() rows of `columns` when given."""
    filters = partners.visible_filters(user, filters)
    if columns is None:
        qs = visible(Opportunity, user).select_related(
            "account", "owner", "team", "partner", "registration"
        )
    else:
        qs = visible(_rows(tuple(columns)), user)
    qs = qs.filter(archived_at__isnull=not filters.archived)
    if filters.q:
        qs = opportunity_search(qs, filters.q)
    if filters.owner:
        qs = qs.filter(_user_filter(user, filters.owner, "owner_id"))
    if filters.member:
        members = OpportunityMember.objects.filter(_user_filter(user, filters.member, "user_id"))
        qs = qs.filter(pk__in=members.values("opportunity_id"))
    if filters.team:
        qs = qs.filter(team__path__startswith=_team_path(filters.team))
    if filters.status:
        qs = qs.filter(_status_filter(filters.status))
    if filters.competitor:
        links = OpportunityCompetitor.objects.filter(competitor_id=filters.competitor)
        qs = qs.filter(pk__in=links.values("opportunity_id"))
    close_from, close_to = filters.close_from, filters.close_to
    if filters.close_period:
        close_from, close_to = close_period_range(filters.close_period)
    if close_from:
        qs = qs.filter(expected_close__gte=close_from)
    if close_to:
        qs = qs.filter(expected_close__lte=close_to)
    exact = {
        "stage": filters.stage,
        "grade": filters.grade,
        "track": filters.track,
        "account_id": filters.account,
        "partner_id": filters.partner,
    }
    return qs.filter(**{k: v for k, v in exact.items() if v not in (None, "")})


def opportunity_search(queryset: QuerySet[Opportunity], text: str) -> QuerySet[Opportunity]:
    """Deals with `text` in their name or their customer's name. Both compare an indexed
    column (trigram indexes on PostgreSQL, issue #17): the customer by its own name, not
    through a join."""
    customers = Account.objects.filter(name__icontains=text).values("pk")
    return queryset.filter(Q(name__icontains=text) | Q(InIds("account_id", customers)))


def _team_path(team_id: int) -> str:
    from wuwei.org.models import Team

    path = Team.objects.filter(pk=team_id).values_list("path", flat=True).first()
    return path or "/-/"  # an unknown team matches nothing


def opportunity_get(*, user: Any, id: int) -> Opportunity:
    qs = visible(Opportunity, user).select_related(
        "account", "owner", "team", "partner", "winning_competitor", "registration"
    )
    return get_visible(qs.prefetch_related("products"), user, pk=id)


@functools.cache
def _rows(columns: tuple[str, ...]) -> QuerySet[Any, Any]:
    """`Opportunity.objects.values(*columns)`, set up once per column list: resolving the 35
    columns of a deal item through their joins took a quarter of a millisecond per request
    (issue #17). Callers only chain it (every filter and get clones it), so it is never
    evaluated and holds no rows."""
    return Opportunity.objects.values(*columns)


def opportunity_row(*, user: Any, id: int, columns: Sequence[str]) -> dict[str, Any]:
    """`columns` of one visible deal as a values() row (NotFound when absent or hidden)."""
    row: dict[str, Any] = get_visible(_rows(tuple(columns)), user, pk=id)
    return row


def opportunity_written_row(*, id: int, columns: Sequence[str]) -> dict[str, Any]:
    """`columns` of the deal a write just made or changed, read by its id: the writer sees
    what they wrote even when the write moved it out of their sight (`core.api.written`)."""
    row: dict[str, Any] = _rows(tuple(columns)).get(pk=id)
    return row


@functools.cache
def _product_links() -> QuerySet[Any, tuple[int, str]]:
    """(deal id, product line code) in the product lines' order; set up once, only chained."""
    return Opportunity.products.through.objects.order_by(
        "productline__order", "productline__code"
    ).values_list("opportunity_id", "productline__code")


def product_codes(ids: Sequence[int]) -> dict[int, list[str]]:
    """Each deal's product line codes, in the product lines' order (one query)."""
    codes: dict[int, list[str]] = {}
    if ids:
        for deal_id, code in _product_links().filter(opportunity_id__in=ids):
            codes.setdefault(deal_id, []).append(code)
    return codes


def opportunity_for_update(*, user: Any, id: int) -> Opportunity:
    """The visible deal with its row locked (SELECT … FOR UPDATE) until the caller's
    transaction ends: a write reads the row it changes once (the services' `row_locked`)."""
    locked = Opportunity.objects.select_for_update(of=("self",))
    deal: Opportunity = get_visible(locked, user, pk=id)
    return deal


def internal_opportunity_get(*, user: Any, id: int) -> Opportunity:
    """The deal for internal work on it (strategy, coaching, tabs): 404 for partner users."""
    partners.require_internal(user)
    return opportunity_get(user=user, id=id)


@dataclass(frozen=True, slots=True)
class Total:
    key: str
    label: str
    count: int
    amount: Decimal


@dataclass(frozen=True, slots=True)
class Totals:
    by_stage: list[Total]
    by_grade: list[Total]
    count: int
    amount: Decimal


def _grouped(qs: QuerySet[Opportunity], field_name: str) -> dict[str, tuple[int, Decimal]]:
    rows = qs.order_by().values(field_name).annotate(n=Count("id"), total=Sum("amount"))
    return {row[field_name]: (row["n"], _money(row["total"])) for row in rows}


def _money(value: Decimal | int | None) -> Decimal:
    """SQLite sums lose the two places PostgreSQL keeps; money is always shown with two."""
    return Decimal(value or 0).quantize(CENT)


def opportunity_totals(qs: QuerySet[Opportunity]) -> Totals:
    """Count and amount by stage and by grade: one GROUP BY stage, grade (issue #17: one scan
    of the deals instead of two), folded both ways here."""
    names = stage_names()
    by_stage: dict[str, tuple[int, Decimal]] = {}
    by_grade: dict[str, tuple[int, Decimal]] = {}
    rows = qs.order_by().values("stage", "grade").annotate(n=Count("id"), total=Sum("amount"))
    for row in rows:
        amount = _money(row["total"])
        for totals, key in ((by_stage, row["stage"]), (by_grade, row["grade"])):
            count, total = totals.get(key, (0, _money(0)))
            totals[key] = (count + row["n"], total + amount)
    stages = [Total(s, names[s], *by_stage.get(s, (0, _money(0)))) for s in Stage.values]
    grades = [Total(g, g, *by_grade.get(g, (0, _money(0)))) for g in Grade.values]
    return Totals(
        by_stage=stages,
        by_grade=grades,
        count=sum(t.count for t in stages),
        amount=sum((t.amount for t in stages), _money(0)),
    )


@dataclass(frozen=True, slots=True)
class Column:
    stage: str
    name: str
    count: int
    amount: Decimal
    cards: list[Opportunity] = field(default_factory=list)

    @property
    def is_open(self) -> bool:
        return self.stage in OPEN_STAGES


def board_columns(*, user: Any, filters: OpportunityFilters, per_column: int = 25) -> list[Column]:
    """One column per stage with its count and amount, and its largest `per_column` deals.
    A fixed number of queries whatever the number of deals: the template names, the totals
    (one GROUP BY), and one query per stage that walks the (stage, amount) index and stops
    after `per_column` rows. (One window-function query instead sorts every visible deal:
    1.4 s at 100k on SQLite against about 0.1 s for these.)"""
    names = stage_names()
    qs = opportunity_list(user=user, filters=filters)
    totals = _grouped(qs, "stage")
    columns = []
    for stage in Stage.values:
        count, amount = totals.get(stage, (0, _money(0)))
        cards: list[Opportunity] = []
        if per_column > 0 and count:
            cards = list(qs.filter(stage=stage).order_by("-amount", "-id")[:per_column])
        columns.append(Column(stage, names[stage], count, amount, cards=cards))
    return columns


#: The order of a deal's stage history (oldest first), its team (by role, then username)
#: and its competitors (the primary one first, then by name); the API pages through them in
#: the same order.
STAGE_HISTORY_ORDER = ("entered_at", "id")
MEMBER_ORDER = ("role", "member_name", "id")
DEAL_COMPETITOR_ORDER = ("-is_primary", "competitor_name", "id")


def stage_history(*, opportunity: Opportunity) -> QuerySet[StageHistory]:
    return (
        StageHistory.objects.filter(opportunity=opportunity)
        .select_related("entered_by", "left_by")
        .order_by(*STAGE_HISTORY_ORDER)
    )


def opportunity_members(*, opportunity: Opportunity) -> QuerySet[OpportunityMember]:
    return (
        OpportunityMember.objects.filter(opportunity=opportunity)
        .select_related("user")
        .annotate(member_name=F("user__username"))
        .order_by(*MEMBER_ORDER)
    )


def opportunity_competitors(*, opportunity: Opportunity) -> QuerySet[OpportunityCompetitor]:
    return (
        OpportunityCompetitor.objects.filter(opportunity=opportunity)
        .select_related("competitor")
        .annotate(competitor_name=F("competitor__name"))
        .order_by(*DEAL_COMPETITOR_ORDER)
    )


def product_lines(codes: list[str] | None) -> list[ProductLine] | None:
    """The product lines with these codes, in the order given; ValidationFailed if unknown."""
    if codes is None:
        return None
    found = {p.code: p for p in ProductLine.objects.filter(code__in=codes)}
    unknown = [c for c in codes if c not in found]
    if unknown:
        raise ValidationFailed(
            _("Unknown product lines: %(codes)s.") % {"codes": ", ".join(unknown)},
            [("products", _("unknown: %(codes)s") % {"codes": ", ".join(unknown)})],
        )
    return [found[c] for c in dict.fromkeys(codes)]


# ----------------------------------------------------------------------------------------
# competitors on deals (the competitor reads themselves are `competitors.selectors`)


def account_open_pipeline(user: Any, account_ids: list[int]) -> tuple[Decimal, int]:
    """Amount and number of the open deals on these customers that `user` can see (one
    aggregate; the group roll-up of `accounts.selectors.account_rollup`)."""
    pipeline = (
        visible(Opportunity, user)
        .filter(account_id__in=account_ids, archived_at__isnull=True, stage__in=OPEN_STAGES)
        .aggregate(total=Sum("amount"), count=Count("id"))
    )
    return pipeline["total"] or Decimal(0), pipeline["count"] or 0


def account_deals(user: Any, account: Any) -> QuerySet[Opportunity]:
    """The live deals on a customer that `user` can see (the account's deals tab)."""
    return (
        visible(Opportunity, user)
        .filter(account=account, archived_at__isnull=True)
        .select_related("owner")
    )


def account_incubated(account: Any, year: int) -> tuple[int, Decimal]:
    """Deals created on the customer in `year`: count and amount (ESP+ evaluation, §2.9)."""
    incubated = Opportunity.objects.filter(
        account=account, archived_at__isnull=True, created_at__year=year
    ).aggregate(count=Count("id"), amount=Sum("amount"))
    return incubated["count"] or 0, incubated["amount"] or Decimal(0)


def competitor_records(*, user: Any, competitor_ids: list[int]) -> dict[int, Record]:
    """Win/loss per competitor in one GROUP BY query (registered with
    `competitors.selectors.register_record_source` by `OpportunitiesConfig.ready()`)."""
    key = "competitor_links__competitor"
    rows = (
        visible(Opportunity, user)
        .filter(archived_at__isnull=True, **{f"{key}__in": competitor_ids})
        .order_by()
        .values(key)
        .annotate(
            open=Count("id", filter=Q(stage__in=OPEN_STAGES)),
            won=Count("id", filter=Q(stage=Stage.WON)),
            lost=Count("id", filter=Q(stage=Stage.LOST)),
            lost_to=Count("id", filter=Q(stage=Stage.LOST, winning_competitor_id=F(key))),
        )
    )
    return {row[key]: Record(row["open"], row["won"], row["lost"], row["lost_to"]) for row in rows}


def with_deal_prices(
    *, user: Any, opportunity: Opportunity, links: Iterable[OpportunityCompetitor]
) -> list[OpportunityCompetitor]:
    """Set `link.prices` on each competitor of the deal: the live prices quoted on this deal
    that the user can see, newest first (one query)."""
    shown = list(links)
    found: dict[int, list[CompetitorPrice]] = {}
    if shown:
        rows = (
            visible(CompetitorPrice, user)
            .filter(opportunity=opportunity, archived_at__isnull=True)
            .order_by("-quoted_on", "-id")
        )
        for price in rows:
            found.setdefault(price.competitor_id, []).append(price)
    for link in shown:
        link.prices = found.get(link.competitor_id, [])  # type: ignore[attr-defined]
    return shown


# ----------------------------------------------------------------------------------------
# partner registrations


@dataclass(frozen=True, slots=True)
class RegistrationFilters:
    account: int | None = None
    partner: int | None = None
    status: str | None = None
    archived: bool = False


def registration_list(*, user: Any, filters: RegistrationFilters) -> QuerySet[PartnerRegistration]:
    qs = visible(PartnerRegistration, user).select_related(
        "partner", "account", "registered_by", "conflict"
    )
    qs = qs.filter(archived_at__isnull=not filters.archived)
    exact = {"account_id": filters.account, "partner_id": filters.partner, "status": filters.status}
    return qs.filter(**{k: v for k, v in exact.items() if v not in (None, "")})


def registration_protection(
    *, user: Any, today: date, limit: int = 10
) -> list[PartnerRegistration]:
    """The active registrations the user sees whose protection still runs, the soonest to
    expire first (a partner's home page: what to convert or renew before it lapses)."""
    qs = registration_list(
        user=user, filters=RegistrationFilters(status=RegistrationStatus.ACTIVE)
    ).filter(expires_on__gte=today)
    return list(qs.order_by("expires_on", "pk").prefetch_related("products")[:limit])


def registration_opportunities(
    *, user: Any, registration: PartnerRegistration
) -> list[Opportunity]:
    """The deals a registration became, as far as the user sees them."""
    qs = visible(Opportunity, user).filter(registration=registration, archived_at__isnull=True)
    return list(qs.order_by("pk"))


def registration_get(*, user: Any, id: int) -> PartnerRegistration:
    qs = visible(PartnerRegistration, user).select_related(
        "partner", "account", "registered_by", "conflict"
    )
    return get_visible(qs.prefetch_related("products"), user, pk=id)
