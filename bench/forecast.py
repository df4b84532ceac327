"""Forecast and pipeline analytics at scale (issue 14 item 9: < 300 ms at 200k deals).

Generates N deals in bulk (bypassing the services: this measures the reads) over two regions,
eight teams and forty reps — three in four open, close dates over two years, one in five
unrated — with a stage-history row per deal, competitors on the closed ones and last week's
win-rate snapshot (the real bulk INSERT … SELECT). Then times the forecast grid (quarters of
this year and next, and months of this quarter), the home-page summary and the pipeline
report, for an executive (every deal) and a regional manager (half of them).
"""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.db import connection
from django.utils import timezone

from bench.common import Result, median_ms, timed
from wuwei.accounts.models import Account
from wuwei.insights.forecast.selectors import forecast_grid, team_forecast_summary
from wuwei.insights.pipeline import pipeline_report
from wuwei.methodology.forecast import PeriodKind, period_of
from wuwei.opportunities.models import (
    OPEN_STAGES,
    Competitor,
    Opportunity,
    OpportunityCompetitor,
    StageHistory,
)
from wuwei.opportunities.winning.selectors import week_monday
from wuwei.opportunities.winning.snapshots import snapshot_week
from wuwei.org.models import Role, TeamKind, User
from wuwei.org.services import team_create, user_create

BATCH = 5_000
TARGET_MS = 300.0


def _org() -> tuple[User, User, list[User]]:
    company = team_create(user=None, name="Forecast bench", kind=TeamKind.COMPANY)
    regions = [
        team_create(user=None, name=f"FC region {r}", kind=TeamKind.REGION, parent=company)
        for r in range(2)
    ]
    teams = [
        team_create(user=None, name=f"FC team {t}", kind=TeamKind.SALES, parent=regions[t % 2])
        for t in range(8)
    ]
    executive = user_create(username="fc_exec", password=None, roles=[Role.EXECUTIVE], team=company)
    manager = user_create(
        username="fc_region_manager", password=None, roles=[Role.MANAGER], team=regions[0]
    )
    reps = [
        user_create(username=f"fc_rep{i}", password=None, roles=[Role.REP], team=teams[i % 8])
        for i in range(40)
    ]
    return executive, manager, reps


def _generate(n: int, reps: list[User]) -> None:
    rng = random.Random(14)
    accounts = Account.objects.bulk_create(
        Account(name=f"FC account {i}", name_normalized=f"fc account {i}", owner=reps[i % 40])
        for i in range(2_000)
    )
    competitors = Competitor.objects.bulk_create(
        Competitor(name=f"FC rival {i}") for i in range(12)
    )
    today = timezone.localdate()
    start = date(today.year, 1, 1)
    now = timezone.now()
    for first in range(0, n, BATCH):
        rows = []
        for i in range(first, min(n, first + BATCH)):
            account = accounts[rng.randrange(len(accounts))]
            closed = rng.random() < 0.25
            stage = rng.choice(["won", "lost"]) if closed else rng.choice(OPEN_STAGES)
            close = start + timedelta(days=rng.randrange(730))
            rows.append(
                Opportunity(
                    account=account,
                    name=f"FC deal {i}",
                    amount=Decimal(rng.randint(50_000, 9_000_000)),
                    owner=account.owner,
                    team=account.owner.team,
                    stage=stage,
                    grade=rng.choice("ABCD"),
                    expected_close=close,
                    closed_on=close - timedelta(days=400) if closed else None,
                    win_rate=None if rng.random() < 0.2 else rng.randint(0, 100),
                    stage_entered_at=now,
                )
            )
        deals = Opportunity.objects.bulk_create(rows)
        StageHistory.objects.bulk_create(
            StageHistory(
                opportunity=deal,
                stage=OPEN_STAGES[rng.randrange(len(OPEN_STAGES))],
                entered_at=now - timedelta(days=rng.randrange(300) + 20),
                left_at=now - timedelta(days=rng.randrange(19)) if rng.random() < 0.5 else None,
            )
            for deal in deals
        )
        OpportunityCompetitor.objects.bulk_create(
            OpportunityCompetitor(opportunity=deal, competitor=rng.choice(competitors))
            for deal in deals
            if deal.stage in ("won", "lost")
        )


def run(scale: int) -> list[Result]:
    executive, manager, reps = _org()
    _, seconds = timed(lambda: _generate(scale, reps))
    results = [Result("generate deals, stage history, competitors", scale / seconds, "rows/s")]
    today = timezone.localdate()
    last_week = week_monday(today) - timedelta(days=7)
    _, seconds = timed(lambda: snapshot_week(as_of=last_week))
    results.append(Result("snapshot last week (INSERT … SELECT)", seconds, "s"))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    quarter = period_of(today, PeriodKind.QUARTER)
    two_years = (date(today.year, 1, 1), date(today.year + 1, 12, 31))
    for who, user in (("executive", executive), ("regional manager", manager)):
        grid = forecast_grid(user=user, date_from=two_years[0], date_to=two_years[1])
        deals = grid.figures.deals
        results.append(
            Result(
                f"forecast 8 quarters, {who} ({deals:,} open deals)",
                median_ms(
                    lambda u=user: forecast_grid(
                        user=u, date_from=two_years[0], date_to=two_years[1]
                    )
                ),
                "ms",
                TARGET_MS,
            )
        )
        results.append(
            Result(
                f"forecast months of this quarter, {who}",
                median_ms(
                    lambda u=user: forecast_grid(
                        user=u,
                        kind=PeriodKind.MONTH,
                        date_from=quarter.start,
                        date_to=quarter.end,
                    )
                ),
                "ms",
                TARGET_MS,
            )
        )
        results.append(
            Result(
                f"home summary this quarter, {who}",
                median_ms(lambda u=user: team_forecast_summary(u)),
                "ms",
                TARGET_MS,
            )
        )
        results.append(
            Result(
                f"pipeline analytics this year, {who}",
                median_ms(
                    lambda u=user: pipeline_report(
                        user=u, date_from=date(today.year, 1, 1), date_to=today
                    ),
                    repeat=3,
                ),
                "ms",
                TARGET_MS,
            )
        )
    return results
