from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "wuwei.insights"
    label = "insights"
    verbose_name = _("Insights")

    def ready(self) -> None:
        from datetime import timedelta

        from wuwei.core.backup import register_derived
        from wuwei.core.scheduler import register_job
        from wuwei.insights import visibility
        from wuwei.insights.forecast.cells import scheduled_recount
        from wuwei.insights.forecast.models import ForecastCell, ForecastCellBasis
        from wuwei.insights.scorecard import wiring

        visibility.register_rules()
        wiring.register()
        # The forecast's running totals (PostgreSQL): counted again when a week begins or
        # the thresholds change; the grid adds up the deals meanwhile.
        register_job("forecast_cells", timedelta(hours=1), scheduled_recount)
        register_derived(ForecastCell, ForecastCellBasis)
