"""The five-dimension scorecard (METHOD.md §8) at scale: target < 300 ms for a team's
scorecard over N deals (200k on PostgreSQL: `python -m bench scorecard --scale 200000
--postgres postgres://postgres@127.0.0.1:5432`).

Reuses the opportunities benchmark's organisation and deals, then closes the won and lost
deals on their expected date, records the uses at close, grades the accounts, and posts
presales cost on one deal in ten (bulk, bypassing the services: this measures reads)."""

import random
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import F
from django.test import Client
from django.utils import timezone

from bench.common import Result, median_ms, timed
from bench.opportunities import _generate, _org
from wuwei.accounts.models import Account, AccountGrading
from wuwei.insights.scorecard.models import DealUse
from wuwei.insights.scorecard.scope import Period, scorecard_reach
from wuwei.insights.scorecard.selectors import scorecard
from wuwei.opportunities.models import Opportunity, Stage
from wuwei.support.models import LedgerEntry

BATCH = 5_000


def _facts(org: dict[str, Any]) -> None:
    rng = random.Random(11)
    closed = Opportunity.objects.filter(stage__in=(Stage.WON, Stage.LOST))
    closed.update(closed_on=F("expected_close"))
    rows = closed.values_list("pk", "stage", "expected_close")
    DealUse.objects.bulk_create(
        (
            DealUse(
                opportunity_id=pk,
                outcome=stage,
                closed_on=day,
                connections_used=rng.random() < 0.4,
                solution_used=rng.random() < 0.5,
                rules_used=rng.random() < 0.7,
            )
            for pk, stage, day in rows.iterator()
        ),
        batch_size=BATCH,
    )
    grader = org["manager"]
    gradings = []
    for account_id in Account.objects.values_list("pk", flat=True):
        for days_ago in (400, 30):
            klass = rng.choice("ABCD")
            gradings.append(
                AccountGrading(
                    account_id=account_id,
                    revenue=50,
                    potential=50,
                    demonstration=50,
                    can_win_deliver=50,
                    score=50,
                    grade=klass,
                    potential_level="medium",
                    contribution_level="medium",
                    account_class=klass,
                    graded_by=grader,
                    created_at=timezone.now() - timedelta(days=days_ago),
                )
            )
    created = AccountGrading.objects.bulk_create(gradings, batch_size=BATCH)
    # created_at is auto_now_add: put the first grading of each account back in time
    AccountGrading.objects.filter(pk__in=[g.pk for g in created[::2]]).update(
        created_at=timezone.now() - timedelta(days=400)
    )
    LedgerEntry.objects.bulk_create(
        (
            LedgerEntry(
                opportunity_id=pk,
                kind="charge",
                amount=Decimal(rng.randint(1_000, 50_000)),
                days=Decimal(rng.randint(1, 5)),
                description="bench",
                created_by=grader,
            )
            for pk in _every_tenth()
        ),
        batch_size=BATCH,
    )


def _every_tenth() -> list[int]:
    ids = list(Opportunity.objects.order_by("pk").values_list("pk", flat=True))
    return ids[::10]


def run(scale: int) -> list[Result]:
    org = _org()
    _, seconds = timed(lambda: _generate(scale, org))
    _facts(org)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    results = [Result("generate deals (bulk)", scale / seconds, "rows/s")]
    today = date.today()
    period = Period(date(today.year, 1, 1), today)
    for who in ("manager", "executive"):
        user = org[who]
        team = org["teams"][0].pk if who == "executive" else None
        reach = scorecard_reach(user=user, team_id=team)

        def build(user: Any = user, reach: Any = reach) -> Any:
            return scorecard(user=user, reps=reach.reps, period=period)

        client = Client(SERVER_NAME="localhost")
        client.force_login(user)
        query = f"?date_from={period.date_from}&date_to={period.date_to}"
        if team:
            query += f"&team={team}"

        def page(client: Client = client, query: str = query) -> Any:
            response = client.get(f"/scorecard/{query}")
            assert response.status_code == 200, response.status_code
            return response

        results += [
            Result(f"{who}: team scorecard (selectors)", median_ms(build), "ms", target=300),
            Result(f"{who}: scorecard page", median_ms(page), "ms", target=300),
        ]
    return results
