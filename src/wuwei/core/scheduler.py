"""Background jobs inside the web processes (README "Scheduled jobs").

Apps register jobs (`register_job(name, every, run)`) from AppConfig.ready(); each web
process (wsgi.py) starts one daemon thread that wakes every minute and runs the jobs whose
interval has passed since that process last ran them. Jobs must be idempotent — several
processes or a cron line may run the same job — and cheap when there is nothing to do.
`WUWEI_SCHEDULER=0` turns the thread off (then run the commands from cron).
"""

import logging
import random
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import close_old_connections, connections
from django.utils import timezone

logger = logging.getLogger(__name__)

POLL_SECONDS = 60.0
INITIAL_DELAY_SECONDS = 30.0


@dataclass(frozen=True, slots=True)
class Job:
    name: str
    every: timedelta
    run: Callable[[datetime], object]


_jobs: dict[str, Job] = {}
_thread: threading.Thread | None = None
_stop = threading.Event()


def register_job(name: str, every: timedelta, run: Callable[[datetime], object]) -> None:
    """Add (or replace, by name) a job; `run(now)` gets the aware current time."""
    _jobs[name] = Job(name, every, run)


def registered_jobs() -> list[Job]:
    return list(_jobs.values())


def is_due(*, now: datetime, last_run: datetime | None, every: timedelta) -> bool:
    """Never run in this process, or run at least `every` ago."""
    return last_run is None or now - last_run >= every


class Scheduler:
    """Decides and runs; the clock is a parameter so tests need no sleeping."""

    def __init__(
        self,
        jobs: Sequence[Job] | None = None,
        clock: Callable[[], datetime] = timezone.now,
    ) -> None:
        self.jobs = list(jobs) if jobs is not None else registered_jobs()
        self.clock = clock
        self.last_run: dict[str, datetime] = {}

    def due(self) -> list[Job]:
        now = self.clock()
        return [
            job
            for job in self.jobs
            if is_due(now=now, last_run=self.last_run.get(job.name), every=job.every)
        ]

    def tick(self) -> list[str]:
        """Run the due jobs once; a failing job is logged and retried after its interval."""
        ran = []
        for job in self.due():
            now = self.clock()
            self.last_run[job.name] = now
            try:
                job.run(now)
            except Exception:
                logger.exception("scheduled job %s failed", job.name)
            ran.append(job.name)
        return ran


def _loop(scheduler: Scheduler, initial_delay: float, poll: float) -> None:
    # Jitter: the workers of one server do not all start their jobs in the same second.
    if _stop.wait(initial_delay + random.uniform(0, initial_delay)):
        return
    while True:
        close_old_connections()
        scheduler.tick()
        connections.close_all()  # this thread's connections only
        if _stop.wait(poll):
            return


def start_in_background(
    *, initial_delay: float = INITIAL_DELAY_SECONDS, poll: float = POLL_SECONDS
) -> threading.Thread | None:
    """Start this process's scheduler thread once (None when disabled or already running)."""
    global _thread
    if not getattr(settings, "WUWEI_SCHEDULER", True) or not _jobs:
        return None
    if _thread is not None and _thread.is_alive():
        return None
    _stop.clear()
    _thread = threading.Thread(
        target=_loop,
        args=(Scheduler(), initial_delay, poll),
        name="wuwei-scheduler",
        daemon=True,
    )
    _thread.start()
    return _thread


def stop_background() -> None:
    """Ask the thread to finish (tests; processes simply exit)."""
    _stop.set()
    if _thread is not None:
        _thread.join(timeout=5)
