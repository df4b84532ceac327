from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "wuwei.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from wuwei.notifications import visibility

        visibility.register_rules()
