"""Run as a process by test_workers: register a probe periodic job, wait for the go file,
tick the scheduler at the same moment as its twin, then run what was queued."""

import os
import sys
import time
from datetime import timedelta
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wuwei.settings")
django.setup()

from wuwei.core.jobs import run_pending  # noqa: E402
from wuwei.core.scheduler import Scheduler, register_job  # noqa: E402

log, go = sys.argv[1], Path(sys.argv[2])


def probe(now: object) -> None:
    with open(log, "a") as handle:
        handle.write(f"probe ran {os.getpid()}\n")


register_job("probe", timedelta(hours=1), probe)
print("ready", flush=True)
deadline = time.monotonic() + 150
while not go.exists():
    if time.monotonic() > deadline:
        sys.exit(2)
    time.sleep(0.01)
print("enqueued", Scheduler().tick(), flush=True)
print("ran", run_pending(), flush=True)
