"""Worker memory (issue 17 item 6: worker RSS < 200 MB after work).

Generates N accounts (the export benchmark's data), starts `wuwei worker` as its own process
against the same database, queues what a worker does all day — exports of everything as CSV
and XLSX zips, the check and the import of a file of N/10 accounts — and reads the worker's
resident set (Linux /proc/<pid>/status: VmRSS now, VmHWM its peak) after each job and once
the queue is empty."""

import os
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings

from bench.common import Result, timed
from bench.dataio_import import _file
from bench.exports import _generate, _organisation
from wuwei.core.models import JobRun, JobStatus
from wuwei.dataio.jobs import APPLY, CHECK, start_export, start_import_step
from wuwei.dataio.models import ImportKind
from wuwei.dataio.services import import_create

TARGET_MIB = 200.0
DONE = (JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED)


def _mib(pid: int, field: str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def _wait(run: JobRun, limit: float = 1800) -> JobRun:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        run.refresh_from_db()
        if run.status in DONE:
            assert run.status == JobStatus.SUCCEEDED, (run.status, run.message)
            return run
        time.sleep(0.5)
    raise TimeoutError(run.job)


def run(scale: int) -> list[Result]:
    admin, reps = _organisation()
    _generate(scale, reps)
    worker = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from wuwei.cli import main; sys.argv[0] = 'wuwei'; sys.exit(main())",
            *("worker", "--no-scheduler", "--interval", "0.2"),
        ],
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
        stdout=subprocess.DEVNULL,
    )
    results: list[Result] = []
    try:
        time.sleep(3)
        results.append(Result("worker idle, started", _mib(worker.pid, "VmRSS"), "MiB"))
        for fmt in ("csv", "xlsx"):
            _, seconds = timed(lambda fmt=fmt: _wait(start_export(user=admin, format=fmt)))
            results.append(Result(f"export job, everything as {fmt} zip", seconds, "s"))
            results.append(Result("  worker RSS after it", _mib(worker.pid, "VmRSS"), "MiB"))
        rows = max(scale // 10, 1)
        settings.WUWEI_IMPORT_MAX_ROWS = max(settings.WUWEI_IMPORT_MAX_ROWS, rows)
        content = _file(rows, [r.username for r in reps])
        upload = import_create(
            user=admin, kind=ImportKind.ACCOUNTS, filename="accounts.csv", content=content
        )
        for step in (CHECK, APPLY):
            run_ = start_import_step(upload, step)
            _, seconds = timed(lambda run_=run_: _wait(run_.job))
            upload.refresh_from_db()
            results.append(Result(f"import job ({rows:,} accounts): {step}", seconds, "s"))
            results.append(Result("  worker RSS after it", _mib(worker.pid, "VmRSS"), "MiB"))
        results += [
            Result("worker RSS after the work", _mib(worker.pid, "VmRSS"), "MiB", TARGET_MIB),
            Result("worker peak RSS (VmHWM)", _mib(worker.pid, "VmHWM"), "MiB"),
        ]
    finally:
        worker.terminate()
        worker.wait(30)
    return results
