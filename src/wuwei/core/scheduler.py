"""Periodic jobs on the job queue (README "Scheduled jobs").

Apps register jobs (`register_job(name, every, run)`) from AppConfig.ready(). The scheduler
loop lives in the worker processes (`wuwei worker`, and the worker `wuwei serve` starts), never
in the web processes: every few seconds it looks at each job's current *period slot* (time cut
into `every`-long slots from a fixed Monday midnight, local time) and claims it by inserting a
`ScheduledRun(name, slot)` row. The unique pair lets exactly one process win the slot, whatever
the number of workers and machines; the winner enqueues one run of `run_scheduled`, which calls
`run(now)`. A failing run is logged on its JobRun and tried again in the next slot.
`WUWEI_SCHEDULER=0` turns the loop off (then run the commands from cron); the jobs stay
idempotent, so a cron line beside the loop is harmless.
"""

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wuwei.core.jobs import JobContext, job
from wuwei.core.models import ScheduledRun

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Job:
    name: str
    every: timedelta
    run: Callable[[datetime], object]


_jobs: dict[str, Job] = {}


def register_job(name: str, every: timedelta, run: Callable[[datetime], object]) -> None:
    """Add (or replace, by name) a periodic job; `run(now)` gets the aware current time."""
    if every <= timedelta(0):
        raise ValueError("every must be positive")
    _jobs[name] = Job(name, every, run)


def registered_jobs() -> list[Job]:
    return list(_jobs.values())


def slot_start(now: datetime, every: timedelta) -> datetime:
    """The start of the `every`-long slot holding `now`, counted from Monday 2000-01-03 00:00
    in the current time zone (so a daily slot starts at local midnight, a weekly on Monday)."""
    local = timezone.localtime(now)
    epoch = datetime(2000, 1, 3, tzinfo=local.tzinfo)
    slots = (local.replace(tzinfo=None) - epoch.replace(tzinfo=None)) // every
    return timezone.make_aware(epoch.replace(tzinfo=None) + slots * every, local.tzinfo)


class Scheduler:
    """Claims due slots and enqueues their runs; the clock is a parameter for tests."""

    def __init__(
        self,
        jobs: Sequence[Job] | None = None,
        clock: Callable[[], datetime] = timezone.now,
    ) -> None:
        self._jobs = list(jobs) if jobs is not None else None
        self.clock = clock

    @property
    def jobs(self) -> list[Job]:
        return self._jobs if self._jobs is not None else registered_jobs()

    def tick(self) -> list[str]:
        """Enqueue one run for each job whose current slot nobody has claimed yet."""
        now = self.clock()
        enqueued = []
        for periodic in self.jobs:
            if self.claim(periodic, slot_start(now, periodic.every)):
                enqueued.append(periodic.name)
        return enqueued

    def claim(self, periodic: Job, slot: datetime) -> bool:
        if ScheduledRun.objects.filter(name=periodic.name, slot=slot).exists():
            return False
        try:
            with transaction.atomic():
                claimed = ScheduledRun.objects.create(name=periodic.name, slot=slot)
                run = run_scheduled.enqueue(name=periodic.name, slot=slot.isoformat())
                claimed.job_run = run
                claimed.save(update_fields=["job_run"])
        except IntegrityError:
            return False  # another process claimed this slot first
        return True


@job(title=_("Scheduled job"))
def run_scheduled(ctx: JobContext, *, name: str, slot: str) -> Any:
    """The queued run of one periodic job for one slot."""
    periodic = _jobs.get(name)
    if periodic is None:
        raise LookupError(f"no periodic job named {name!r} in this process")
    ctx.progress(0, 1, name)
    outcome = periodic.run(timezone.now())
    return None if outcome is None else str(outcome)
