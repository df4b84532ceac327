"""Weekly win-rate snapshot at scale ("100k open deals in seconds, not minutes", §4.6).

Generates N open deals with win rates in bulk (bypassing the services: this measures the
snapshot, not deal creation), snapshots last week, moves 1 deal in 20 by 15 points, then
times this week's first run (N rows plus the change events and their notifications to owner
and manager), the idempotent rerun, and the scheduler's hourly "anything missing?" check.
"""

import random
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Case, F, When
from django.urls import reverse
from django.utils import timezone

from bench.common import Result, median_ms, timed
from wuwei.accounts.models import Account
from wuwei.notifications.models import Notification
from wuwei.opportunities.models import OPEN_STAGES, Opportunity
from wuwei.opportunities.winning.selectors import week_monday
from wuwei.opportunities.winning.snapshots import snapshot_needed, snapshot_week
from wuwei.org.models import Role, TeamKind, User
from wuwei.org.services import team_create, user_create

BATCH = 5_000
SECONDS_TARGET = 10.0  # "seconds, not minutes"


def _org() -> list[User]:
    company = team_create(user=None, name="Win-rate bench", kind=TeamKind.COMPANY)
    teams = [
        team_create(user=None, name=f"Win-rate sales {i}", kind=TeamKind.SALES, parent=company)
        for i in range(2)
    ]
    for i, team in enumerate(teams):
        user_create(username=f"wr_manager{i}", password=None, roles=[Role.MANAGER], team=team)
    return [
        user_create(username=f"wr_rep{i}", password=None, roles=[Role.REP], team=teams[i % 2])
        for i in range(20)
    ]


def _generate(n: int, reps: list[User]) -> None:
    rng = random.Random(11)
    accounts = Account.objects.bulk_create(
        Account(name=f"WR account {i}", name_normalized=f"wr account {i}", owner=reps[i % 20])
        for i in range(1_000)
    )
    now = timezone.now()
    for start in range(0, n, BATCH):
        rows = []
        for i in range(start, min(n, start + BATCH)):
            account = accounts[rng.randrange(len(accounts))]
            rows.append(
                Opportunity(
                    account=account,
                    name=f"WR deal {i}",
                    amount=Decimal(rng.randint(50_000, 9_000_000)),
                    owner=account.owner,
                    team=account.owner.team,
                    stage=rng.choice(OPEN_STAGES),
                    # one in five not rated (no confirmed compelling event)
                    win_rate=None if rng.random() < 0.2 else rng.randint(0, 100),
                    stage_entered_at=now,
                )
            )
        Opportunity.objects.bulk_create(rows)


def _move_one_in_twenty() -> int:
    """±15 points on every 20th rated deal: change events for the second week."""
    return (
        Opportunity.objects.annotate(bucket=F("id") % 20)
        .filter(bucket=0, win_rate__isnull=False)
        .update(
            win_rate=Case(
                When(win_rate__gte=15, then=F("win_rate") - 15), default=F("win_rate") + 15
            )
        )
    )


def run(scale: int) -> list[Result]:
    reps = _org()
    _, seconds = timed(lambda: _generate(scale, reps))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    reverse("web:home")  # load the URLconf once, as in a running server (notification links)
    this_week = week_monday(timezone.localdate())
    last_week = this_week - timedelta(days=7)
    results = [Result("generate open deals (bulk)", scale / seconds, "rows/s")]
    first, seconds = timed(lambda: snapshot_week(as_of=last_week))
    results.append(
        Result(f"snapshot last week: {first.created:,} rows", seconds, "s", SECONDS_TARGET)
    )
    moved = _move_one_in_twenty()
    notifications = Notification.objects.count()
    second, seconds = timed(lambda: snapshot_week(as_of=this_week))
    notified = Notification.objects.count() - notifications
    results.append(
        Result(
            f"snapshot this week: {second.created:,} rows, {second.change_events:,} events",
            seconds,
            "s",
            SECONDS_TARGET,
        )
    )
    results.append(Result(f"  deals moved 15 points: {moved:,}", second.change_events, "events"))
    results.append(Result("  notifications (owner + manager)", notified, "rows"))
    again, seconds = timed(lambda: snapshot_week(as_of=this_week))
    assert (again.created, again.change_events) == (0, 0), again
    results.append(Result("rerun same week (idempotent, creates 0)", seconds, "s", 2.0))
    results.append(
        Result(
            "hourly check: anything missing? (no)",
            median_ms(lambda: _assert_not_needed(this_week)),
            "ms",
            1_000,
        )
    )
    return results


def _assert_not_needed(week: Any) -> None:
    assert snapshot_needed(as_of=week) is False
