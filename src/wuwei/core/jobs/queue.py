"""Enqueue, run, cancel and recover job runs on Django's Tasks framework.

One django-tasks task, `execute(run_id)`, carries every job: the queue (database rows by
default, Redis with WUWEI_TASKS_BACKEND=rq) only holds the run's id, and the `JobRun` row holds
everything else. A worker claims a queued task with a row lock (`SELECT … FOR UPDATE SKIP
LOCKED` on PostgreSQL, an exclusive transaction on SQLite), then `run_job_run` moves the
JobRun from queued to running under its own row lock, so a run is never started twice.
"""

import json
import logging
import os
import socket
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from wuwei.core.jobs.context import (
    Heartbeat,
    JobCancelled,
    JobContext,
    OrmChannel,
    PrivateConnectionChannel,
    WorkerStopping,
)
from wuwei.core.jobs.registry import Job, job_for
from wuwei.core.models import JobRun, JobStatus

try:  # Django 6.0 ships the framework; on 5.2 the django-tasks backport provides it.
    from django.tasks import task  # type: ignore[import-not-found,unused-ignore]
except ImportError:  # pragma: no cover - depends on the Django version
    from django_tasks import task

logger = logging.getLogger(__name__)
HOSTNAME = socket.gethostname()[:255]


@dataclass
class WorkerInfo:
    """Who runs jobs in this process and how (set by the worker; in-process otherwise)."""

    worker_id: str = field(default_factory=lambda: f"{os.getpid()}@{HOSTNAME}"[:64])
    separate_connection: bool = True
    stopping: threading.Event = field(default_factory=threading.Event)


_worker = WorkerInfo()


def set_worker(info: WorkerInfo) -> WorkerInfo:
    """Install this process's worker description; returns the previous one."""
    global _worker
    previous, _worker = _worker, info
    return previous


def current_worker() -> WorkerInfo:
    return _worker


# ---------------------------------------------------------------------------------------------
# enqueue


def enqueue(job: Job, *, user: Any = None, **kwargs: Any) -> JobRun:
    """Record a queued run and put it on the queue; returns the JobRun (read its state there)."""
    run = JobRun.objects.create(
        job=job.path,
        kwargs=kwargs,
        user=user if getattr(user, "pk", None) else None,
        language=translation.get_language() or settings.LANGUAGE_CODE,
        max_attempts=job.max_attempts,
    )
    submit(run, job)
    return run


def _uses_database_queue() -> bool:
    return "django_tasks_db" in settings.TASKS["default"]["BACKEND"]


def submit(run: JobRun, job: Job) -> None:
    """Put the run's id on the queue. The database queue shares the caller's transaction (the
    run and its queue row appear together); Redis is told only after the commit."""

    def send() -> None:
        result = execute.using(queue_name=job.queue_name).enqueue(run.pk)
        JobRun.objects.filter(pk=run.pk).update(task_id=str(result.id))
        run.task_id = str(result.id)

    if _uses_database_queue():
        send()
    else:
        transaction.on_commit(send)


# ---------------------------------------------------------------------------------------------
# run


@task()
def execute(run_id: int) -> None:
    """The one django-tasks task: run the JobRun with this id."""
    run_job_run(run_id)


def _start(run_id: int, worker: WorkerInfo) -> JobRun | None:
    """Move a queued run to running (row lock), or finish a cancelled one; None: nothing to do."""
    with transaction.atomic():
        run = JobRun.objects.select_for_update().filter(pk=run_id).first()
        if run is None or run.status != JobStatus.QUEUED:
            return None  # already handled by another worker, or finished
        now = timezone.now()
        if run.cancel_requested:
            run.status = JobStatus.CANCELLED
            run.finished_at = now
            run.save(update_fields=["status", "finished_at"])
            return None
        run.status = JobStatus.RUNNING
        run.attempts += 1
        run.started_at = run.started_at or now
        run.heartbeat_at = now
        run.worker_id = worker.worker_id
        run.worker_host = HOSTNAME
        run.worker_pid = os.getpid()
        run.save(
            update_fields=[
                "status",
                "attempts",
                "started_at",
                "heartbeat_at",
                "worker_id",
                "worker_host",
                "worker_pid",
            ]
        )
        return run


def _finish(run: JobRun, ctx: JobContext | None, **fields: Any) -> bool:
    """Record the outcome, unless another worker has taken over this run meanwhile."""
    if ctx is not None:
        fields = {**ctx.fields(), **fields}
        if ctx.result_file is not None:
            fields["result_file"] = str(ctx.result_file)
    fields.setdefault("finished_at", timezone.now())
    return bool(
        JobRun.objects.filter(pk=run.pk, status=JobStatus.RUNNING, attempts=run.attempts).update(
            **fields
        )
    )


def run_job_run(run_id: int) -> None:
    """Run one JobRun in this process; exceptions of the job are recorded, then re-raised."""
    worker = current_worker()
    run = _start(run_id, worker)
    if run is None:
        return
    try:
        job = job_for(run.job)
    except (ImportError, TypeError) as exc:
        _finish(run, None, status=JobStatus.FAILED, error=str(exc))
        raise
    channel = PrivateConnectionChannel(run.pk) if worker.separate_connection else OrmChannel(run.pk)
    ctx = JobContext(
        run_id=run.pk,
        attempt=run.attempts,
        checkpoint=run.checkpoint,
        channel=channel,
        stopping=worker.stopping,
    )
    heartbeat = (
        Heartbeat(channel, settings.WUWEI_JOB_HEARTBEAT_SECONDS).start()
        if worker.separate_connection
        else None
    )
    try:
        with translation.override(run.language or settings.LANGUAGE_CODE):
            try:
                result = job.func(ctx, **run.kwargs)
            except JobCancelled:
                _finish(
                    run,
                    ctx,
                    status=JobStatus.CANCELLED,
                    cancel_requested=True,
                    message=_("Cancelled."),
                )
            except WorkerStopping:
                _interrupted(run, job, ctx, reason=_("the worker was stopped."))
            except Exception as exc:
                _finish(run, ctx, status=JobStatus.FAILED, error=str(exc) or type(exc).__name__)
                raise
            else:
                if ctx.total is not None:
                    ctx.done = ctx.total
                _finish(run, ctx, status=JobStatus.SUCCEEDED, result=_jsonable(result))
    finally:
        if heartbeat is not None:
            heartbeat.stop()
        channel.close()


def _jsonable(value: Any) -> Any:
    """The job's return value as JSON (dates as ISO text); its text when it is not data."""
    try:
        return json.loads(json.dumps(value, cls=DjangoJSONEncoder))
    except (TypeError, ValueError):
        return str(value)


def _interrupted(run: JobRun, job: Job, ctx: JobContext | None, *, reason: str) -> None:
    """A run cut short by its worker: queued again when resumable and attempts remain."""
    if job.resumable and run.attempts < run.max_attempts:
        fields: dict[str, Any] = ctx.fields() if ctx is not None else {}
        fields.update(
            status=JobStatus.QUEUED,
            message=_("Interrupted: %(reason)s It will resume.") % {"reason": reason},
            worker_id="",
            worker_pid=None,
        )
        with transaction.atomic():
            updated = JobRun.objects.filter(
                pk=run.pk, status=JobStatus.RUNNING, attempts=run.attempts
            ).update(**fields)
            if updated:
                submit(run, job)
        return
    _finish(
        run,
        ctx,
        status=JobStatus.FAILED,
        error=_("Interrupted: %(reason)s Run it again.") % {"reason": reason},
    )


# ---------------------------------------------------------------------------------------------
# cancel


def request_cancel(run: JobRun) -> bool:
    """Ask a queued or running run to stop; False when it has already finished.

    A queued run is cancelled at once; a running one stops at its next cancellation point
    (`ctx.progress` / `ctx.check_cancelled`), rolling back what its transaction had not
    committed."""
    with transaction.atomic():
        locked = JobRun.objects.select_for_update().filter(pk=run.pk).first()
        if locked is None or locked.is_finished:
            return False
        locked.cancel_requested = True
        fields = ["cancel_requested"]
        if locked.status == JobStatus.QUEUED:
            locked.status = JobStatus.CANCELLED
            locked.finished_at = timezone.now()
            fields += ["status", "finished_at"]
        locked.save(update_fields=fields)
    run.refresh_from_db()
    return True


# ---------------------------------------------------------------------------------------------
# recover runs whose worker died


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a killed child its parent has not reaped yet is dead too
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def worker_is_gone(run: JobRun, *, now: datetime) -> bool:
    """On this machine the worker's process tells; elsewhere a silent heartbeat does.

    SQLite is one machine: only the process counts there (a long write transaction of the job
    holds the heartbeat back)."""
    from django.db import connection

    silent = run.heartbeat_at is None or now - run.heartbeat_at > timedelta(
        seconds=settings.WUWEI_JOB_STALE_SECONDS
    )
    if run.worker_host == HOSTNAME and run.worker_pid:
        if not _pid_alive(run.worker_pid):
            return True
        return silent and connection.vendor != "sqlite" and run.worker_pid != os.getpid()
    return silent


def recover_interrupted(*, now: datetime | None = None) -> list[int]:
    """Resume (resumable jobs) or fail the running runs whose worker is gone; returns their ids."""
    now = now or timezone.now()
    recovered = []
    candidates = JobRun.objects.filter(status=JobStatus.RUNNING).only(
        "pk", "worker_host", "worker_pid", "heartbeat_at"
    )
    for candidate in candidates:
        if worker_is_gone(candidate, now=now) and _recover(candidate.pk, now=now):
            recovered.append(candidate.pk)
    return recovered


def _recover(run_id: int, *, now: datetime) -> bool:
    with transaction.atomic():
        run = (
            JobRun.objects.select_for_update(skip_locked=True)
            .filter(pk=run_id, status=JobStatus.RUNNING)
            .first()
        )
        if run is None or not worker_is_gone(run, now=now):
            return False
        _fail_queue_row(run)
        try:
            job = job_for(run.job)
        except (ImportError, TypeError) as exc:
            _finish(run, None, status=JobStatus.FAILED, error=str(exc))
            return True
        with translation.override(run.language or settings.LANGUAGE_CODE):
            _interrupted(run, job, None, reason=_("the worker running it stopped."))
        logger.warning("job run %s: its worker %s is gone; recovered", run.pk, run.worker_id)
        return True


def _fail_queue_row(run: JobRun) -> None:
    """The database queue's row of a dead worker's task stays RUNNING otherwise."""
    if not (_uses_database_queue() and run.task_id):
        return
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(pk=run.task_id, status="RUNNING").update(
        status="FAILED",
        finished_at=timezone.now(),
        exception_class_path="wuwei.core.jobs.context.WorkerStopping",
        traceback="The worker running this task stopped.",
    )


# ---------------------------------------------------------------------------------------------
# housekeeping

QUEUE_ROWS_KEPT = timedelta(days=30)


def prune_queue(now: datetime) -> int:
    """Delete the database queue's finished rows older than 30 days (a periodic job); the
    JobRun rows, which pages and imports refer to, are kept."""
    if not _uses_database_queue():
        return 0
    from django_tasks_db.models import DBTaskResult

    deleted, _by_model = (
        DBTaskResult.objects.finished().filter(finished_at__lt=now - QUEUE_ROWS_KEPT).delete()
    )
    return deleted
