from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DataioConfig(AppConfig):
    name = "wuwei.dataio"
    label = "dataio"
    verbose_name = _("Data import and export")

    def ready(self) -> None:
        from simple_history.signals import pre_create_historical_record

        from wuwei.dataio import importers, visibility
        from wuwei.dataio.history import add_reason

        pre_create_historical_record.connect(add_reason, dispatch_uid="dataio_history_reason")
        visibility.register_rules()
        importers.register()
