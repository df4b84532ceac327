"""The nightly risk evaluation (issue 17 item 5: 100k open deals < 30 s; playbook rules,
methodology/risks.py, `playbook.jobs.nightly_risks`).

Generates N open deals in bulk (the win-rate benchmark's organisation and deals: 1,000
accounts, 20 reps, one in five unrated), with what the rules read on a share of them — a
confirmed compelling event on one deal in three, a questionnaire on one in two, an activity
on one in four — then times the first run (every finding new, high-severity ones notified),
the idempotent rerun, and a run after one deal in twenty gained an event.
"""

import random
from datetime import timedelta

from django.db import connection
from django.urls import reverse
from django.utils import timezone

from bench.common import Result, timed
from bench.winrate import _generate, _org
from wuwei.notifications.models import Notification
from wuwei.opportunities.models import CompellingEvent, Opportunity, Questionnaire
from wuwei.people.models import Activity
from wuwei.playbook.jobs import nightly_risks
from wuwei.playbook.models import RiskFinding

BATCH = 5_000
TARGET_S = 30.0


def _facts() -> None:
    rng = random.Random(17)
    today, now = timezone.localdate(), timezone.now()
    deals = list(Opportunity.objects.order_by("pk").values_list("pk", "owner_id", "account_id"))
    CompellingEvent.objects.bulk_create(
        (
            CompellingEvent(
                opportunity_id=pk,
                description="Go-live",
                is_confirmed=True,
                reevaluate_on=today + timedelta(days=rng.randint(-30, 60)),
            )
            for pk, _o, _a in deals[::3]
        ),
        batch_size=BATCH,
    )
    Questionnaire.objects.bulk_create(
        (
            Questionnaire(
                opportunity_id=pk,
                role="rep",
                answered_by_id=owner,
                answered_at=now - timedelta(days=rng.randint(0, 60)),
                has_inside_source=rng.random() < 0.5,
                us_fit=6,
                us_closeness=6,
                win_rate=40,
            )
            for pk, owner, _a in deals[::2]
        ),
        batch_size=BATCH,
    )
    Activity.objects.bulk_create(
        (
            Activity(
                kind="call",
                occurred_on=today - timedelta(days=rng.randint(0, 90)),
                account_id=account,
                opportunity_id=pk,
                subject="Call",
                owner_id=owner,
            )
            for pk, owner, account in deals[::4]
        ),
        batch_size=BATCH,
    )


def run(scale: int) -> list[Result]:
    reps = _org()
    _, seconds = timed(lambda: _generate(scale, reps))
    _facts()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    reverse("web:home")  # load the URLconf once, as in a running worker (notification links)
    results = [Result("generate open deals (bulk)", scale / seconds, "rows/s")]
    notifications = Notification.objects.count()
    new, seconds = timed(lambda: nightly_risks(timezone.now()))
    notified = Notification.objects.count() - notifications
    results += [
        Result(f"risk evaluation, first night: {scale:,} deals", seconds, "s", TARGET_S),
        Result("  findings recorded", RiskFinding.objects.count(), "rows"),
        Result(f"  new findings: {new:,}; notifications (high severity)", notified, "rows"),
    ]
    again, seconds = timed(lambda: nightly_risks(timezone.now()))
    assert again == 0, again
    results.append(Result("risk evaluation, next night (nothing new)", seconds, "s", TARGET_S))
    return results
