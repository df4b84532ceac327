"""The nightly risk evaluation (issue 17 item 5: 100k open deals < 30 s; playbook rules,
methodology/risks.py, `playbook.jobs.nightly_risks`).

Generates N open deals in bulk (the win-rate benchmark's organisation and deals: 1,000
accounts, 20 reps, one in five unrated), with what the rules read on a share of them — a
confirmed compelling event on one deal in three, a questionnaire on one in two, an activity
on one in four — then times the first run (every finding new, high-severity ones notified),
the idempotent rerun, and a run the next day after one deal in twenty gained an event.
Each run is split into steps (`Steps`): the facts (SQL and the Python that turns rows into
facts), the rule evaluation (Python CPU), writing the findings and the notices, each as wall
seconds, of which SQL, and Python CPU seconds (steadier on a shared machine).

`python -m bench.risks --database URL --deals 100000` runs the same steps over the first N
open deals of an existing database (e.g. a copy of `wuwei_scale_200k`) in a transaction that
is rolled back.
"""

import argparse
import os
import random
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from bench.common import Result, timed

BATCH = 5_000
TARGET_S = 30.0
STEPS = ("facts", "evaluate", "findings", "notices", "other")


class Steps:
    """Wall, SQL wall and CPU seconds per step of `risk_refresh`, by wrapping its parts."""

    def __init__(self) -> None:
        self.wall = dict.fromkeys(STEPS, 0.0)
        self.sql = dict.fromkeys(STEPS, 0.0)
        self.cpu = dict.fromkeys(STEPS, 0.0)
        self.statements = dict.fromkeys(STEPS, 0)
        self.by_statement: dict[str, float] = {}  # SQL seconds by the statement's start
        self.stack: list[str] = []

    def _sql(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            step = self.stack[-1] if self.stack else "other"
            seconds = time.perf_counter() - start
            self.sql[step] += seconds
            self.statements[step] += 1
            head = f"{step}: {sql[:70]}"
            self.by_statement[head] = self.by_statement.get(head, 0.0) + seconds

    def wrap(self, step: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def timed_step(*args: Any, **kwargs: Any) -> Any:
            outer = self.stack[-1] if self.stack else None
            self.stack.append(step)
            wall, cpu = time.perf_counter(), time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
                self.stack.pop()
                self.wall[step] += wall
                self.cpu[step] += cpu
                if outer is not None:  # a step inside another: counted once
                    self.wall[outer] -= wall
                    self.cpu[outer] -= cpu

        return timed_step

    @contextmanager
    def watching(self) -> Iterator["Steps"]:
        from wuwei.playbook import selectors, services

        patched = [
            (selectors, "deal_facts", "facts"),
            (selectors, "evaluate_many", "evaluate"),
            (services, "_refresh_chunk", "findings"),
            (services, "_notify", "notices"),
        ]
        saved = [(module, name, getattr(module, name)) for module, name, _s in patched]
        for module, name, step in patched:
            setattr(module, name, self.wrap(step, getattr(module, name)))
        try:
            with connection.execute_wrapper(self._sql):
                yield self
        finally:
            for module, name, function in saved:
                setattr(module, name, function)

    def results(self, label: str) -> list[Result]:
        return [
            Result(
                f"  {label} {step}: wall (SQL {self.sql[step]:.1f} s in "
                f"{self.statements[step]} statements, CPU {self.cpu[step]:.1f} s)",
                self.wall[step],
                "s",
            )
            for step in STEPS
        ]


def _night(label: str, now: Any, ids: list[int] | None) -> tuple[int, list[Result]]:
    from wuwei.playbook.services import risk_refresh

    steps = Steps()
    cpu = time.process_time()
    with steps.watching():
        new, seconds = timed(lambda: risk_refresh(now=now, opportunity_ids=ids))
    cpu = time.process_time() - cpu
    if os.environ.get("BENCH_SQL_DETAIL"):
        for head, spent in sorted(steps.by_statement.items(), key=lambda x: -x[1])[:8]:
            print(f"    {spent:6.1f} s  {head}")
    results = [
        Result(f"risk evaluation, {label} (CPU {cpu:.1f} s)", seconds, "s", TARGET_S),
        Result(f"  {label}: new findings", new, "rows"),
        *steps.results(label),
    ]
    return new, results


def _changes(ids: list[int], now: Any) -> None:
    """The day between two nights: one deal in twenty gains a confirmed compelling event."""
    from wuwei.opportunities.models import CompellingEvent

    today = timezone.localdate(now)
    CompellingEvent.objects.bulk_create(
        (
            CompellingEvent(
                opportunity_id=pk,
                description="Board decision",
                is_confirmed=True,
                reevaluate_on=today + timedelta(days=30),
            )
            for pk in ids[::20]
        ),
        batch_size=BATCH,
    )


def _nights(ids: list[int] | None) -> list[Result]:
    from wuwei.notifications.models import Notification
    from wuwei.opportunities.winning.selectors import open_deals
    from wuwei.playbook.models import RiskFinding

    reverse("web:home")  # load the URLconf once, as in a running worker (notification links)
    now = timezone.now()
    notifications = Notification.objects.count()
    _new, results = _night("first night", now, ids)
    results += [
        Result("  findings recorded", RiskFinding.objects.count(), "rows"),
        Result(
            "  notifications (high severity)", Notification.objects.count() - notifications, "rows"
        ),
    ]
    again, rerun = _night("rerun", now, ids)
    assert again == 0, again
    results += rerun[:1]
    deals = (
        ids if ids is not None else list(open_deals().order_by("pk").values_list("pk", flat=True))
    )
    _changes(deals, now)
    _new, second = _night("next night, 1 in 20 deals changed", now + timedelta(days=1), ids)
    return results + second


def _facts() -> None:
    from wuwei.opportunities.models import CompellingEvent, Opportunity, Questionnaire
    from wuwei.people.models import Activity

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
    from bench.winrate import _generate, _org

    reps = _org()
    _, seconds = timed(lambda: _generate(scale, reps))
    _facts()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return [Result("generate open deals (bulk)", scale / seconds, "rows/s"), *_nights(None)]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.risks")
    parser.add_argument("--database", required=True, help="postgres://… of an existing database")
    parser.add_argument("--deals", type=int, default=100_000, help="the first N open deals")
    args = parser.parse_args(argv)
    os.environ["DATABASE_URL"] = args.database
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wuwei.settings")
    os.environ["WUWEI_TESTING"] = "0"
    import django

    django.setup()
    from wuwei.opportunities.winning.selectors import open_deals

    print(f"load average {os.getloadavg()[0]:.1f}; {args.deals:,} deals of {args.database}")
    with transaction.atomic():
        if connection.vendor == "postgresql":  # the foreign keys checked now, not at a commit
            with connection.cursor() as cursor:  # that never comes (the run is rolled back)
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        ids = list(open_deals().order_by("pk").values_list("pk", flat=True)[: args.deals])
        for result in _nights(ids):
            print(f"  {result.name:<80} {result.value:>10.1f} {result.unit}")
        transaction.set_rollback(True)
    print(f"load average {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
