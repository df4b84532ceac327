from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlaybookConfig(AppConfig):
    name = "wuwei.playbook"
    label = "playbook"
    verbose_name = _("Project rules")

    def ready(self) -> None:
        from wuwei.opportunities.views import register_detail_tab
        from wuwei.playbook import visibility  # noqa: F401  (rules)

        register_detail_tab("buying", _("Buying process"), "playbook:buying_tab")
