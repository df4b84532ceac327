from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "wuwei.insights"
    label = "insights"
    verbose_name = _("Insights")

    def ready(self) -> None:
        from wuwei.insights import visibility  # noqa: F401  (registers the rules)
        from wuwei.insights.scorecard import wiring

        wiring.register()
