from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    name = "wuwei.support"
    label = "support"
    verbose_name = _("Support")

    def ready(self) -> None:
        # Registers the visibility rules and grants, and the request warning checks.
        from wuwei.support import visibility, warnings  # noqa: F401
