"""The home page (issue 14): per role, what to do today, each item one click from its record.

The page is a list of role sections; a section is a list of panels; a panel is a function that
returns at most `limit + 1` rows (the extra row tells "there is more") from one or two limited
queries that start from `core.visibility`, and a template partial `web/home/_<key>.html` that
renders them. Adding a panel is writing its function and naming it in a section, one line.
The number of queries of the page depends on the user's roles, never on the number of rows.

A partner user is an outsider to internal work (METHOD.md §1): they get their own section
only, never one of the internal panels.

The panels are written per role (`rep`, `manager`, `presales`, `overview`) on what they share
(`base`); this module names them in the sections and shows them.
"""

from collections.abc import Callable
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wuwei.core.visibility import Scope, scope_for
from wuwei.org.models import Role
from wuwei.web.home.base import (
    HOME_ROWS,
    PAGE_ROWS,
    Panel,
    Section,
    Shown,
    ShownSection,
    Today,
    _list_url,
    quarter_of,
)
from wuwei.web.home.manager import (
    _team_risks_list,
    approvals_waiting,
    coaching_head,
    team_at_risk,
    team_overdue_actions,
)
from wuwei.web.home.overview import accounts_overview, ninebox_summary
from wuwei.web.home.presales import (
    budget_burn,
    my_assignments,
    presales_load,
    presales_queue,
    scorecard_brief,
    scores_owed,
)
from wuwei.web.home.rep import (
    _deals_closing_list,
    deals_closing,
    events_due,
    my_overdue_actions,
    my_risks,
    stale_questionnaires,
    week_activities,
    win_rate_drops,
)

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


__all__ = ["home_panel", "home_sections", "quarter_of", "sections_for"]
