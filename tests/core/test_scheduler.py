"""Periodic jobs on the queue: one run per period slot, whoever ticks, on a fixed clock."""

import threading
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils import timezone

from wuwei.core.jobs import run_pending
from wuwei.core.models import JobRun, JobStatus, ScheduledRun
from wuwei.core.scheduler import Job, Scheduler, register_job, registered_jobs, slot_start

SHANGHAI = ZoneInfo("Asia/Shanghai")
T0 = datetime(2027, 1, 18, 8, 0, tzinfo=UTC)  # a Monday, 16:00 in Shanghai
HOUR = timedelta(hours=1)


@pytest.mark.parametrize(
    ("now", "every", "start"),
    [
        (datetime(2027, 1, 18, 16, 0, tzinfo=SHANGHAI), HOUR, datetime(2027, 1, 18, 16, 0)),
        (datetime(2027, 1, 18, 16, 59, 59, tzinfo=SHANGHAI), HOUR, datetime(2027, 1, 18, 16, 0)),
        (datetime(2027, 1, 18, 17, 0, tzinfo=SHANGHAI), HOUR, datetime(2027, 1, 18, 17, 0)),
        (datetime(2027, 1, 18, 16, 30, tzinfo=SHANGHAI), 6 * HOUR, datetime(2027, 1, 18, 12, 0)),
        (datetime(2027, 1, 18, 5, 0, tzinfo=SHANGHAI), 6 * HOUR, datetime(2027, 1, 18, 0, 0)),
        # a day starts at local midnight, a week on Monday
        (datetime(2027, 1, 18, 0, 30, tzinfo=SHANGHAI), timedelta(days=1), datetime(2027, 1, 18)),
        (datetime(2027, 1, 17, 23, 59, tzinfo=SHANGHAI), timedelta(days=1), datetime(2027, 1, 17)),
        (datetime(2027, 1, 21, 9, 0, tzinfo=SHANGHAI), timedelta(weeks=1), datetime(2027, 1, 18)),
        # the same instant given in UTC lands in the same local slot
        (datetime(2027, 1, 17, 16, 30, tzinfo=UTC), timedelta(days=1), datetime(2027, 1, 18)),
    ],
)
def test_slot_start(settings, now, every, start):
    settings.TIME_ZONE = "Asia/Shanghai"
    with timezone.override(SHANGHAI):
        assert slot_start(now, every) == start.replace(tzinfo=SHANGHAI)


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def probe(monkeypatch):
    """A registered periodic job that records the times it ran."""
    calls: list[datetime] = []
    monkeypatch.setattr("wuwei.core.scheduler._jobs", {})
    register_job("probe", HOUR, calls.append)
    return calls


def test_each_slot_is_claimed_once_and_runs_on_the_queue(db, probe):
    clock = Clock()
    scheduler = Scheduler(clock=clock)
    assert scheduler.tick() == ["probe"]
    assert probe == []  # enqueued, not run by the scheduler
    assert run_pending() == 1
    assert len(probe) == 1
    clock.now = T0 + timedelta(minutes=59)
    assert scheduler.tick() == []  # same slot
    clock.now = T0 + HOUR
    assert scheduler.tick() == ["probe"]
    run_pending()
    assert len(probe) == 2
    slots = list(ScheduledRun.objects.order_by("slot").values_list("name", "slot"))
    assert slots == [("probe", T0), ("probe", T0 + HOUR)]
    runs = JobRun.objects.filter(job="wuwei.core.scheduler.run_scheduled").order_by("pk")
    assert [(r.status, r.kwargs["name"]) for r in runs] == [(JobStatus.SUCCEEDED, "probe")] * 2


def test_a_second_process_finds_the_slot_taken(db, probe):
    first, second = Scheduler(clock=Clock()), Scheduler(clock=Clock())
    assert first.tick() == ["probe"]
    assert second.tick() == []
    run_pending()
    assert len(probe) == 1


def test_a_failing_job_fails_its_run_and_comes_back_next_slot(db, monkeypatch):
    attempts: list[datetime] = []

    def broken(now: datetime) -> None:
        attempts.append(now)
        raise RuntimeError("database is down")

    monkeypatch.setattr("wuwei.core.scheduler._jobs", {})
    register_job("broken", HOUR, broken)
    clock = Clock()
    scheduler = Scheduler(clock=clock)
    scheduler.tick()
    run_pending()
    run = JobRun.objects.get()
    assert (run.status, run.error) == (JobStatus.FAILED, "database is down")
    clock.now = T0 + timedelta(minutes=1)
    assert scheduler.tick() == []  # no retry storm every minute
    clock.now = T0 + HOUR
    assert scheduler.tick() == ["broken"]
    run_pending()
    assert len(attempts) == 2


def test_register_job_keeps_its_api_and_refuses_a_zero_interval(monkeypatch):
    monkeypatch.setattr("wuwei.core.scheduler._jobs", {})

    def run(now: datetime) -> None:
        return None

    register_job("x", HOUR, run)
    register_job("x", 2 * HOUR, run)  # replaced by name
    assert registered_jobs() == [Job("x", 2 * HOUR, run)]
    with pytest.raises(ValueError):
        register_job("y", timedelta(0), run)


def test_the_apps_register_their_periodic_jobs():
    names = {job.name: job.every for job in registered_jobs()}
    assert names["win_rate_snapshot"] == HOUR
    assert names["compelling_event_reminders"] == 6 * HOUR


@pytest.mark.parametrize(
    ("setting", "args", "scheduled"),
    [
        (True, [], True),
        (False, [], False),  # WUWEI_SCHEDULER=0
        (True, ["--no-scheduler"], False),
    ],
)
def test_the_worker_schedules_unless_told_not_to(settings, monkeypatch, setting, args, scheduled):
    settings.WUWEI_SCHEDULER = setting
    built = []

    class Recorder:
        def __init__(self, **kwargs):
            built.append(kwargs)
            self.worker_id = kwargs["worker_id"]

        def configure_signals(self):
            pass

        def run(self):
            pass

    monkeypatch.setattr("wuwei.core.management.commands.worker.QueueWorker", Recorder)
    call_command("worker", "--batch", "--verbosity", "0", *args)
    (kwargs,) = built
    assert kwargs["batch"] is True
    housekeeping = kwargs["housekeeping"]
    assert (housekeeping is not None) is scheduled
    if scheduled:
        assert housekeeping.__func__ is Scheduler.tick


def test_the_web_process_starts_no_background_thread():
    import wuwei.wsgi  # noqa: F401

    assert not [t.name for t in threading.enumerate() if t.name.startswith("wuwei")]
