"""Helpers for tests that run workers (and `wuwei serve`) as real processes, with deadlines.

`shared_database` gives the test process and its subprocesses one database: on PostgreSQL the
test database itself (the test must be transactional), on SQLite a file copy of the in-memory
test database that the test's own connection is switched to for the test's duration.
"""

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from django.db import connection

REPO = Path(__file__).resolve().parents[2]


def wait_for(condition: Callable[[], Any], *, timeout: float, what: str, every: float = 0.1) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


@contextmanager
def shared_database(tmp_path: Path) -> Iterator[str]:
    """Yield a DATABASE_URL the subprocesses share with this test's connection."""
    settings_dict = connection.settings_dict
    if connection.vendor == "postgresql":
        user = settings_dict.get("USER") or "postgres"
        host = settings_dict.get("HOST") or "127.0.0.1"
        port = settings_dict.get("PORT") or 5432
        yield f"postgres://{user}@{host}:{port}/{settings_dict['NAME']}"
        return
    import sqlite3

    path = tmp_path / "shared.sqlite3"
    connection.ensure_connection()
    memory = connection.connection
    target = sqlite3.connect(path)
    memory.backup(target)
    target.close()
    old_name = settings_dict["NAME"]
    connection.connection = None
    settings_dict["NAME"] = str(path)
    try:
        connection.ensure_connection()
        yield f"sqlite:///{path}"
    finally:
        connection.close()
        settings_dict["NAME"] = old_name
        connection.connection = memory


def environment(database_url: str, tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "WUWEI_VAR": str(tmp_path / "var"),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
        "WUWEI_SCHEDULER": "0",
        "DEBUG": "0",
    }
    env.pop("WUWEI_TESTING", None)  # a real process, not the test settings
    env.update(extra)
    return env


def start(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with open(log, "ab") as out:
        return subprocess.Popen(
            [sys.executable, *args]
            if args[0].endswith(".py") or args[0] == "-m"
            else [sys.executable, "-m", "wuwei.cli", *args],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def finish(process: subprocess.Popen[bytes], *, timeout: float) -> int:
    """Wait for the process; kill its whole group if it overruns (the test then fails)."""
    try:
        return process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        raise AssertionError(f"process {process.args} did not finish in {timeout:.0f} s") from None


def kill_all(*processes: subprocess.Popen[bytes]) -> None:
    for process in processes:
        if process.poll() is None:
            with suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()
