from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "wuwei.org"
    label = "org"
    verbose_name = _("Organisation")

    def ready(self) -> None:
        from wuwei.org import signin, visibility

        visibility.register_rules()
        signin.connect()

        from wuwei.core.auth import register_token_lookup
        from wuwei.org import tokens

        register_token_lookup(tokens.user_for_token)
        tokens.connect()

        from wuwei.core.permissions import register_policy
        from wuwei.org.permissions import may, require, roles_may

        register_policy(may=may, require=require, roles_may=roles_may)
