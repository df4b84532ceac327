from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PursuitConfig(AppConfig):
    name = "wuwei.pursuit"
    label = "pursuit"
    verbose_name = _("Pursuit")

    def ready(self) -> None:
        from wuwei.pursuit import wiring

        wiring.register()  # strategy and value-proposition tabs, visibility, handover
