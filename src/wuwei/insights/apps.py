from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "wuwei.insights"
    label = "insights"
    verbose_name = _("Insights")

    def ready(self) -> None:
        from wuwei.insights import visibility
        from wuwei.insights.scorecard import wiring

        visibility.register_rules()
        wiring.register()
