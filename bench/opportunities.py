"""Opportunity list, totals and pipeline board at scale ("fast at 100k deals").

Generates N deals in bulk (bypassing the services: this measures reads, not writes) over
1,000 accounts owned by reps in two sales teams, then times what the pages and the API run:
the first and a deep keyset page, filtered lists, totals by stage and grade, the board
columns, and the two pages through the Django test client.
"""

import random
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import connection
from django.test import Client
from django.utils import timezone

from bench.common import Result, median_ms, timed
from wuwei.accounts.models import Account
from wuwei.core.pagination import keyset_page
from wuwei.opportunities import selectors
from wuwei.opportunities.models import OPEN_STAGES, Opportunity, OpportunityMember, Stage
from wuwei.org.models import Role, TeamKind, User
from wuwei.org.services import team_create, user_create

BATCH = 5_000


def _org() -> dict[str, Any]:
    company = team_create(user=None, name="Bench Co", kind=TeamKind.COMPANY)
    teams = [
        team_create(user=None, name=f"Sales {i}", kind=TeamKind.SALES, parent=company)
        for i in range(2)
    ]

    def user(name: str, roles: list[str], team: Any) -> User:
        return user_create(
            username=name, password="bench-password-1", roles=roles, team=team, validate=False
        )

    reps = [user(f"rep{i}", [Role.REP], teams[i % 2]) for i in range(20)]
    return {
        "reps": reps,
        "manager": user("manager", [Role.MANAGER], teams[0]),
        "executive": user("executive", [Role.EXECUTIVE], company),
        "teams": teams,
    }


def _generate(n: int, org: dict[str, Any]) -> None:
    rng = random.Random(7)
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
    now = timezone.now()
    today = date.today()
    for start in range(0, n, BATCH):
        rows = []
        for i in range(start, min(n, start + BATCH)):
            account = accounts[rng.randrange(len(accounts))]
            amount = Decimal(
                rng.choice([50_000, 400_000, 2_000_000, 8_000_000]) + rng.randint(0, 9999)
            )
            grade = (
                "A"
                if amount >= 5_000_000
                else "B"
                if amount >= 1_000_000
                else "C"
                if amount >= 200_000
                else "D"
            )
            rows.append(
                Opportunity(
                    account=account,
                    name=f"Deal {i}",
                    amount=amount,
                    owner=account.owner,
                    team=account.team,
                    stage=rng.choice(stages),
                    grade=grade,
                    track="big_project" if grade in "AB" else "fast_track",
                    expected_close=today + timedelta(days=rng.randint(-200, 400)),
                    stage_entered_at=now - timedelta(days=rng.randint(0, 200)),
                )
            )
        created = Opportunity.objects.bulk_create(rows)
        OpportunityMember.objects.bulk_create(
            OpportunityMember(opportunity=o, user=reps[rng.randrange(len(reps))], role="presales")
            for o in created[::10]
        )


def _deep_cursor(user: User) -> str | None:
    qs = selectors.opportunity_list(user=user, filters=selectors.OpportunityFilters())
    page = keyset_page(qs, sort="-amount", limit=500)
    for _ in range(19):  # 10,000 rows in
        if page.next is None:
            break
        page = keyset_page(qs, sort="-amount", limit=500, cursor=page.next)
    return page.next


def run(scale: int) -> list[Result]:
    org = _org()
    _, seconds = timed(lambda: _generate(scale, org))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    results = [Result("generate deals (bulk)", scale / seconds, "rows/s")]
    for who in ("executive", "manager"):
        results += _measure(org[who], who)
    return results


def _measure(user: User, who: str) -> list[Result]:
    none = selectors.OpportunityFilters()
    filtered = selectors.OpportunityFilters(
        stage="bidding", grade="A", close_period=str(date.today().year)
    )
    cursor = _deep_cursor(user)

    def page(filters: Any = none, cursor: str | None = None) -> Any:
        qs = selectors.opportunity_list(user=user, filters=filters)
        return keyset_page(
            qs.prefetch_related("products"), sort="-amount", limit=50, cursor=cursor
        ).items

    client = Client(SERVER_NAME="localhost")
    client.force_login(user)

    def get(path: str) -> Any:
        response = client.get(path)
        assert response.status_code == 200, response.status_code
        return response

    return [
        Result(f"{who}: list first page of 50", median_ms(page), "ms", target=100),
        Result(
            f"{who}: list page after 10,000 rows",
            median_ms(lambda: page(cursor=cursor)),
            "ms",
            target=100,
        ),
        Result(
            f"{who}: stage + grade + close filter",
            median_ms(lambda: page(filtered)),
            "ms",
            target=100,
        ),
        Result(
            f"{who}: totals by stage and grade",
            median_ms(
                lambda: selectors.opportunity_totals(
                    selectors.opportunity_list(user=user, filters=none)
                )
            ),
            "ms",
            target=800,
        ),
        Result(
            f"{who}: board columns (25 cards each)",
            median_ms(lambda: selectors.board_columns(user=user, filters=none)),
            "ms",
            target=800,
        ),
        Result(
            f"{who}: GET /opportunities/ (page + totals)",
            median_ms(lambda: get("/opportunities/")),
            "ms",
            target=1000,
        ),
        Result(
            f"{who}: GET /opportunities/board/",
            median_ms(lambda: get("/opportunities/board/")),
            "ms",
            target=1000,
        ),
    ]
