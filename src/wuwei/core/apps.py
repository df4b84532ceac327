from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "wuwei.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from datetime import timedelta

        from wuwei.core import config
        from wuwei.core.jobs import selectors
        from wuwei.core.jobs.queue import prune_queue
        from wuwei.core.scheduler import register_job

        config.connect()
        selectors.register_rules()
        register_job("prune_job_queue", timedelta(days=1), prune_queue)
