"""`wuwei demo`: the demo organisation and data. Idempotent: a second run adds only what is
missing. Each app contributes a `demo.load()`, run in INSTALLED_APPS order, so the data a
later app builds on (users, accounts) already exists."""

from importlib import import_module
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = "Create (or complete) the demo organisation and data. Idempotent."

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
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
