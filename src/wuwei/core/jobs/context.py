"""What a running job sees: `ctx.progress(...)`, `ctx.check_cancelled()`, files and checkpoint.

Progress goes through a *channel*. In a worker it is a private database connection of its own,
so a page sees the progress while the job is still inside its own transaction (an
all-or-nothing import), and a heartbeat thread keeps telling other machines the worker lives.
Run in-process (tests, `run_pending()`), it is the ordinary ORM connection.
"""

import json
import logging
import threading
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone

logger = logging.getLogger(__name__)

PROGRESS_EVERY_SECONDS = 0.5
CANCEL_CHECK_EVERY_SECONDS = 0.5


class JobCancelled(Exception):
    """A user asked to cancel the run; raised at the job's next cancellation point."""


class WorkerStopping(Exception):
    """The worker is shutting down; a resumable run is queued again, another one fails."""


class Channel:
    """Writes progress and reads the cancel flag of one run."""

    def __init__(self, run_id: int) -> None:
        self.run_id = run_id

    def write(self, fields: dict[str, Any]) -> bool:
        raise NotImplementedError

    def cancel_requested(self) -> bool:
        raise NotImplementedError

    def close(self) -> None:
        return None


class OrmChannel(Channel):
    """In-process runs: the default connection (inside the caller's transaction, if any)."""

    def write(self, fields: dict[str, Any]) -> bool:
        from wuwei.core.models import JobRun

        JobRun.objects.filter(pk=self.run_id).update(**fields)
        return True

    def cancel_requested(self) -> bool:
        from wuwei.core.models import JobRun

        return bool(
            JobRun.objects.filter(pk=self.run_id).values_list("cancel_requested", flat=True).first()
        )


class PrivateConnectionChannel(Channel):
    """A connection of its own, in autocommit, shared with the heartbeat thread under a lock.

    On SQLite a write waits at most `busy_ms` for the lock: while the job itself holds the
    database's one write lock (a long all-or-nothing transaction), progress waits for the next
    call instead of stalling the job.
    """

    def __init__(self, run_id: int, *, busy_ms: int = 200) -> None:
        super().__init__(run_id)
        from wuwei.core.models import JobRun

        self.lock = threading.Lock()
        self.connection: BaseDatabaseWrapper = connections.create_connection("default")
        self.connection.inc_thread_sharing()
        self.table = self.connection.ops.quote_name(JobRun._meta.db_table)
        self.busy_ms = busy_ms
        self._fields = {f.name: f for f in JobRun._meta.concrete_fields}

    def _cursor(self) -> Any:
        cursor = self.connection.cursor()
        if self.connection.vendor == "sqlite":
            cursor.execute(f"PRAGMA busy_timeout = {int(self.busy_ms)}")
        return cursor

    def write(self, fields: dict[str, Any]) -> bool:
        columns = ", ".join(
            f"{self.connection.ops.quote_name(self._fields[name].column)} = %s" for name in fields
        )
        values = [
            self._fields[name].get_db_prep_save(value, self.connection)
            for name, value in fields.items()
        ]
        with self.lock:
            try:
                with self._cursor() as cursor:
                    cursor.execute(
                        f"UPDATE {self.table} SET {columns} WHERE id = %s", [*values, self.run_id]
                    )
            except DatabaseError as exc:  # locked (SQLite) or a passing hiccup: try next time
                logger.debug("job %s: progress not written (%s)", self.run_id, exc)
                if self.connection.vendor == "sqlite" and "done" in fields:
                    write_side_progress(self.run_id, fields)
                return False
        return True

    def cancel_requested(self) -> bool:
        with self.lock:
            try:
                with self._cursor() as cursor:
                    cursor.execute(
                        f"SELECT cancel_requested FROM {self.table} WHERE id = %s", [self.run_id]
                    )
                    row = cursor.fetchone()
            except DatabaseError:
                return False
        return bool(row and row[0])

    def close(self) -> None:
        with self.lock:
            self.connection.close()
        side_progress_path(self.run_id).unlink(missing_ok=True)


# SQLite has one write lock: while a job holds it in a long all-or-nothing transaction, its
# progress goes to a small file beside its other files instead (SQLite is one machine, so the
# web process can read it); `live_progress` prefers it while the run is running.


def side_progress_path(run_id: int) -> Path:
    return Path(settings.WUWEI_JOB_FILES) / str(run_id) / "progress.json"


def write_side_progress(run_id: int, fields: dict[str, Any]) -> None:
    path = side_progress_path(run_id)
    data = {key: fields.get(key) for key in ("done", "total", "message")}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".partial")
        partial.write_text(json.dumps(data))
        partial.replace(path)
    except OSError as exc:
        logger.debug("job %s: side progress not written (%s)", run_id, exc)


def read_side_progress(run_id: int) -> dict[str, Any] | None:
    try:
        data = json.loads(side_progress_path(run_id).read_text())
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


class Heartbeat:
    """Touches `heartbeat_at` every few seconds while the job runs (a daemon thread)."""

    def __init__(self, channel: Channel, every: float) -> None:
        self.channel = channel
        self.every = every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="wuwei-job-heartbeat", daemon=True)

    def start(self) -> "Heartbeat":
        self._thread.start()
        return self

    def _loop(self) -> None:
        while not self._stop.wait(self.every):
            self.channel.write({"heartbeat_at": timezone.now()})

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=self.every + 5)


class JobContext:
    """Handed to the job function as its first argument."""

    def __init__(
        self,
        *,
        run_id: int,
        attempt: int,
        checkpoint: Any,
        channel: Channel,
        stopping: threading.Event | None = None,
        clock: Any = time.monotonic,
    ) -> None:
        self.run_id = run_id
        self.attempt = attempt
        # What the previous attempt last reported (None on the first attempt).
        self.checkpoint = checkpoint
        self.channel = channel
        self.stopping = stopping
        self.clock = clock
        self.done = 0
        self.total: int | None = None
        self.message = ""
        self._last_write = float("-inf")
        self._last_cancel_check = float("-inf")
        self._dirty = False
        # Set to a file (from `file_path`) the user downloads when the run has finished.
        self.result_file: Path | None = None

    @property
    def is_resumed(self) -> bool:
        return self.attempt > 1

    def progress(
        self,
        done: int,
        total: int | None = None,
        message: str | None = None,
        *,
        checkpoint: Any = None,
    ) -> None:
        """Report `done` of `total` (None: unknown) with a short sentence for the user.

        Writes at most twice a second (a checkpoint is always written: report it only after
        the work it describes is committed). Also a cancellation point: raises JobCancelled
        or WorkerStopping.
        """
        self.done = max(0, int(done))
        if total is not None:
            self.total = max(0, int(total))
        if message is not None:
            self.message = str(message)[:500]
        self._dirty = True
        now = self.clock()
        finished = self.total is not None and self.done >= self.total
        if checkpoint is not None:
            self.checkpoint = checkpoint
            self._write_checkpoint(checkpoint)
        elif finished or now - self._last_write >= PROGRESS_EVERY_SECONDS:
            self.flush()
        self.check_cancelled()

    def flush(self) -> None:
        """Write the last reported progress now."""
        if self._dirty and self.channel.write(self.fields()):
            self._dirty = False
            self._last_write = self.clock()

    def fields(self) -> dict[str, Any]:
        return {
            "done": self.done,
            "total": self.total,
            "message": self.message,
            "heartbeat_at": timezone.now(),
        }

    def _write_checkpoint(self, checkpoint: Any) -> None:
        fields = {**self.fields(), "checkpoint": checkpoint}
        for _attempt in range(50):  # a lock held by another writer goes away soon
            if self.channel.write(fields):
                self._dirty = False
                self._last_write = self.clock()
                return
            time.sleep(0.1)
        raise RuntimeError("could not record the job's checkpoint")

    def check_cancelled(self) -> None:
        """Raise JobCancelled if a user asked to cancel, WorkerStopping if the worker stops."""
        if self.stopping is not None and self.stopping.is_set():
            raise WorkerStopping()
        now = self.clock()
        if now - self._last_cancel_check < CANCEL_CHECK_EVERY_SECONDS:
            return
        self._last_cancel_check = now
        if self.channel.cancel_requested():
            raise JobCancelled()

    def file_path(self, name: str) -> Path:
        """A path in this run's own folder for a file the user will download."""
        if "/" in name or "\\" in name or name in {"", ".", ".."}:
            raise ValueError("a plain file name is expected")
        folder = Path(settings.WUWEI_JOB_FILES) / str(self.run_id)
        folder.mkdir(parents=True, exist_ok=True)
        return folder / name
