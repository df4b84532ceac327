"""The home page per role ("what to do today", issue 14) at scale.

Generates N deals in bulk (bypassing the services: this measures reads, not writes) over 1,000
accounts owned by 20 reps in two sales teams, with what the panels look for: compelling events
due, questionnaires, overdue plan and coaching actions, win-rate drops, risk findings, this
week's activities, presales requests (queued and awaiting approval), assignments and ledger
costs. Then times GET / for a rep, a manager, a presales delivery lead and an executive, and
each panel's selector for the manager and the rep.
"""

import random
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import connection
from django.test import Client
from django.utils import timezone

from bench.common import Result, median_ms, timed
from wuwei.accounts.models import Account, AccountPlan, PlanAction
from wuwei.coaching.models import CoachingAction, CoachingReview
from wuwei.core.visibility import scope_for
from wuwei.opportunities.models import (
    OPEN_STAGES,
    CompellingEvent,
    Opportunity,
    Questionnaire,
    Stage,
    WinRateChange,
)
from wuwei.org.models import Role, TeamKind, User
from wuwei.org.services import team_create, user_create
from wuwei.people.models import Activity
from wuwei.playbook.models import RiskFinding, RiskRule
from wuwei.support.models import (
    Assignment,
    LedgerEntry,
    LevelRate,
    PresalesRequest,
    Queue,
    RequestState,
    Resource,
)
from wuwei.web import home

BATCH = 5_000


def _user(name: str, roles: list[str], team: Any) -> User:
    return user_create(
        username=name, password="bench-password-1", roles=roles, team=team, validate=False
    )


def _org() -> dict[str, Any]:
    company = team_create(user=None, name="Bench Co", kind=TeamKind.COMPANY)
    teams = [
        team_create(user=None, name=f"Sales {i}", kind=TeamKind.SALES, parent=company)
        for i in range(2)
    ]
    centre = team_create(
        user=None, name="Delivery centre", kind=TeamKind.DELIVERY_CENTER, parent=company
    )
    level = LevelRate.objects.create(level="P2", day_rate=Decimal(2000))
    engineers = [_user(f"engineer{i}", [Role.PRESALES], centre) for i in range(10)]
    resources = Resource.objects.bulk_create(
        Resource(user=e, home_unit=centre, level=level, skills=["erp"]) for e in engineers
    )
    return {
        "reps": [_user(f"rep{i}", [Role.REP], teams[i % 2]) for i in range(20)],
        "manager": _user("manager", [Role.MANAGER], teams[0]),
        "executive": _user("executive", [Role.EXECUTIVE], company),
        "lead": _user("lead", [Role.DELIVERY_LEAD, Role.PRESALES], centre),
        "centre": centre,
        "resources": resources,
    }


def _grade(amount: Decimal) -> str:
    return "A" if amount >= 5_000_000 else "B" if amount >= 1_000_000 else "C"


def _deals(n: int, org: dict[str, Any], rng: random.Random) -> list[Opportunity]:
    reps = org["reps"]
    accounts = Account.objects.bulk_create(
        Account(
            name=f"Account {i}",
            name_normalized=f"account {i}",
            owner=reps[i % len(reps)],
            team=reps[i % len(reps)].team,
        )
        for i in range(1_000)
    )
    stages = [*OPEN_STAGES, Stage.WON, Stage.LOST]
    today, now = date.today(), timezone.now()
    created: list[Opportunity] = []
    for start in range(0, n, BATCH):
        rows = []
        for _i in range(start, min(n, start + BATCH)):
            account = accounts[rng.randrange(len(accounts))]
            amount = Decimal(rng.choice([400_000, 2_000_000, 8_000_000]) + rng.randint(0, 9999))
            grade = _grade(amount)
            rows.append(
                Opportunity(
                    account=account,
                    name=f"Deal {_i}",
                    amount=amount,
                    owner=account.owner,
                    team=account.team,
                    stage=rng.choice(stages),
                    grade=grade,
                    track="big_project" if grade in "AB" else "fast_track",
                    expected_close=today + timedelta(days=rng.randint(-100, 300)),
                    stage_entered_at=now - timedelta(days=rng.randint(0, 200)),
                    win_rate=rng.choice([None, 20, 40, 60]),
                )
            )
        created += Opportunity.objects.bulk_create(rows)
    return created


def _records(deals: list[Opportunity], org: dict[str, Any], rng: random.Random) -> None:
    today, now = date.today(), timezone.now()
    monday = today - timedelta(days=today.weekday())
    rules = list(RiskRule.objects.values_list("pk", flat=True))
    CompellingEvent.objects.bulk_create(
        CompellingEvent(
            opportunity=d,
            description="Go-live",
            is_confirmed=True,
            reevaluate_on=today + timedelta(days=rng.randint(-30, 60)),
        )
        for d in deals[::3]
    )
    Questionnaire.objects.bulk_create(
        Questionnaire(
            opportunity=d,
            role="rep",
            answered_by=d.owner,
            answered_at=now - timedelta(days=rng.randint(0, 40)),
            has_inside_source=True,
            us_fit=6,
            us_closeness=6,
            win_rate=40,
        )
        for d in deals[::2]
    )
    WinRateChange.objects.bulk_create(
        WinRateChange(opportunity=d, week=monday, previous=60, current=30) for d in deals[::20]
    )
    RiskFinding.objects.bulk_create(
        RiskFinding(opportunity=d, rule_id=rule, first_seen_at=now, last_seen_at=now)
        for d in deals[::5]
        for rule in rng.sample(rules, 2)
    )
    Activity.objects.bulk_create(
        Activity(
            kind="call",
            occurred_on=monday + timedelta(days=rng.randint(-20, 6)),
            account_id=d.account_id,
            opportunity=d,
            subject="Call",
            owner_id=d.owner_id,
        )
        for d in deals[::2]
    )
    accounts = Account.objects.order_by("pk")
    plans = AccountPlan.objects.bulk_create(
        AccountPlan(account=a, year=today.year) for a in accounts
    )
    PlanAction.objects.bulk_create(
        PlanAction(
            plan=p, title="Action", owner_id=p.account.owner_id, due=today - timedelta(days=3)
        )
        for p in plans
    )
    manager = org["manager"]
    reviews = CoachingReview.objects.bulk_create(
        CoachingReview(
            opportunity=d,
            reviewer=manager,
            reviewed_at=now,
            comments="Push",
            stage_at_review=d.stage,
        )
        for d in deals[::10]
    )
    CoachingAction.objects.bulk_create(
        CoachingAction(
            review=r,
            opportunity_id=r.opportunity_id,
            title="Map the approver",
            owner_id=r.opportunity.owner_id,
            due=today - timedelta(days=1),
        )
        for r in reviews
    )
    _presales(deals[1::25], org, rng)


def _presales(deals: list[Opportunity], org: dict[str, Any], rng: random.Random) -> None:
    today = date.today()
    states = [RequestState.QUEUED, RequestState.AWAITING_APPROVAL, RequestState.ASSIGNED]
    requests = PresalesRequest.objects.bulk_create(
        PresalesRequest(
            opportunity=d,
            requested_by_id=d.owner_id,
            skills=["erp"],
            effort_days=Decimal(4),
            start=today,
            end=today + timedelta(days=11),
            purpose="Demo",
            queue=Queue.DELIVERY_CENTER if d.grade in "AB" else Queue.HOTLINE,
            unit=org["centre"] if d.grade in "AB" else None,
            state=rng.choice(states),
            estimated_cost=Decimal(8000),
            budget_at_request=Decimal(6000),
        )
        for d in deals
    )
    assigned = [r for r in requests if r.state == RequestState.ASSIGNED]
    assignments = Assignment.objects.bulk_create(
        Assignment(
            request=r,
            resource=org["resources"][i % len(org["resources"])],
            start=r.start,
            end=r.end,
            days=Decimal(2),
            day_rate=Decimal(2000),
            cost=Decimal(4000),
            assigned_by=org["lead"],
        )
        for i, r in enumerate(assigned)
    )
    LedgerEntry.objects.bulk_create(
        LedgerEntry(
            opportunity_id=a.request.opportunity_id,
            kind="charge",
            amount=a.cost,
            days=a.days,
            assignment=a,
            description="Assignment",
            created_by=org["lead"],
        )
        for a in assignments
    )


def run(scale: int) -> list[Result]:
    rng = random.Random(11)
    org = _org()
    deals, seconds = timed(lambda: _deals(scale, org, rng))
    _records(deals, org, rng)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    results = [Result("generate deals (bulk)", scale / seconds, "rows/s")]
    people = {
        "rep": org["reps"][0],
        "manager": org["manager"],
        "presales lead": org["lead"],
        "executive": org["executive"],
    }
    for who, user in people.items():
        results.append(_page(user, who))
    # lazy panels arrive as their own request (the coaching queue's selector)
    results.append(_page(org["manager"], "manager", "/home/coaching_head/"))
    for who in ("rep", "manager"):
        results += _panels(people[who], who)
    return results


def _page(user: User, who: str, path: str = "/") -> Result:
    headers = {"HTTP_HX_REQUEST": "true"} if path != "/" else {}
    client = Client(SERVER_NAME="localhost", **headers)
    client.force_login(user)

    def get() -> Any:
        response = client.get(path)
        assert response.status_code == 200, response.status_code
        return response

    name = f"{who}: GET / (today)" if path == "/" else f"{who}: GET {path} (htmx)"
    return Result(name, median_ms(get), "ms", target=1000)


def _panels(user: User, who: str) -> list[Result]:
    user = User.objects.get(pk=user.pk)  # a fresh scope, as a request has
    [section] = [s for s in home.sections_for(user) if s.key == ("rep" if who == "rep" else who)]
    today = home.Today(user, scope_for(user), date.today(), timezone.now())
    return [
        Result(
            f"{who}: panel {panel.key}",
            median_ms(lambda panel=panel: panel.rows(today)),
            "ms",
            target=300,
        )
        for panel in section.panels
        if not panel.lazy
    ]
