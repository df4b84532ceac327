from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "wuwei.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from wuwei.core.jobs import selectors  # noqa: F401  (registers the visibility rule)
