from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlaybookConfig(AppConfig):
    name = "wuwei.playbook"
    label = "playbook"
    verbose_name = _("Project rules")

    def ready(self) -> None:
        from wuwei.playbook import wiring

        wiring.register()
