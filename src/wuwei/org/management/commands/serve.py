import os
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from wuwei.core import schema
from wuwei.core.database import require_database
from wuwei.core.supervisor import Child, Supervisor
from wuwei.org import demo as org_demo
from wuwei.org.models import User


class Command(BaseCommand):
    help = (
        "Migrate and serve Wuwei with gunicorn beside a supervised job worker; --demo loads the "
        "demo organisation (users with a published password) on first start."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_WORKERS", 2)))
        parser.add_argument(
            "--demo",
            action="store_true",
            help="load the demo organisation on first start (its passwords are public: "
            "never on a server others can reach)",
        )
        parser.add_argument(
            "--job-workers",
            type=int,
            default=int(os.environ.get("JOB_WORKERS", 1)),
            help="background job workers to start and supervise (0: run `wuwei worker` yourself)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["job_workers"] < 0:
            raise CommandError("--job-workers must not be negative")
        require_database()
        schema.migrate()  # an empty database is built from the models in one pass
        if not settings.DEBUG:
            call_command("collectstatic", interactive=False, verbosity=0)
        if not User.objects.exists():
            if options["demo"]:
                self.stdout.write("First start: loading the demo organisation…")
                call_command("demo", verbosity=1)
            else:
                self.stdout.write(
                    "No users yet: create an administrator with `wuwei createadmin USER` "
                    "(or start with --demo for the demo organisation)."
                )
        url = f"http://{options['host']}:{options['port']}/"
        self.stdout.write(self.style.SUCCESS(f"Wuwei is starting on {url}"))
        demo_users = User.objects.filter(username__in=[u[0] for u in org_demo.USERS])
        if demo_users.exists():
            names = ", ".join(demo_users.order_by("pk").values_list("username", flat=True))
            self.stdout.write(f"Demo logins (password '{org_demo.DEMO_PASSWORD}'): {names}")
        if settings.WUWEI_SCHEDULER and options["job_workers"]:
            self.stdout.write(
                "Periodic jobs are scheduled by the job worker (WUWEI_SCHEDULER=0: off)."
            )
        sys.stdout.flush()
        web = [
            sys.executable,
            "-m",
            "gunicorn",
            "wuwei.wsgi:application",
            "--bind",
            f"{options['host']}:{options['port']}",
            "--workers",
            str(options["workers"]),
            "--threads",
            "4",
            "--access-logfile",
            "-",
            "--graceful-timeout",
            "10",
        ]
        worker = [sys.executable, "-m", "wuwei.cli", "worker", "--verbosity", "0"]
        children = [Child("web", web, restart=False)] + [
            Child(f"worker {n}" if options["job_workers"] > 1 else "worker", worker, restart=True)
            for n in range(1, options["job_workers"] + 1)
        ]
        sys.exit(Supervisor(children, out=sys.stdout).run())
