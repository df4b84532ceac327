"""Jobs in-process: enqueue → queue row → run → progress, result, failure, cancel, files."""

import uuid

import pytest
from django.utils import translation
from django_tasks_db.models import DBTaskResult

from tests.core import job_samples
from wuwei.core.jobs import job_for, request_cancel, run_pending
from wuwei.core.jobs.context import JobContext, OrmChannel
from wuwei.core.models import JobRun, JobStatus
from wuwei.org.models import Team


def test_enqueue_puts_one_row_on_the_database_queue(org):
    run = job_samples.count_to.enqueue(user=org.rep, n=3)
    assert (run.status, run.user, run.kwargs, run.attempts) == (
        JobStatus.QUEUED,
        org.rep,
        {"n": 3},
        0,
    )
    task = DBTaskResult.objects.get()
    assert str(task.id) == run.task_id
    assert task.args_kwargs == {"args": [run.pk], "kwargs": {}}
    assert job_for(run.job) is job_samples.count_to


def test_a_run_reports_progress_and_its_result(db):
    run = job_samples.count_to.enqueue(n=4)
    assert run_pending() == 1
    run.refresh_from_db()
    assert (run.status, run.done, run.total, run.percent, run.result) == (
        JobStatus.SUCCEEDED,
        4,
        4,
        100,
        {"counted": 4},
    )
    assert run.message == "4 of 4"
    assert run.attempts == 1 and run.finished_at is not None
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def test_a_failing_run_records_the_error_and_where_it_stopped(db):
    run = job_samples.count_to.enqueue(n=5, fail_at=3)
    run_pending()
    run.refresh_from_db()
    assert (run.status, run.error, run.done, run.total) == (
        JobStatus.FAILED,
        "row 3 is broken",
        2,
        5,
    )
    assert DBTaskResult.objects.get().status == "FAILED"


def test_a_queued_run_cancelled_never_starts(db):
    run = job_samples.count_to.enqueue(n=2)
    assert request_cancel(run) is True
    assert run.status == JobStatus.CANCELLED
    run_pending()
    run.refresh_from_db()
    assert (run.status, run.attempts, run.done) == (JobStatus.CANCELLED, 0, 0)
    assert request_cancel(run) is False  # finished: nothing to cancel


def test_a_running_run_cancelled_rolls_back_its_transaction(db):
    before = Team.objects.count()
    run = job_samples.create_teams.enqueue(names=["a", "b", "c", "d"], cancel_after=2)
    run_pending()
    run.refresh_from_db()
    assert run.status == JobStatus.CANCELLED
    assert run.cancel_requested is True
    assert run.done == 2  # it stopped at the cancellation point after the second team
    assert Team.objects.count() == before  # all or nothing


def test_the_result_file_is_kept_on_the_run(db, settings, tmp_path):
    settings.WUWEI_JOB_FILES = tmp_path
    run = job_samples.write_file.enqueue(text="hello")
    run_pending()
    run.refresh_from_db()
    assert run.status == JobStatus.SUCCEEDED
    assert run.result_file == str(tmp_path / str(run.pk) / "out.txt")
    assert (tmp_path / str(run.pk) / "out.txt").read_text() == "hello"


@pytest.mark.parametrize("name", ["../x", "a/b", "", ".."])
def test_file_names_cannot_leave_the_runs_folder(db, name):
    ctx = JobContext(run_id=1, attempt=1, checkpoint=None, channel=OrmChannel(1))
    with pytest.raises(ValueError):
        ctx.file_path(name)


def test_progress_is_written_at_most_twice_a_second(db):
    run = JobRun.objects.create(job="tests.core.job_samples.count_to")
    clock = [100.0]
    ctx = JobContext(
        run_id=run.pk,
        attempt=1,
        checkpoint=None,
        channel=OrmChannel(run.pk),
        clock=lambda: clock[0],
    )
    ctx.progress(1, 10, "one")
    ctx.progress(2, 10, "two")  # same instant: kept in memory
    run.refresh_from_db()
    assert (run.done, run.message) == (1, "one")
    clock[0] += 0.5
    ctx.progress(3, 10, "three")
    run.refresh_from_db()
    assert (run.done, run.message) == (3, "three")
    ctx.progress(10, 10, "all")  # the last step is always written
    run.refresh_from_db()
    assert run.done == 10


@translation.override("en")
def test_the_terminal_line_shows_bar_counts_status_and_message(db):
    from wuwei.core.jobs.terminal import progress_line

    run = JobRun(job="x", status=JobStatus.RUNNING, done=45, total=100, message="accounts")
    assert progress_line(run) == "[#############.................]  45%  45/100  Running · accounts"
    run = JobRun(job="x", status=JobStatus.QUEUED)
    assert progress_line(run) == "Queued"


@translation.override("en")
def test_follow_prints_each_change_until_the_run_finishes(db):
    from io import StringIO

    from wuwei.core.jobs.terminal import follow

    run = job_samples.count_to.enqueue(n=2)
    out = StringIO()
    steps = iter([lambda: run_pending()])

    def sleep(_seconds: float) -> None:
        next(steps)()  # the "worker" runs between two looks

    finished = follow(run, stdout=out, sleep=sleep)
    assert finished.status == JobStatus.SUCCEEDED
    assert out.getvalue().splitlines() == [
        "Queued",
        "[##############################] 100%  2/2  Finished · 2 of 2",
    ]


@translation.override("en")
@pytest.mark.parametrize(
    ("job", "status", "attempts_left"),
    [
        (job_samples.slow_steps, JobStatus.QUEUED, True),
        (job_samples.slow_plain, JobStatus.FAILED, False),
    ],
)
def test_a_stopping_worker_requeues_resumable_runs_and_fails_the_others(
    db, tmp_path, job, status, attempts_left
):
    import threading

    from wuwei.core.jobs.queue import WorkerInfo, run_job_run, set_worker

    kwargs = {"steps": 3, "pause": 0}
    if job is job_samples.slow_steps:
        kwargs["log"] = str(tmp_path / "log")
    run = job.enqueue(**kwargs)
    first_task = run.task_id
    stopping = threading.Event()
    stopping.set()  # SIGTERM arrived: the first cancellation point stops the job
    previous = set_worker(WorkerInfo(separate_connection=False, stopping=stopping))
    try:
        run_job_run(run.pk)
    finally:
        set_worker(previous)
    run.refresh_from_db()
    assert (run.status, run.attempts, run.done) == (status, 1, 1)
    if attempts_left:
        assert run.message == "Interrupted: the worker was stopped. It will resume."
        assert run.task_id != first_task  # queued again
        assert DBTaskResult.objects.get(pk=run.task_id).status == "READY"
        # (the worker would have closed the first queue row as it returned)
        DBTaskResult.objects.filter(pk=first_task).update(status="SUCCESSFUL")
        run_pending()  # a worker that is not stopping finishes it from the checkpoint
        run.refresh_from_db()
        assert (run.status, run.attempts, run.result) == (
            JobStatus.SUCCEEDED,
            2,
            {"resumed_from": 2, "attempt": 2},
        )
    else:
        assert run.error == "Interrupted: the worker was stopped. Run it again."


@translation.override("en")
def test_the_job_command_shows_follows_and_cancels(db):
    from io import StringIO

    from django.core.management import call_command
    from django.core.management.base import CommandError

    run = job_samples.count_to.enqueue(n=2)
    out = StringIO()
    call_command("job", str(run.pk), stdout=out)
    assert out.getvalue() == "Queued\n"
    call_command("job", str(run.pk), "--cancel", "--follow", stdout=(out := StringIO()))
    assert out.getvalue() == "Cancelled\n"  # a queued run stops at once
    with pytest.raises(CommandError, match="already finished"):
        call_command("job", str(run.pk), "--cancel")
    failing = job_samples.count_to.enqueue(n=3, fail_at=2)
    run_pending()
    with pytest.raises(CommandError, match="row 2 is broken"):
        call_command("job", str(failing.pk), stdout=StringIO())
    with pytest.raises(CommandError, match="no job run"):
        call_command("job", "999999")


def test_finished_queue_rows_are_pruned_after_30_days_but_runs_are_kept(db):
    from datetime import timedelta

    from django.utils import timezone

    from wuwei.core.jobs.queue import prune_queue
    from wuwei.core.scheduler import registered_jobs

    old = job_samples.count_to.enqueue(n=1)
    recent = job_samples.count_to.enqueue(n=1)
    waiting = job_samples.count_to.enqueue(n=1)
    run_pending(max_tasks=2)
    now = timezone.now()
    DBTaskResult.objects.filter(pk=old.task_id).update(finished_at=now - timedelta(days=31))
    DBTaskResult.objects.filter(pk=recent.task_id).update(finished_at=now - timedelta(days=29))
    assert prune_queue(now) == 1
    assert set(DBTaskResult.objects.values_list("id", flat=True)) == {
        uuid.UUID(recent.task_id),
        uuid.UUID(waiting.task_id),
    }
    assert JobRun.objects.count() == 3
    assert {j.name: j.every for j in registered_jobs()}["prune_job_queue"] == timedelta(days=1)


def test_on_sqlite_progress_blocked_by_the_job_s_own_lock_goes_to_a_side_file(
    db, settings, tmp_path, monkeypatch
):
    from django.db import OperationalError, connection

    from wuwei.core.jobs.context import PrivateConnectionChannel, side_progress_path
    from wuwei.core.jobs.selectors import live_progress

    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL has no database-wide write lock")
    settings.WUWEI_JOB_FILES = tmp_path
    run = JobRun.objects.create(job="x", status=JobStatus.RUNNING, done=1, total=10)
    channel = PrivateConnectionChannel(run.pk)

    def locked():
        raise OperationalError("database is locked")

    monkeypatch.setattr(channel, "_cursor", locked)
    assert channel.write({"done": 7, "total": 10, "message": "row 7"}) is False
    assert side_progress_path(run.pk).exists()
    shown = live_progress(JobRun.objects.get(pk=run.pk))
    assert (shown.done, shown.total, shown.message) == (7, 10, "row 7")
    JobRun.objects.filter(pk=run.pk).update(status=JobStatus.SUCCEEDED, done=10)
    finished = live_progress(JobRun.objects.get(pk=run.pk))
    assert finished.done == 10  # a finished run's own row is the truth
    channel.close()
    assert not side_progress_path(run.pk).exists()
