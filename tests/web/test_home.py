"""The home page per role (issue 14): what each panel lists on a fixed data set, what it must
never list (other reps' deals, outsiders, partners), and a query count that does not grow with
the rows."""

import importlib
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import make_account, make_user
from tests.opportunities.factories import make_opportunity
from tests.support.conftest import make_deal, make_request, mci  # noqa: F401 (fixture)
from tests.world import MARKER, build_world
from wuwei.accounts.models import AccountPlan
from wuwei.accounts.services import action_create, plan_create
from wuwei.coaching.models import CoachingAction
from wuwei.coaching.services import review_create
from wuwei.opportunities.models import Opportunity, Questionnaire, Stage, WinRateChange
from wuwei.opportunities.winning import services as winning
from wuwei.org.models import Role
from wuwei.people.services.activities import activity_create
from wuwei.playbook.models import RiskFinding, RiskRule
from wuwei.support import services as support
from wuwei.web.home import quarter_of, sections_for

# ----------------------------------------------------------------------------------------
# helpers


@pytest.fixture(autouse=True)
def default_rules(db):
    """The seeded risk rules (a data migration) that a transactional test may have emptied."""
    if not RiskRule.objects.exists():
        migration = importlib.import_module("wuwei.playbook.migrations.0002_risk_rules")
        migration.seed(apps, None)


def _today() -> date:
    return timezone.localdate()


def _monday() -> date:
    return _today() - timedelta(days=_today().weekday())


def _panels(html: str) -> dict[str, str]:
    """The HTML of each panel on the page, by key."""
    found: dict[str, str] = {}
    for chunk in html.split('data-panel="')[1:]:
        key, rest = chunk.split('"', 1)
        found[key] = rest.split('<div class="col-')[0]
    return found


def _home(web: Any, user: Any) -> dict[str, str]:
    response = web(user).get("/")
    assert response.status_code == 200
    return _panels(response.content.decode())


def _fragment(web: Any, user: Any, key: str) -> str:
    response = web(user).get(f"/home/{key}/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    return response.content.decode()


def _deal(owner: Any, name: str, *, close: date | None = None, grade: str = "C", **f: Any) -> Any:
    deal = make_opportunity(owner, make_account(owner), 500_000, name=name, expected_close=close)
    Opportunity.objects.filter(pk=deal.pk).update(grade=grade, **f)
    deal.refresh_from_db()
    return deal


def _finding(deal: Any, code_kind: str) -> RiskFinding:
    rule = RiskRule.objects.filter(kind=code_kind, enabled=True).order_by("pk").first()
    assert rule is not None, code_kind
    now = timezone.now()
    return RiskFinding.objects.create(opportunity=deal, rule=rule, first_seen_at=now)


def _overdue_plan_action(owner: Any, account: Any, title: str, due: date) -> None:
    plan = AccountPlan.objects.filter(account=account, year=_today().year).first()
    if plan is None:
        plan = plan_create(user=owner, account=account, year=_today().year, goal="Grow")
    action_create(user=owner, plan=plan, title=title, owner=owner, due=due)


def _coaching_action(manager: Any, deal: Any, owner: Any, title: str, due: date) -> None:
    review_create(
        user=manager, opportunity=deal, comments="Review", actions=[(title, owner, _today())]
    )
    CoachingAction.objects.filter(title=title).update(due=due)


# ----------------------------------------------------------------------------------------
# the rep


@pytest.fixture
def rep_data(org):
    today, (first, last, _period) = _today(), quarter_of(_today())
    rep, peer = org.rep, org.peer_rep
    closing = _deal(rep, "Closing this quarter", close=last, grade="A")
    later = _deal(rep, "Closing next quarter", close=last + timedelta(days=1))
    won = _deal(rep, "Already won", close=first, stage=Stage.WON)
    peers = _deal(peer, "Peer closing", close=last, grade="A")
    # compelling events: due (yesterday) and far away
    winning.compelling_event_create(
        user=rep,
        opportunity=closing,
        description="Board deadline",
        reevaluate_on=today - timedelta(1),
    )
    winning.compelling_event_create(
        user=rep, opportunity=later, description="Far away", reevaluate_on=today + timedelta(60)
    )
    winning.compelling_event_create(
        user=peer, opportunity=peers, description="Peer event", reevaluate_on=today
    )
    # questionnaires: `closing` (A) answered 10 days ago → stale; a fresh B deal → not listed
    fresh = _deal(rep, "Fresh questionnaire", grade="B")
    for deal, age in ((closing, 10), (fresh, 1)):
        answers = winning.questionnaire_submit(
            user=rep,
            opportunity=deal,
            has_inside_source=True,
            us_fit=6,
            us_closeness=6,
            competitors=[],
        )
        Questionnaire.objects.filter(pk=answers.pk).update(
            answered_at=timezone.now() - timedelta(days=age)
        )
    never = _deal(rep, "Never answered", grade="B")
    # overdue actions: plan and coaching; one not yet due, one of the peer's
    _overdue_plan_action(rep, closing.account, "Call the CFO", today - timedelta(3))
    _overdue_plan_action(rep, closing.account, "Not due yet", today + timedelta(3))
    _overdue_plan_action(peer, peers.account, "Peer action", today - timedelta(3))
    _coaching_action(org.manager, closing, rep, "Map the approver", today - timedelta(1))
    # win-rate changes: a recent drop, a rise, an old drop
    WinRateChange.objects.create(opportunity=closing, week=_monday(), previous=60, current=35)
    WinRateChange.objects.create(opportunity=later, week=_monday(), previous=20, current=45)
    WinRateChange.objects.create(
        opportunity=later, week=_monday() - timedelta(weeks=8), previous=70, current=10
    )
    WinRateChange.objects.create(opportunity=peers, week=_monday(), previous=60, current=20)
    # risks: on the rep's deal, on the peer's deal, and a disabled rule
    _finding(closing, "no_inside_source")
    _finding(peers, "no_recent_activity")
    disabled = _finding(later, "close_date_near")
    RiskRule.objects.filter(pk=disabled.rule_id).update(enabled=False)
    # activities: this week, last month, the peer's
    activity_create(
        user=rep,
        account=closing.account,
        kind="call",
        occurred_on=_monday(),
        subject="Weekly call",
        opportunity=closing,
    )
    activity_create(
        user=rep,
        account=closing.account,
        kind="call",
        occurred_on=_monday() - timedelta(30),
        subject="Old call",
    )
    activity_create(
        user=peer, account=peers.account, kind="visit", occurred_on=_monday(), subject="Peer visit"
    )
    return {"closing": closing, "later": later, "won": won, "peers": peers, "never": never}


def test_rep_sees_only_the_rep_section(org):
    assert [s.key for s in sections_for(org.rep)] == ["rep"]


def test_rep_panels_list_what_is_due_and_nothing_else(org, rep_data, web):
    panels = _home(web, org.rep)
    closing = rep_data["closing"]
    assert set(panels) == {
        "deals_closing",
        "events_due",
        "stale_questionnaires",
        "my_overdue_actions",
        "win_rate_drops",
        "my_risks",
        "week_activities",
    }
    assert f'href="/opportunities/{closing.pk}/"' in panels["deals_closing"]
    for absent in ("Closing next quarter", "Already won", "Peer closing"):
        assert absent not in panels["deals_closing"]
    assert (
        "Board deadline" in panels["events_due"]
        and f"/{closing.pk}/#events" in panels["events_due"]
    )
    assert "Far away" not in panels["events_due"] and "Peer event" not in panels["events_due"]
    stale = panels["stale_questionnaires"]
    assert "Closing this quarter" in stale and "Never answered" in stale
    assert "Fresh questionnaire" not in stale and "Closing next quarter" not in stale  # grade C
    overdue = panels["my_overdue_actions"]
    assert "Call the CFO" in overdue and "Map the approver" in overdue
    assert f"/accounts/{closing.account_id}/tab/plan/" in overdue
    assert f"/opportunities/{closing.pk}/#coaching" in overdue
    assert "Not due yet" not in overdue and "Peer action" not in overdue
    drops = panels["win_rate_drops"]
    assert "60 % → 35 %" in drops and "Closing next quarter" not in drops and "Peer" not in drops
    risks = panels["my_risks"]
    assert "Closing this quarter" in risks and "Peer" not in risks
    assert "Closing next quarter" not in risks  # its rule is disabled
    activities = panels["week_activities"]
    assert "Weekly call" in activities and "Old call" not in activities
    assert "Peer visit" not in activities


def test_deals_closing_see_all_links_the_filtered_deal_list(org, rep_data, web):
    html = web(org.rep).get("/").content.decode()
    period = quarter_of(_today())[2]
    assert f"/opportunities/?owner=me&amp;status=open&amp;close_period={period}" in html


def test_empty_panels_say_something_useful(org, web):
    panels = _home(web, org.rep)
    assert "Nothing overdue" in panels["my_overdue_actions"]
    assert 'data-testid="empty"' in panels["deals_closing"]
    assert 'data-testid="row"' not in "".join(panels.values())


def test_a_panel_shows_a_few_rows_and_its_own_page_shows_more(org, web):
    last = quarter_of(_today())[1]
    for n in range(8):
        _deal(org.rep, f"Deal {n:02}", close=last, grade="A")
    panels = _home(web, org.rep)
    assert panels["stale_questionnaires"].count('data-testid="row"') == 5
    assert 'data-testid="more"' in panels["stale_questionnaires"]
    page = web(org.rep).get("/home/stale_questionnaires/").content.decode()
    assert page.count('data-testid="row"') == 8 and "Deal 07" in page


def test_panel_pages_are_the_users_own(org, web):
    assert web(org.rep).get("/home/coaching_head/").status_code == 404  # not a manager
    assert web(org.partner).get("/home/my_risks/").status_code == 404
    assert web(org.rep).get("/home/nothing/").status_code == 404
    assert web(org.manager).get("/home/coaching_head/").status_code == 200


# ----------------------------------------------------------------------------------------
# the manager


@pytest.fixture
def team_data(org, mci):  # noqa: F811 (fixture)
    today = _today()
    rep = org.rep
    at_risk = _deal(rep, "Team deal at risk", grade="A")
    _finding(at_risk, "no_inside_source")
    _finding(at_risk, "decision_roles_missing")
    north = make_user("north_rep", team=org.north_ka)
    outside = _deal(north, "North deal at risk", grade="A")
    _finding(outside, "no_inside_source")
    _overdue_plan_action(rep, at_risk.account, "Rep is late", today - timedelta(2))
    _overdue_plan_action(north, outside.account, "North is late", today - timedelta(2))
    _coaching_action(org.manager, at_risk, rep, "Rep coaching late", today - timedelta(2))
    small = make_deal(rep, "200000")  # over the presales budget: waits for approval
    waiting = make_request(small)
    north_small = make_deal(north, "200001")
    make_request(north_small)
    return {"at_risk": at_risk, "waiting": waiting, "small": small, "outside": outside}


def test_manager_panels_cover_the_team_subtree_only(org, team_data, web):
    assert [s.key for s in sections_for(org.manager)] == ["manager"]
    panels = _home(web, org.manager)
    assert {"coaching_head", "team_at_risk", "team_overdue_actions", "approvals_waiting"} == set(
        panels
    )
    at_risk = team_data["at_risk"]
    assert f"/opportunities/{at_risk.pk}/#risks" in panels["team_at_risk"]
    assert "2 risks" in panels["team_at_risk"]
    assert "North" not in panels["team_at_risk"]
    assert f"/risks/?team={org.manager.team_id}" in panels["team_at_risk"]
    overdue = panels["team_overdue_actions"]
    assert "Rep is late" in overdue and "Rep coaching late" in overdue and "North" not in overdue
    approvals = panels["approvals_waiting"]
    assert f"/support/requests/{team_data['waiting'].pk}/" in approvals
    assert "200001" not in approvals
    # the coaching queue arrives after the page: a placeholder asks for the panel
    assert 'data-testid="pending"' in panels["coaching_head"]
    assert 'hx-get="/home/coaching_head/"' in panels["coaching_head"]
    coaching = _fragment(web, org.manager, "coaching_head")
    # reviewed deals leave the queue; the new one with a compelling event is in it
    assert f"/opportunities/{at_risk.pk}/#coaching" not in coaching
    assert f"/opportunities/{team_data['small'].pk}/#coaching" in coaching
    assert "North" not in coaching and "200001" not in coaching
    assert 'data-testid="pending"' not in coaching and "<html" not in coaching


def test_rep_and_manager_roles_get_both_sections(org):
    both = make_user("player_coach", roles=[Role.REP, Role.MANAGER], team=org.east_ka)
    assert [s.key for s in sections_for(both)] == ["rep", "manager"]


# ----------------------------------------------------------------------------------------
# presales


@pytest.fixture
def presales_data(org, mci):  # noqa: F811 (fixture)
    deal = make_deal(org.rep, "5000000")
    assigned = make_request(deal, start=_monday(), end=_monday() + timedelta(days=6))
    support.assignment_create(user=mci.lead, request=assigned, resource=mci.alice, days=Decimal(3))
    other = make_deal(org.rep, "6000000")
    queued = make_request(other, start=_monday(), end=_monday() + timedelta(days=4))
    return {"deal": deal, "assigned": assigned, "queued": queued, "other": other}


def test_presales_lead_sees_queue_load_and_burn(org, mci, presales_data, web):  # noqa: F811
    assert [s.key for s in sections_for(mci.lead)] == ["presales"]
    panels = _home(web, mci.lead)
    assert set(panels) == {
        "presales_queue",
        "my_assignments",
        "scores_owed",
        "presales_load",
        "budget_burn",
    }
    queued = presales_data["queued"]
    assert f"/support/requests/{queued.pk}/" in panels["presales_queue"]
    assert f"/support/requests/{presales_data['assigned'].pk}/" not in panels["presales_queue"]
    assert "alice" in panels["presales_load"] and "bob" in panels["presales_load"]
    assert "60 %" in panels["presales_load"]  # 3 days of 5 this week
    assert f"/support/deals/{presales_data['deal'].pk}/" in panels["budget_burn"]
    assert "You have no current presales assignment." in panels["my_assignments"]


def test_presales_engineer_sees_own_assignment_and_load(org, mci, presales_data, web):  # noqa: F811
    panels = _home(web, mci.alice.user)
    assigned = presales_data["assigned"]
    assert f"/support/requests/{assigned.pk}/" in panels["my_assignments"]
    assert "alice" in panels["presales_load"] and "bob" not in panels["presales_load"]
    assert presales_data["other"].name not in panels["budget_burn"]  # not hers


# ----------------------------------------------------------------------------------------
# executive, partner, outsiders


def test_executive_keeps_the_account_counts_and_the_ninebox(org, web):
    make_account(org.rep, name="Counted", segment="KA")
    assert [s.key for s in sections_for(org.executive)] == ["executive"]
    panels = _home(web, org.executive)
    assert set(panels) == {"scorecard_brief", "accounts_overview", "ninebox_summary"}
    assert 'hx-get="/home/scorecard_brief/"' in panels["scorecard_brief"]  # arrives lazily
    brief = web(org.executive).get("/home/scorecard_brief/", HTTP_HX_REQUEST="true")
    assert "/scorecard/records/?" in brief.content.decode()
    assert "Accounts you can see" in panels["accounts_overview"]
    assert 'href="/accounts/?segment=KA"' in panels["accounts_overview"]
    assert 'href="/accounts/ninebox/"' in panels["ninebox_summary"]


def test_partner_and_outsiders_see_nothing_of_the_reps_records(org, web):
    build_world(org)
    winning.compelling_event_create(
        user=org.rep,
        opportunity=Opportunity.objects.get(name__startswith=MARKER),
        description=f"{MARKER} due",
        reevaluate_on=_today(),
    )
    owner = web(org.rep).get("/").content.decode()
    assert MARKER in owner  # the rep's own panels list them
    outsider = make_user("outsider_rep", team=org.north_ka)
    for user in (outsider, org.partner, org.other_manager):
        html = web(user).get("/").content.decode()
        assert MARKER not in html, user
    partner = _panels(web(org.partner).get("/").content.decode())
    assert partner == {}  # never an internal panel: the partner's own page (web/partner.py)
    assert sections_for(org.partner) == []


def test_anonymous_goes_to_login(client):
    for path in ("/", "/home/my_risks/"):
        response = client.get(path)
        assert response.status_code == 302 and "/login/" in response["Location"]


# ----------------------------------------------------------------------------------------
# query counts: one row or many, the same number of queries


def _count(web: Any, user: Any, path: str = "/", **headers: str) -> int:
    client = web(user)
    client.get(path, **headers)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path, **headers).status_code == 200
    return len(captured)


def _more_rep_rows(org: Any, n: int) -> None:
    last = quarter_of(_today())[1]
    for i in range(n):
        deal = _deal(org.rep, f"Bulk {i}", close=last, grade="A")
        winning.compelling_event_create(
            user=org.rep, opportunity=deal, description=f"Bulk event {i}", reevaluate_on=_today()
        )
        WinRateChange.objects.create(opportunity=deal, week=_monday(), previous=50, current=20)
        _finding(deal, "no_inside_source")
        _overdue_plan_action(org.rep, deal.account, f"Bulk action {i}", _today() - timedelta(1))
        _coaching_action(org.manager, deal, org.rep, f"Bulk coaching {i}", _today() - timedelta(1))
        activity_create(
            user=org.rep,
            account=deal.account,
            kind="call",
            occurred_on=_monday(),
            subject=f"Bulk call {i}",
            opportunity=deal,
        )


def test_rep_home_query_count_does_not_grow(org, web, django_assert_num_queries):
    _more_rep_rows(org, 1)
    queries = _count(web, org.rep)
    _more_rep_rows(org, 7)
    client = web(org.rep)
    with django_assert_num_queries(queries):
        client.get("/")


def test_manager_home_query_count_does_not_grow(
    org,
    mci,  # noqa: F811 (fixture)
    web,
    django_assert_num_queries,
):
    _more_rep_rows(org, 1)
    make_request(make_deal(org.rep, "200000"))
    queries = _count(web, org.manager)
    _more_rep_rows(org, 6)
    for n in range(6):
        make_request(make_deal(org.rep, f"2000{n:02}"))
    client = web(org.manager)
    with django_assert_num_queries(queries):
        client.get("/")


def test_lazy_coaching_panel_query_count_does_not_grow(org, web, django_assert_num_queries):
    htmx = {"HTTP_HX_REQUEST": "true"}
    _more_rep_rows(org, 1)
    for n in range(2):
        _deal(org.rep, f"Unreviewed {n}", grade="A")
    queries = _count(web, org.manager, "/home/coaching_head/", **htmx)
    for n in range(8):
        _deal(org.rep, f"Unreviewed more {n}", grade="A")
    client = web(org.manager)
    with django_assert_num_queries(queries):
        html = client.get("/home/coaching_head/", **htmx).content.decode()
    assert html.count('data-testid="row"') == 5


def test_presales_home_query_count_does_not_grow(
    org,
    mci,  # noqa: F811 (fixture)
    web,
    django_assert_num_queries,
):
    def requests(n: int) -> None:
        for i in range(n):
            request = make_request(make_deal(org.rep, f"{5_000_000 + i}"))
            if i % 2:
                support.assignment_create(
                    user=mci.lead, request=request, resource=mci.alice, days=Decimal(1)
                )

    requests(2)
    queries = _count(web, mci.lead)
    requests(8)
    client = web(mci.lead)
    with django_assert_num_queries(queries):
        client.get("/")


def test_executive_home_query_count_does_not_grow(org, web, django_assert_num_queries):
    make_account(org.rep)
    queries = _count(web, org.executive)
    for _n in range(10):
        make_account(org.rep)
    client = web(org.executive)
    with django_assert_num_queries(queries):
        client.get("/")


# ----------------------------------------------------------------------------------------
# the forecast blocks arrive after the page


def test_forecasts_load_after_the_page_for_whom_the_page_shows_them(org, web):
    account = make_account(org.rep, name="预测客户")
    make_opportunity(org.rep, account, amount=500_000, name="<b>大单</b>")
    html = web(org.executive).get("/").content.decode()
    assert 'hx-get="/home/forecast/team/"' in html and 'hx-get="/home/forecast/regions/"' in html
    assert 'data-testid="forecast-panel"' not in html  # not computed with the page
    team = web(org.executive).get("/home/forecast/team/", HTTP_HX_REQUEST="true")
    assert team.status_code == 200 and 'data-testid="forecast-panel"' in team.content.decode()
    regions = web(org.executive).get("/home/forecast/regions/", HTTP_HX_REQUEST="true")
    assert 'data-testid="forecast-by-region"' in regions.content.decode()
    manager = web(org.manager).get("/").content.decode()
    assert 'hx-get="/home/forecast/team/"' in manager and "/home/forecast/regions/" not in manager
    assert web(org.manager).get("/home/forecast/team/").status_code == 200
    # whoever the page does not show a block to finds no such page
    assert web(org.manager).get("/home/forecast/regions/").status_code == 404
    assert web(org.rep).get("/home/forecast/team/").status_code == 404
    assert "/home/forecast/" not in web(org.rep).get("/").content.decode()
    assert web(org.partner).get("/home/forecast/team/").status_code == 404
    assert web(org.partner).get("/home/forecast/regions/").status_code == 404
    assert web(org.executive).get("/home/forecast/nonsense/").status_code == 404
    assert Client().get("/home/forecast/team/").status_code == 302  # to the login


def test_forecast_block_query_counts_do_not_grow(org, web, django_assert_num_queries):
    account = make_account(org.rep)
    make_opportunity(org.rep, account, amount=100_000)
    counts = [_count(web, org.executive, f"/home/forecast/{part}/") for part in ("team", "regions")]
    for n in range(5):
        make_opportunity(org.rep, account, amount=100_000 + n, name=f"more {n}")
    client = web(org.executive)
    for part, queries in zip(("team", "regions"), counts, strict=True):
        with django_assert_num_queries(queries):
            client.get(f"/home/forecast/{part}/")
