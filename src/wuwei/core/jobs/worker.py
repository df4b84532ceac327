"""The worker loop of `wuwei worker` (and of the worker `wuwei serve` starts).

It is django-tasks-db's worker (claim the next ready task with a row lock, run it, record the
outcome) plus Wuwei's housekeeping between tasks: recover runs whose worker died, and let the
scheduler enqueue the periodic jobs whose period slot has come (once per slot, whichever worker
gets there first). A stop signal lets the running job stop at its next cancellation point.
"""

import logging
import signal
import sys
import threading
import time
from collections.abc import Callable
from types import FrameType

from django.db import close_old_connections
from django.db.utils import OperationalError
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from wuwei.core.jobs.queue import WorkerInfo, recover_interrupted, set_worker

logger = logging.getLogger(__name__)

HOUSEKEEPING_EVERY_SECONDS = 5.0


class QueueWorker(Worker):
    def __init__(
        self,
        *,
        worker_id: str,
        queue_names: list[str] | None = None,
        interval: float = 1.0,
        batch: bool = False,
        max_tasks: int | None = None,
        separate_connection: bool = True,
        housekeeping: Callable[[], object] | None = None,
    ) -> None:
        super().__init__(
            queue_names=queue_names or ["*"],
            interval=interval,
            batch=batch,
            backend_name="default",
            startup_delay=False,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=[],
        )
        self.info = WorkerInfo(worker_id=worker_id, separate_connection=separate_connection)
        self.housekeeping = housekeeping
        self._last_housekeeping = float("-inf")

    def shutdown(self, signum: int, frame: FrameType | None) -> None:
        if not self.running:  # second signal: stop now
            self.reset_signals()
            sys.exit(1)
        logger.warning("worker %s: stopping (%s)", self.worker_id, signal.strsignal(signum))
        self.running = False
        self.info.stopping.set()  # the running job stops at its next cancellation point
        if not self.running_task:
            sys.exit(0)

    def tidy(self, *, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._last_housekeeping < HOUSEKEEPING_EVERY_SECONDS:
            return
        self._last_housekeeping = now
        try:
            recover_interrupted()
            if self.housekeeping is not None:
                self.housekeeping()
        except OperationalError as exc:
            if not is_locked_database_exception(exc):
                raise

    def claim(self) -> tuple[bool, DBTaskResult | None]:  # type: ignore[type-arg]
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        with exclusive_transaction(tasks.db):
            try:
                task_result = tasks.get_locked()
                if task_result is not None:
                    task_result.claim(self.worker_id)  # RUNNING: no other worker takes it
            except OperationalError as exc:
                if is_locked_database_exception(exc):
                    return False, None
                raise
        return True, task_result

    def run(self) -> None:
        previous = set_worker(self.info)
        try:
            self.tidy(force=True)
            while self.running:
                if self.info.separate_connection:  # a real worker, not a caller's transaction
                    close_old_connections()
                self.tidy()
                retrieved, task_result = self.claim()
                if task_result is not None:
                    self.run_task(task_result)
                elif self.batch and retrieved:
                    return
                if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                    return
                if self.info.separate_connection:
                    close_old_connections()
                if self.running and task_result is None:
                    self.info.stopping.wait(self.interval)
        finally:
            set_worker(previous)


def run_pending(*, max_tasks: int | None = None) -> int:
    """Run the queued jobs in this process until the queue is empty (tests, `--batch`);
    returns how many tasks ran. Progress goes through the caller's connection."""
    worker = QueueWorker(
        worker_id=f"inline-{threading.get_ident()}"[:64],
        interval=0,
        batch=True,
        max_tasks=max_tasks,
        separate_connection=False,
    )
    worker._last_housekeeping = time.monotonic()  # no recovery pass in-process
    worker.tidy = lambda *, force=False: None  # type: ignore[method-assign]
    worker.run()
    return int(worker._run_tasks)


def start_housekeeping_thread(
    housekeeping: Callable[[], object] | None, *, every: float = HOUSEKEEPING_EVERY_SECONDS
) -> threading.Thread:
    """Recovery and the scheduler beside a worker that is not ours (RQ's), in a daemon thread."""

    def loop() -> None:
        from django.db import connection

        while True:
            try:
                close_old_connections()
                recover_interrupted()
                if housekeeping is not None:
                    housekeeping()
            except Exception:
                logger.exception("job housekeeping failed")
            finally:
                connection.close()
            time.sleep(every)

    thread = threading.Thread(target=loop, name="wuwei-job-housekeeping", daemon=True)
    thread.start()
    return thread
