"""Progress of a job run in the terminal (CLI commands such as `wuwei import`)."""

import threading
import time
from collections.abc import Callable
from typing import Any, TextIO

from django.db import connection
from django.utils.translation import gettext as _

from wuwei.core.jobs.queue import request_cancel, run_job_run
from wuwei.core.jobs.selectors import live_progress
from wuwei.core.models import JobRun

BAR_WIDTH = 30


def progress_line(run: JobRun) -> str:
    """`[#########.....]  45%  450/1000  Running · message` (no bar while the total is unknown)."""
    parts = []
    percent = run.percent
    if percent is not None:
        filled = BAR_WIDTH * percent // 100
        parts.append("[" + "#" * filled + "." * (BAR_WIDTH - filled) + f"] {percent:3d}%")
    if run.total is not None:
        parts.append(f"{run.done}/{run.total}")
    elif run.done:
        parts.append(str(run.done))
    parts.append(str(run.get_status_display()))
    line = "  ".join(parts)
    if run.message:
        line += f" · {run.message}"
    return line


def follow(
    run: JobRun,
    *,
    stdout: TextIO | Any,
    poll: float = 0.5,
    timeout: float | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> JobRun:
    """Print the run's progress until it finishes (or `timeout` passes); Ctrl+C asks it to
    cancel and keeps following, a second Ctrl+C stops following. Returns the run, refreshed."""
    interactive = bool(getattr(stdout, "isatty", lambda: False)())
    deadline = None if timeout is None else time.monotonic() + timeout
    last = ""
    cancelled = False
    while True:
        try:
            run.refresh_from_db()
            line = progress_line(live_progress(run))
            if line != last:
                if interactive:
                    stdout.write("\r\x1b[2K" + line)
                else:
                    stdout.write(line + "\n")
                stdout.flush()
                last = line
            if run.is_finished or (deadline is not None and time.monotonic() > deadline):
                break
            sleep(poll)
        except KeyboardInterrupt:
            if cancelled:
                break
            cancelled = True
            request_cancel(run)
            stdout.write("\n" + _("Cancelling… (Ctrl+C again to stop waiting)") + "\n")
    if interactive:
        stdout.write("\n")
    return run


def run_in_foreground(run: JobRun, *, stdout: TextIO | Any, poll: float = 0.5) -> JobRun:
    """Run a queued run in this process (no worker needed) while printing its progress."""
    errors: list[BaseException] = []

    def target() -> None:
        try:
            run_job_run(run.pk)
        except BaseException as exc:  # recorded on the run; kept for the caller's exit code
            errors.append(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=target, name=f"wuwei-job-{run.pk}", daemon=True)
    thread.start()

    def wait(seconds: float) -> None:
        thread.join(seconds)

    follow(run, stdout=stdout, poll=poll, sleep=wait)
    thread.join()
    run.refresh_from_db()
    return run
