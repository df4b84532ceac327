from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from wuwei.core.jobs import request_cancel
from wuwei.core.jobs.terminal import follow, progress_line
from wuwei.core.models import JobRun, JobStatus


class Command(BaseCommand):
    help = "Show a background job's progress (--follow: until it finishes), or --cancel it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("id", type=int, help="the job run's number (shown in its page URL)")
        parser.add_argument("--follow", action="store_true", help="print progress until done")
        parser.add_argument("--cancel", action="store_true", help="ask the job to stop")

    def handle(self, *args: Any, **options: Any) -> None:
        run = JobRun.objects.filter(pk=options["id"]).first()
        if run is None:
            raise CommandError(f"There is no job run {options['id']}.")
        if options["cancel"] and not request_cancel(run):
            raise CommandError(f"Job run {run.pk} has already finished.")
        if options["follow"]:
            run = follow(run, stdout=self.stdout)
        else:
            self.stdout.write(progress_line(run))
        if run.status == JobStatus.FAILED:
            raise CommandError(run.error or "failed")
