from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpportunitiesConfig(AppConfig):
    name = "wuwei.opportunities"
    label = "opportunities"
    verbose_name = _("Opportunities")

    def ready(self) -> None:
        from wuwei.opportunities import pursuit, visibility  # noqa: F401  (registers the rules)

        pursuit.ready()  # strategy and value-proposition tabs, their visibility and handover
