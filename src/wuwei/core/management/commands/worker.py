import os
import socket
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.crypto import get_random_string

from wuwei.core.jobs.worker import QueueWorker
from wuwei.core.scheduler import Scheduler


class Command(BaseCommand):
    help = (
        "Run background jobs from the queue (imports, exports, the periodic jobs). Start as "
        "many as you like, on this or other machines sharing the database: a job runs once."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch", action="store_true", help="run what is queued, then exit (cron, tests)"
        )
        parser.add_argument("--max-tasks", type=int, default=None, help="exit after N jobs")
        parser.add_argument(
            "--interval", type=float, default=1.0, help="seconds between looks at an empty queue"
        )
        parser.add_argument(
            "--queue", default="*", help="comma-separated queue names ('*': every queue)"
        )
        parser.add_argument(
            "--no-scheduler",
            action="store_true",
            help="do not enqueue the periodic jobs from this worker (WUWEI_SCHEDULER=0 too)",
        )
        parser.add_argument("--worker-id", default="", help="unique name (default: host-pid-…)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["max_tasks"] is not None and options["max_tasks"] < 1:
            raise CommandError("--max-tasks must be at least 1")
        if options["interval"] < 0:
            raise CommandError("--interval must not be negative")
        use_scheduler = settings.WUWEI_SCHEDULER and not options["no_scheduler"]
        scheduler = Scheduler() if use_scheduler else None
        worker_id = options["worker_id"] or (
            f"{socket.gethostname()[:40]}-{os.getpid()}-{get_random_string(6)}"
        )
        if settings.WUWEI_TASKS_BACKEND == "rq":
            self._run_rq(options, scheduler)
            return
        worker = QueueWorker(
            worker_id=worker_id[:64],
            queue_names=options["queue"].split(","),
            interval=options["interval"],
            batch=options["batch"],
            max_tasks=options["max_tasks"],
            housekeeping=scheduler.tick if scheduler is not None else None,
        )
        if options["verbosity"] >= 1:
            self.stdout.write(
                f"Worker {worker.worker_id} (pid {os.getpid()}) takes jobs from the database "
                f"queue{'; periodic jobs on' if scheduler else ''}."
            )
            self.stdout.flush()
        worker.configure_signals()
        worker.run()

    def _run_rq(self, options: dict[str, Any], scheduler: Scheduler | None) -> None:
        """Redis: RQ's own worker runs the tasks; this process adds the housekeeping thread."""
        from wuwei.core.jobs.worker import start_housekeeping_thread

        start_housekeeping_thread(scheduler.tick if scheduler is not None else None)
        queues = [q for q in options["queue"].split(",") if q != "*"] or settings.WUWEI_JOB_QUEUES
        rq_options: dict[str, Any] = {"with_scheduler": False, "job_class": "django_tasks_rq.Job"}
        if options["batch"]:
            rq_options["burst"] = True
        if options["max_tasks"] is not None:
            rq_options["max_jobs"] = options["max_tasks"]
        call_command("rqworker", *queues, **rq_options)
