"""The in-process scheduler's decisions, on a fixed clock (no sleeping)."""

from datetime import UTC, datetime, timedelta

import pytest

from wuwei.core import scheduler as scheduler_module
from wuwei.core.scheduler import Job, Scheduler, is_due, start_in_background

T0 = datetime(2027, 1, 18, 8, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


@pytest.mark.parametrize(
    ("last_run", "now", "due"),
    [
        (None, T0, True),  # never run in this process
        (T0, T0, False),
        (T0, T0 + timedelta(minutes=59, seconds=59), False),
        (T0, T0 + HOUR, True),  # exactly an interval later
        (T0, T0 + 5 * HOUR, True),
        (T0, T0 - HOUR, False),  # the clock went back
    ],
)
def test_is_due(last_run, now, due):
    assert is_due(now=now, last_run=last_run, every=HOUR) is due


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


def test_tick_runs_each_job_when_its_interval_has_passed():
    clock = Clock()
    calls: list[tuple[str, datetime]] = []
    hourly = Job("hourly", HOUR, lambda now: calls.append(("hourly", now)))
    daily = Job("daily", timedelta(days=1), lambda now: calls.append(("daily", now)))
    scheduler = Scheduler([hourly, daily], clock=clock)
    assert scheduler.tick() == ["hourly", "daily"]
    clock.now = T0 + 30 * timedelta(minutes=1)
    assert scheduler.tick() == []
    clock.now = T0 + HOUR
    assert scheduler.tick() == ["hourly"]
    clock.now = T0 + timedelta(days=1)
    assert scheduler.tick() == ["hourly", "daily"]
    assert calls == [
        ("hourly", T0),
        ("daily", T0),
        ("hourly", T0 + HOUR),
        ("hourly", T0 + timedelta(days=1)),
        ("daily", T0 + timedelta(days=1)),
    ]


def test_a_failing_job_is_logged_and_retried_after_its_interval(caplog):
    clock = Clock()
    attempts: list[datetime] = []

    def broken(now: datetime) -> None:
        attempts.append(now)
        raise RuntimeError("database is down")

    ok: list[datetime] = []
    scheduler = Scheduler([Job("broken", HOUR, broken), Job("ok", HOUR, ok.append)], clock=clock)
    assert scheduler.tick() == ["broken", "ok"]  # the failure does not stop the others
    assert "scheduled job broken failed" in caplog.text
    clock.now = T0 + timedelta(minutes=1)
    assert scheduler.tick() == []  # no retry storm every minute
    clock.now = T0 + HOUR
    assert scheduler.tick() == ["broken", "ok"]
    assert attempts == [T0, T0 + HOUR]


def test_the_thread_is_off_with_wuwei_scheduler_0(settings, monkeypatch):
    settings.WUWEI_SCHEDULER = False
    assert start_in_background() is None


def test_the_thread_starts_once_per_process(settings, monkeypatch):
    settings.WUWEI_SCHEDULER = True
    ran: list[datetime] = []
    monkeypatch.setattr(scheduler_module, "_jobs", {"t": Job("t", HOUR, ran.append)})
    monkeypatch.setattr(scheduler_module, "_thread", None)
    monkeypatch.setattr(scheduler_module, "close_old_connections", lambda: None)
    monkeypatch.setattr(scheduler_module.connections, "close_all", lambda: None)
    try:
        thread = start_in_background(initial_delay=0, poll=3600)
        assert thread is not None and thread.daemon
        assert start_in_background(initial_delay=0, poll=3600) is None  # already running
        for _ in range(200):
            if ran:
                break
            thread.join(0.01)
        assert len(ran) == 1
    finally:
        scheduler_module.stop_background()
    assert not thread.is_alive()
