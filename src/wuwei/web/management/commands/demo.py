"""`wuwei demo`: the demo organisation and data. Idempotent: a second run adds only what is
missing. Each app contributes a `demo.load()`, run in INSTALLED_APPS order, so the data a
later app builds on (users, accounts) already exists.

`wuwei demo --scale N [--seed S]` instead writes a generated data set of N opportunities in
bulk (COPY on PostgreSQL) for benchmarks: see `wuwei.scale` and bench/README.md."""

import time
from importlib import import_module
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction


class Command(BaseCommand):
    help = (
        "Create (or complete) the demo organisation and data. Idempotent. With --scale N: a "
        "generated benchmark data set of N opportunities instead."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale",
            type=int,
            metavar="N",
            help="write a generated data set of N opportunities in bulk (1000000: the large "
            "benchmark size, 10000: the quick one) instead of the demo",
        )
        parser.add_argument(
            "--seed", type=int, default=1, help="random seed of --scale (same seed, same rows)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["scale"] is not None:
            self._scale(options["scale"], options["seed"])
            return
        self._demo()

    def _scale(self, n: int, seed: int) -> None:
        from wuwei import scale

        if n < 1:
            raise CommandError("--scale must be at least 1")
        start = time.perf_counter()
        result = scale.generate(n, seed=seed, log=self.stdout.write)
        self.stdout.write(
            self.style.SUCCESS(
                f"Scale data ready: {n:,} opportunities (seed {seed}) in "
                f"{time.perf_counter() - start:.1f} s. Password '{scale.SCALE_PASSWORD}' for "
                + ", ".join(f"{role} {name}" for role, name in result.users.items())
            )
        )

    def _demo(self) -> None:
        # DEBUG (`make run`'s default) keeps every statement in `connection.queries`, and on
        # SQLite quotes its parameters back through the database: a sixth of the demo's time
        # for ~50,000 statements nobody reads. The demo's statements are not logged.
        debug = settings.DEBUG
        settings.DEBUG = False
        try:
            self._load()
        finally:
            settings.DEBUG = debug

    @transaction.atomic
    def _load(self) -> None:
        for config in apps.get_app_configs():
            if not config.name.startswith("wuwei."):
                continue
            try:
                module = import_module(f"{config.name}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.demo":
                    raise
                continue
            summary = module.load()
            self.stdout.write(f"{config.verbose_name}: {summary}")
        self.stdout.write(self.style.SUCCESS("Demo ready."))
