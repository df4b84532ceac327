"""Background jobs with progress, cancellation and restart safety (JOBS_API.md).

    from wuwei.core.jobs import JobContext, job

    @job(title=_("Export everything"), resumable=True)
    def export_all(ctx: JobContext, *, user_id: int) -> dict:
        ctx.progress(0, total, _("Collecting accounts…"))
        ...
        return {"rows": n}

    run = export_all.enqueue(user=request.user, user_id=request.user.pk)   # a JobRun
    request_cancel(run)

Runs are executed by `wuwei worker` (and the worker `wuwei serve` supervises) from the queue of
Django's Tasks framework; `run_pending()` runs them in-process (tests).
"""

from wuwei.core.jobs.context import JobCancelled, JobContext, WorkerStopping
from wuwei.core.jobs.queue import enqueue, recover_interrupted, request_cancel
from wuwei.core.jobs.registry import Job, job, job_for
from wuwei.core.jobs.worker import run_pending

__all__ = [
    "Job",
    "JobCancelled",
    "JobContext",
    "WorkerStopping",
    "enqueue",
    "job",
    "job_for",
    "recover_interrupted",
    "request_cancel",
    "run_pending",
]
