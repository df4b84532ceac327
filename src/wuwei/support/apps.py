from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    name = "wuwei.support"
    label = "support"
    verbose_name = _("Support")

    def ready(self) -> None:
        # Registers the visibility rules and grants, and the request warning checks.
        from wuwei.opportunities import gates
        from wuwei.support import services, visibility, warnings  # noqa: F401

        # §5.3: a stage is left only when it had its one accountable owner.
        gates.register_stage_gate(
            lambda move: services.stage_owner_gate(move.opportunity, move.target)
        )
        gates.register_reason_message(
            "stage_without_owner", services.STAGE_OWNER_REASON_MESSAGES["stage_without_owner"]
        )
