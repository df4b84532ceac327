"""The home page (issue 14): per role, what to do today, each item one click from its record.

The page is a list of role sections; a section is a list of panels; a panel is a function that
returns at most `limit + 1` rows (the extra row tells "there is more") from one or two limited
queries that start from `core.visibility`, and a template partial `web/home/_<key>.html` that
renders them. Adding a panel is writing its function and naming it in a section, one line.
The number of queries of the page depends on the user's roles, never on the number of rows.

A partner user is an outsider to internal work (METHOD.md §1): they get their own section
only, never one of the internal panels.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from wuwei.accounts.models import Account, AccountStatus, PlanAction
from wuwei.accounts.models import ActionStatus as PlanActionStatus
from wuwei.coaching.models import ActionStatus as CoachingActionStatus
from wuwei.coaching.models import CoachingAction
from wuwei.coaching.selectors import coaching_queue
from wuwei.core.config import method_config
from wuwei.core.visibility import Scope, scope_for, visible
from wuwei.insights.scorecard.summary import scorecard_summary
from wuwei.methodology.presales import is_over_capacity
from wuwei.opportunities.models import (
    OPEN_STAGES,
    CompellingEvent,
    Grade,
    Opportunity,
    Questionnaire,
    WinRateChange,
)
from wuwei.opportunities.visibility import in_team_subtree
from wuwei.org.models import Role, Segment
from wuwei.people.models import Activity
from wuwei.playbook.models import RiskFinding, RiskSeverity
from wuwei.playbook.selectors import open_visible_deals
from wuwei.support import selectors as support
from wuwei.support.models import RequestState

HOME_ROWS = 5  # rows a panel shows on the home page
PAGE_ROWS = 100  # rows of a panel's own "see all" page
DUE_AHEAD = timedelta(days=7)  # compelling events due within a week count as due now
STALE_QUESTIONNAIRE = timedelta(days=7)  # METHOD.md §4.5: the questionnaire is weekly
RECENT_WEEKS = 2  # win-rate drops of this ISO week and the two before
LOAD_WEEKS = 4  # presales load: this week and the three after
AB = (Grade.A, Grade.B)
OPEN_PLAN_ACTIONS = (PlanActionStatus.PLANNED, PlanActionStatus.IN_PROGRESS)


@dataclass(frozen=True, slots=True)
class Today:
    """What every panel needs: who asks, their visibility scope, and the clock."""

    user: Any
    scope: Scope
    today: date
    now: datetime
    limit: int = HOME_ROWS

    @property
    def fetch(self) -> int:
        return self.limit + 1

    @property
    def monday(self) -> date:
        return self.today - timedelta(days=self.today.weekday())


@dataclass(frozen=True, slots=True)
class Panel:
    key: str
    title: str | Promise
    empty: str | Promise  # what an empty panel says: useful, not just "nothing"
    rows: Callable[[Today], Sequence[Any]]
    # The filtered list behind "see all"; None = the panel's own page (`web:home_panel`).
    see_all: Callable[[Today], str | None] | None = None
    summary: bool = False  # counts, not a to-do list: every row shown, no own page
    # Costly panels arrive after the page (htmx asks their own page for the fragment), so
    # the rest of "today" never waits for them.
    lazy: bool = False

    @property
    def template(self) -> str:
        return f"web/home/_{self.key}.html"


@dataclass(frozen=True, slots=True)
class Section:
    key: str
    title: str | Promise
    applies: Callable[[Scope], bool]
    panels: tuple[Panel, ...]


@dataclass(frozen=True, slots=True)
class Shown:
    panel: Panel
    rows: Sequence[Any]
    more: bool
    see_all: str | None
    is_pending: bool = False  # a lazy panel the page will fetch


@dataclass(frozen=True, slots=True)
class ShownSection:
    section: Section
    panels: list[Shown] = field(default_factory=list)


def _deal_url(deal_id: int, tab: str = "") -> str:
    url = reverse("opportunities:detail", args=[deal_id])
    return f"{url}#{tab}" if tab else url


def _list_url(name: str, **query: Any) -> str:
    return f"{reverse(name)}?{urlencode(query)}" if query else reverse(name)


def _open_deals(t: Today) -> QuerySet[Opportunity]:
    return visible(Opportunity, t.user).filter(archived_at__isnull=True, stage__in=OPEN_STAGES)


def _my_open_deals(t: Today) -> QuerySet[Opportunity]:
    return _open_deals(t).filter(owner_id=t.user.pk)


def quarter_of(day: date) -> tuple[date, date, str]:
    """The calendar quarter holding `day`: first day, last day, `2026-Q4`."""
    quarter = (day.month - 1) // 3 + 1
    first = date(day.year, 3 * quarter - 2, 1)
    after = date(day.year + 1, 1, 1) if quarter == 4 else date(day.year, 3 * quarter + 1, 1)
    return first, after - timedelta(days=1), f"{day.year}-Q{quarter}"


# ----------------------------------------------------------------------------------------
# rep


def deals_closing(t: Today) -> Sequence[Any]:
    first, last, _period = quarter_of(t.today)
    qs = _my_open_deals(t).filter(expected_close__range=(first, last)).select_related("account")
    return list(qs.order_by("expected_close", "pk")[: t.fetch])


def _deals_closing_list(t: Today) -> str:
    return _list_url(
        "opportunities:list", owner="me", status="open", close_period=quarter_of(t.today)[2]
    )


def events_due(t: Today) -> Sequence[Any]:
    qs = visible(CompellingEvent, t.user).filter(
        archived_at__isnull=True,
        reevaluate_on__lte=t.today + DUE_AHEAD,
        opportunity__in=_my_open_deals(t).values("pk"),
    )
    return list(qs.select_related("opportunity").order_by("reevaluate_on", "pk")[: t.fetch])


def stale_questionnaires(t: Today) -> Sequence[Any]:
    """The user's open AB deals whose newest questionnaire is over a week old, or missing."""
    newest = (
        Questionnaire.objects.filter(opportunity_id=OuterRef("pk"), archived_at__isnull=True)
        .order_by("-answered_at")
        .values("answered_at")[:1]
    )
    qs = (
        _my_open_deals(t)
        .filter(grade__in=AB)
        .annotate(last_answered=Subquery(newest))
        .filter(Q(last_answered__isnull=True) | Q(last_answered__lt=t.now - STALE_QUESTIONNAIRE))
        .select_related("account")
    )
    order = (F("last_answered").asc(nulls_first=True), "pk")
    return list(qs.order_by(*order)[: t.fetch])


@dataclass(frozen=True, slots=True)
class ActionRow:
    """An overdue action of an account plan or of a coaching review, with its record."""

    kind: str  # "plan" or "coaching"
    title: str
    due: date
    owner: Any
    record: str  # the account or the deal it belongs to
    url: str


def _plan_rows(t: Today, owners: Q) -> list[ActionRow]:
    qs = (
        visible(PlanAction, t.user)
        .filter(owners, archived_at__isnull=True, status__in=OPEN_PLAN_ACTIONS, due__lt=t.today)
        .select_related("owner", "plan__account")
        .order_by("due", "pk")[: t.fetch]
    )
    return [
        ActionRow(
            "plan",
            action.title,
            action.due,  # type: ignore[arg-type]  # due__lt excludes nulls
            action.owner,
            action.plan.account.name,
            reverse("accounts:tab", args=[action.plan.account_id, "plan"]),
        )
        for action in qs
    ]


def _coaching_rows(t: Today, owners: Q) -> list[ActionRow]:
    qs = (
        visible(CoachingAction, t.user)
        .filter(
            owners,
            archived_at__isnull=True,
            status=CoachingActionStatus.OPEN,
            due__lt=t.today,
        )
        .select_related("owner", "opportunity")
        .order_by("due", "pk")[: t.fetch]
    )
    return [
        ActionRow(
            "coaching",
            action.title,
            action.due,
            action.owner,
            action.opportunity.name,
            _deal_url(action.opportunity_id, "coaching"),
        )
        for action in qs
    ]


def _overdue(t: Today, owners: Q) -> list[ActionRow]:
    rows = _plan_rows(t, owners) + _coaching_rows(t, owners)
    return sorted(rows, key=lambda row: (row.due, row.kind))[: t.fetch]


def my_overdue_actions(t: Today) -> Sequence[Any]:
    return _overdue(t, Q(owner_id=t.user.pk))


def win_rate_drops(t: Today) -> Sequence[Any]:
    qs = visible(WinRateChange, t.user).filter(
        opportunity__in=_my_open_deals(t).values("pk"),
        current__lt=F("previous"),
        week__gte=t.monday - timedelta(weeks=RECENT_WEEKS),
    )
    return list(qs.select_related("opportunity").order_by("-week", "-pk")[: t.fetch])


_SEVERITY_ORDER = Case(
    When(rule__severity=RiskSeverity.HIGH, then=0),
    When(rule__severity=RiskSeverity.MEDIUM, then=1),
    default=2,
    output_field=IntegerField(),
)


def _fired(deals: QuerySet[Opportunity]) -> QuerySet[RiskFinding]:
    return RiskFinding.objects.filter(
        opportunity__in=deals.values("pk"), rule__enabled=True, rule__archived_at__isnull=True
    )


def my_risks(t: Today) -> Sequence[Any]:
    """Rules firing on the user's deals (the nightly evaluation's findings), worst first."""
    deals = open_visible_deals(user=t.user).filter(owner_id=t.user.pk)
    qs = _fired(deals).select_related("rule", "opportunity")
    return list(qs.order_by(_SEVERITY_ORDER, "-first_seen_at", "pk")[: t.fetch])


def week_activities(t: Today) -> Sequence[Any]:
    qs = visible(Activity, t.user).filter(
        owner_id=t.user.pk,
        archived_at__isnull=True,
        occurred_on__range=(t.monday, t.monday + timedelta(days=6)),
    )
    return list(
        qs.select_related("account", "opportunity").order_by("occurred_on", "pk")[: t.fetch]
    )


# ----------------------------------------------------------------------------------------
# manager


def coaching_head(t: Today) -> Sequence[Any]:
    """The head of the coaching queue (a fixed number of queries: coaching.selectors)."""
    return coaching_queue(user=t.user, limit=t.fetch).items


def team_at_risk(t: Today) -> Sequence[Any]:
    """Open deals of the manager's subtree with rules firing, most high-severity findings
    first: the findings counted per deal (one grouped query), then those deals."""
    if not t.scope.team_path:
        return []
    deals = open_visible_deals(user=t.user).filter(in_team_subtree(t.scope.team_path))
    counted = (
        _fired(deals)
        .values("opportunity_id")
        .annotate(
            risks=Count("id"),
            high=Count("id", filter=Q(rule__severity=RiskSeverity.HIGH)),
            amount=Max("opportunity__amount"),
        )
        .order_by("-high", "-risks", "-amount", "opportunity_id")[: t.fetch]
    )
    counts = {row["opportunity_id"]: row for row in counted}
    shown = Opportunity.objects.select_related("account", "owner").in_bulk(list(counts))
    rows = []
    for deal_id, row in counts.items():
        deal = shown[deal_id]
        deal.risks, deal.high = row["risks"], row["high"]
        rows.append(deal)
    return rows


def _team_risks_list(t: Today) -> str | None:
    team_id = t.user.team_id
    return _list_url("playbook:risks", team=team_id) if team_id else reverse("playbook:risks")


def team_overdue_actions(t: Today) -> Sequence[Any]:
    """Overdue actions of the people in the manager's team subtree (not the manager's own)."""
    if not t.scope.team_path:
        return []
    owners = Q(owner__team__path__startswith=t.scope.team_path) & ~Q(owner_id=t.user.pk)
    return _overdue(t, owners)


def approvals_waiting(t: Today) -> Sequence[Any]:
    """Presales requests over budget waiting for a manager (never one's own request)."""
    filters = support.RequestFilters(state=RequestState.AWAITING_APPROVAL)
    qs = support.request_list(user=t.user, filters=filters).exclude(requested_by_id=t.user.pk)
    return list(qs.order_by("created_at", "pk")[: t.fetch])


# ----------------------------------------------------------------------------------------
# presales lead and engineer


def presales_queue(t: Today) -> Sequence[Any]:
    filters = support.RequestFilters(state=RequestState.QUEUED)
    return list(
        support.request_list(user=t.user, filters=filters).order_by("start", "pk")[: t.fetch]
    )


def my_assignments(t: Today) -> Sequence[Any]:
    qs = support.assignment_list(user=t.user, active=True).filter(
        resource__user_id=t.user.pk, end__gte=t.today
    )
    return list(qs.order_by("start", "pk")[: t.fetch])


def scores_owed(t: Today) -> Sequence[Any]:
    """Stage-exit scores the user owes (METHOD.md §5.4): stages they owned that deals left."""
    return support.pending_scores(user=t.user)[: t.fetch]


def scorecard_brief(t: Today) -> Sequence[Any]:
    """This year's five-dimension scorecard of the user's reach, in brief (METHOD.md §8)."""
    summary = scorecard_summary(t.user)
    return [summary] if summary is not None else []


@dataclass(frozen=True, slots=True)
class LoadRow:
    person: str
    weeks: list[tuple[str, float, bool]]  # ISO week, load %, over capacity

    @property
    def peak(self) -> float:
        return max((load for _week, load, _over in self.weeks), default=0.0)


def presales_load(t: Today) -> Sequence[Any]:
    """Load per ISO week of the coming weeks (support's heat-map selector): a delivery lead's
    unit, most loaded first; a presales engineer's own."""
    if Role.DELIVERY_LEAD in t.scope.roles and t.user.team_id:
        heat = support.load_heatmap(
            user=t.user, start=t.today, weeks=LOAD_WEEKS, unit=t.user.team_id
        )
    else:
        mine = support.resource_list(user=t.user).filter(user_id=t.user.pk).values("pk")[:1]
        resource = mine[0]["pk"] if mine else None
        if resource is None:
            return []
        heat = support.load_heatmap(
            user=t.user, start=t.today, weeks=LOAD_WEEKS, resource_id=resource
        )
    config = method_config().presales
    table: list[list[float]] = [[0.0] * len(heat.weeks) for _person in heat.people]
    for x, y, load in heat.cells:
        table[y][x] = load
    rows = [
        LoadRow(
            person,
            [
                (week, load, is_over_capacity(Decimal(str(load)), config=config))
                for week, load in zip(heat.weeks, table[y], strict=True)
            ],
        )
        for y, person in enumerate(heat.people)
    ]
    return sorted(rows, key=lambda row: -row.peak)[: t.fetch]


def budget_burn(t: Today) -> Sequence[Any]:
    """Presales spend against budget (support's charge-back selector), highest spend first."""
    return support.budget_burn(user=t.user, limit=t.fetch)


# ----------------------------------------------------------------------------------------
# executive (until the five-dimension scorecard lands) and the fallback overview


@dataclass(frozen=True, slots=True)
class CountRow:
    label: str
    count: int
    url: str


def _visible_accounts(t: Today) -> QuerySet[Account]:
    return visible(Account, t.user).filter(archived_at__isnull=True)


def accounts_overview(t: Today) -> Sequence[Any]:
    """Accounts the user sees, by segment then by status (two aggregate queries)."""
    accounts = _visible_accounts(t)
    by_segment = dict(accounts.values_list("segment").annotate(n=Count("id")).order_by())
    by_status = dict(accounts.values_list("status").annotate(n=Count("id")).order_by())
    url = reverse("accounts:list")
    rows = [CountRow(str(_("Accounts you can see")), sum(by_status.values()), url)]
    rows += [
        CountRow(str(label), by_segment.get(value, 0), _list_url("accounts:list", segment=value))
        for value, label in Segment.choices
    ]
    rows += [
        CountRow(str(label), by_status.get(value, 0), _list_url("accounts:list", status=value))
        for value, label in AccountStatus.choices
    ]
    return rows


def ninebox_summary(t: Today) -> Sequence[Any]:
    """Graded accounts per nine-box class (one aggregate query)."""
    graded = _visible_accounts(t).filter(current_grading__isnull=False).exclude(account_class="")
    counts = dict(graded.values_list("account_class").annotate(n=Count("id")).order_by())
    url = reverse("accounts:ninebox")
    return [CountRow(grade, counts.get(grade, 0), url) for grade in "ABCD"]


# ----------------------------------------------------------------------------------------
# the sections


def _url(name: str) -> Callable[[Today], str | None]:
    return lambda t: reverse(name)


def _query(name: str, **query: Any) -> Callable[[Today], str | None]:
    return lambda t: _list_url(name, **query)


DEALS_CLOSING = Panel(
    "deals_closing",
    _("My open deals closing this quarter"),
    _("None of your open deals is expected to close this quarter."),
    deals_closing,
    _deals_closing_list,
)
EVENTS_DUE = Panel(
    "events_due",
    _("Compelling events to re-evaluate"),
    _("No compelling event is due for re-evaluation this week."),
    events_due,
)
STALE_QUESTIONNAIRES = Panel(
    "stale_questionnaires",
    _("Questionnaires older than a week (AB deals)"),
    _("Every AB deal of yours has a questionnaire from the last week."),
    stale_questionnaires,
)
MY_OVERDUE_ACTIONS = Panel(
    "my_overdue_actions",
    _("My overdue actions"),
    _("Nothing overdue: every plan and coaching action of yours is on time."),
    my_overdue_actions,
)
WIN_RATE_DROPS = Panel(
    "win_rate_drops",
    _("Win-rate drops"),
    _("No win rate of yours dropped in the last weeks."),
    win_rate_drops,
)
MY_RISKS = Panel(
    "my_risks",
    _("Risks on my deals"),
    _("No project rule fires on your open deals."),
    my_risks,
    _url("playbook:risks"),
)
WEEK_ACTIVITIES = Panel(
    "week_activities",
    _("My activities this week"),
    _("No activity recorded this week yet."),
    week_activities,
    _query("people:activities", mine="on"),
)
COACHING_HEAD = Panel(
    "coaching_head",
    _("Coaching queue"),
    _("No deal changed since its last review: nothing to coach."),
    coaching_head,
    _url("coaching:queue"),
    lazy=True,
)
TEAM_AT_RISK = Panel(
    "team_at_risk",
    _("Deals at risk in my team"),
    _("No project rule fires on your team's open deals."),
    team_at_risk,
    _team_risks_list,
)
TEAM_OVERDUE_ACTIONS = Panel(
    "team_overdue_actions",
    _("My reps' overdue actions"),
    _("Nothing overdue in your team."),
    team_overdue_actions,
)
APPROVALS_WAITING = Panel(
    "approvals_waiting",
    _("Presales requests waiting for approval"),
    _("No presales request is waiting for a budget approval."),
    approvals_waiting,
)
PRESALES_QUEUE = Panel(
    "presales_queue",
    _("Requests waiting in the queue"),
    _("No request is waiting to be assigned."),
    presales_queue,
    _url("support:board"),
)
MY_ASSIGNMENTS = Panel(
    "my_assignments",
    _("My assignments"),
    _("You have no current presales assignment."),
    my_assignments,
)
SCORES_OWED = Panel(
    "scores_owed",
    _("Stage scores you owe"),
    _("No stage you owned is waiting for your scores."),
    scores_owed,
    _url("support:scores"),
)
PRESALES_LOAD = Panel(
    "presales_load",
    _("Load in the coming weeks"),
    _("No presales resource to show: ask an administrator to add you to the pool."),
    presales_load,
    _url("support:board"),
    summary=True,
)
BUDGET_BURN = Panel(
    "budget_burn",
    _("Presales budget burn"),
    _("No deal you support has presales costs yet."),
    budget_burn,
    _url("support:board"),
)
# Aggregates over every deal of the year: it arrives after the page (lazy).
SCORECARD_BRIEF = Panel(
    "scorecard_brief",
    _("Five-dimension scorecard"),
    _("No account or deal to score this year yet."),
    scorecard_brief,
    _url("scorecard:page"),
    summary=True,
    lazy=True,
)
ACCOUNTS_OVERVIEW = Panel(
    "accounts_overview",
    _("Accounts"),
    _("You see no accounts yet."),
    accounts_overview,
    _url("accounts:list"),
    summary=True,
)
NINEBOX_SUMMARY = Panel(
    "ninebox_summary",
    _("Nine-box"),
    _("No account has been graded yet."),
    ninebox_summary,
    _url("accounts:ninebox"),
    summary=True,
)


def _has(*roles: str) -> Callable[[Scope], bool]:
    return lambda scope: bool(scope.roles & set(roles))


SECTIONS: tuple[Section, ...] = (
    Section(
        "rep",
        _("Sales"),
        _has(Role.REP),
        (
            DEALS_CLOSING,
            EVENTS_DUE,
            STALE_QUESTIONNAIRES,
            MY_OVERDUE_ACTIONS,
            WIN_RATE_DROPS,
            MY_RISKS,
            WEEK_ACTIVITIES,
        ),
    ),
    Section(
        "manager",
        _("Team"),
        _has(Role.MANAGER),
        (COACHING_HEAD, TEAM_AT_RISK, TEAM_OVERDUE_ACTIONS, APPROVALS_WAITING),
    ),
    Section(
        "presales",
        _("Presales"),
        _has(Role.PRESALES, Role.DELIVERY_LEAD),
        (PRESALES_QUEUE, MY_ASSIGNMENTS, SCORES_OWED, PRESALES_LOAD, BUDGET_BURN),
    ),
    Section(
        "executive",
        _("Company"),
        lambda scope: scope.sees_everything,
        (SCORECARD_BRIEF, ACCOUNTS_OVERVIEW, NINEBOX_SUMMARY),
    ),
)
# Someone with none of the roles above still gets a page that says something.
OVERVIEW = Section("overview", _("Overview"), lambda scope: True, (ACCOUNTS_OVERVIEW,))


def sections_for(user: Any) -> list[Section]:
    scope = scope_for(user)
    if scope.is_partner:  # the partner's page is web/partner.py, never an internal panel
        return []
    return [section for section in SECTIONS if section.applies(scope)] or [OVERVIEW]


def _today(user: Any, limit: int) -> Today:
    now = timezone.now()
    return Today(user, scope_for(user), timezone.localdate(now), now, limit)


def _show(panel: Panel, t: Today, *, now: bool = False) -> Shown:
    """The panel's rows, or for a lazy panel (unless `now`) the promise to fetch them."""
    see_all = (
        panel.see_all(t)
        if panel.see_all is not None
        else reverse("web:home_panel", args=[panel.key])
    )
    if panel.lazy and not now:
        return Shown(panel, [], False, see_all, is_pending=True)
    rows = panel.rows(t)
    more = not panel.summary and len(rows) > t.limit
    shown = rows if panel.summary else rows[: t.limit]
    return Shown(panel, shown, more, see_all)


def home_sections(user: Any) -> list[ShownSection]:
    """Every section that applies to the user, each panel with its first rows."""
    t = _today(user, HOME_ROWS)
    return [
        ShownSection(section, [_show(panel, t) for panel in section.panels])
        for section in sections_for(user)
    ]


def home_panel(user: Any, key: str, *, fragment: bool = False) -> Shown | None:
    """One panel of the user's sections: its first rows as on the home page (`fragment`, how
    a lazy panel arrives) or up to PAGE_ROWS (its "see all" page); None when no section of
    the user's holds it."""
    for section in sections_for(user):
        for panel in section.panels:
            if panel.key == key and (fragment or not panel.summary):
                return _show(panel, _today(user, HOME_ROWS if fragment else PAGE_ROWS), now=True)
    return None
