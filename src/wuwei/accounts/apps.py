from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "wuwei.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from wuwei.accounts import timeline, visibility

        visibility.register_rules()
        timeline.register_builtin_sources()
