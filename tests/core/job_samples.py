"""Jobs used by the job tests (importable by worker subprocesses: PYTHONPATH has the repo)."""

import os
import time
from pathlib import Path
from typing import Any

from django.db import transaction

from wuwei.core.jobs import JobContext, job
from wuwei.core.jobs.context import CANCEL_CHECK_EVERY_SECONDS
from wuwei.org.models import Team


@job(title="Count to n")
def count_to(ctx: JobContext, *, n: int, fail_at: int | None = None) -> dict[str, Any]:
    for i in range(1, n + 1):
        if i == fail_at:
            raise ValueError(f"row {i} is broken")
        ctx.progress(i, n, f"{i} of {n}")
    return {"counted": n}


@job(title="Create teams, all or nothing")
def create_teams(ctx: JobContext, *, names: list[str], cancel_after: int | None = None) -> int:
    from wuwei.core.jobs import request_cancel
    from wuwei.core.models import JobRun

    with transaction.atomic():
        for i, name in enumerate(names, start=1):
            Team.objects.create(name=name)
            if i == cancel_after:
                request_cancel(JobRun.objects.get(pk=ctx.run_id))
                time.sleep(CANCEL_CHECK_EVERY_SECONDS)  # cancel checks are twice a second
            ctx.progress(i, len(names))
    return len(names)


@job(title="Write a file")
def write_file(ctx: JobContext, *, text: str) -> None:
    path = ctx.file_path("out.txt")
    path.write_text(text)
    ctx.result_file = path


@job(title="Wait for a go file, then log once", max_attempts=1)
def log_once(ctx: JobContext, *, log: str, go: str, key: int) -> int:
    """Appends `key pid` to the log (one write, O_APPEND) after the go file appears."""
    ctx.progress(0, 1, "waiting")
    deadline = time.monotonic() + 60
    while not Path(go).exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    with open(log, "a") as handle:
        handle.write(f"{key} {os.getpid()}\n")
    return os.getpid()


@job(title="Slow steps with checkpoints", resumable=True)
def slow_steps(ctx: JobContext, *, steps: int, log: str, pause: float) -> dict[str, Any]:
    start = (ctx.checkpoint or {}).get("next", 1)
    with open(log, "a") as handle:
        handle.write(f"attempt {ctx.attempt} starts at {start} pid {os.getpid()}\n")
    for step in range(start, steps + 1):
        time.sleep(pause)
        ctx.progress(step, steps, f"step {step}", checkpoint={"next": step + 1})
    return {"resumed_from": start, "attempt": ctx.attempt}


@job(title="Slow steps, not resumable")
def slow_plain(ctx: JobContext, *, steps: int, pause: float) -> int:
    for step in range(1, steps + 1):
        time.sleep(pause)
        ctx.progress(step, steps)
    return steps
