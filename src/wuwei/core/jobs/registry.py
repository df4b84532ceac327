"""Job definitions: `@job(...)` turns a function `func(ctx, **kwargs)` into a `Job`.

A job is found again by its dotted path (module + function name), so a worker process needs no
registration step: the path stored on the run is imported when the run starts.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.functional import Promise
from django.utils.module_loading import import_string

if TYPE_CHECKING:
    from wuwei.core.jobs.context import JobContext
    from wuwei.core.models import JobRun

JobFunction = Callable[..., Any]


@dataclass(frozen=True, slots=True)
class Job:
    """What a worker needs to know about a job besides its code."""

    func: JobFunction
    path: str
    title: str | Promise
    resumable: bool
    max_attempts: int
    queue_name: str

    def __call__(self, ctx: "JobContext", **kwargs: Any) -> Any:
        return self.func(ctx, **kwargs)

    def enqueue(self, *, user: Any = None, **kwargs: Any) -> "JobRun":
        """Queue a run with these keyword arguments (JSON values); returns the JobRun."""
        from wuwei.core.jobs.queue import enqueue

        return enqueue(self, user=user, **kwargs)


def job(
    *,
    title: str | Promise,
    resumable: bool = False,
    max_attempts: int | None = None,
    queue_name: str = "default",
) -> Callable[[JobFunction], Job]:
    """Declare a background job at module level::

        @job(title=_("Import a file"), resumable=True)
        def import_file(ctx: JobContext, *, upload_id: int) -> dict: ...

    `resumable`: when the worker running it dies (killed, machine restarted), the next worker
    runs it again (up to `max_attempts`, default 3) with `ctx.checkpoint` holding the last
    checkpoint it reported; otherwise the run is marked failed. A resumable job must be safe
    to run again: all-or-nothing in one transaction, or idempotent per checkpointed chunk.
    """
    attempts = max_attempts if max_attempts is not None else (3 if resumable else 1)
    if attempts < 1:
        raise ValueError("max_attempts must be at least 1")

    def decorator(func: JobFunction) -> Job:
        path = f"{func.__module__}.{func.__qualname__}"
        return Job(func, path, title, resumable, attempts, queue_name)

    return decorator


def job_for(path: str) -> Job:
    """The Job at a dotted path (ImportError / TypeError when there is none)."""
    found = import_string(path)
    if not isinstance(found, Job):
        raise TypeError(f"{path} is not a @job")
    return found
