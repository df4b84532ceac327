from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompetitorsConfig(AppConfig):
    name = "wuwei.competitors"
    label = "competitors"
    verbose_name = _("Competitors")

    def ready(self) -> None:
        from wuwei.competitors import visibility

        visibility.register_rules()
