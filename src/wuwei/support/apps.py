from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    name = "wuwei.support"
    label = "support"
    verbose_name = _("Support")

    def ready(self) -> None:
        # Registers the visibility rules and grants, and the request warning checks.
        from wuwei.opportunities import gates
        from wuwei.opportunities.views import register_detail_tab

        # §4.3: `compelling_event_warning` replaces the approximate no-compelling-event check.
        from wuwei.support import (  # noqa: F401
            compelling_event_warning,
            notices,
            services,
            visibility,
            warnings,
        )

        # §5.3: a stage is left only when it had its one accountable owner.
        gates.register_stage_gate(
            lambda move: services.stage_owner_gate(move.opportunity, move.target)
        )
        gates.register_reason_message(
            "stage_without_owner", services.STAGE_OWNER_REASON_MESSAGES["stage_without_owner"]
        )
        # §5.4: leaving a stage asks its presales owner for the participants' scores.
        gates.register_after_move(notices.stage_exit_scores)
        # §5.3 a stage entered gets its accountable owner; §5.4 a won deal credits its people.
        gates.register_stage_entered(services.on_stage_entered)
        register_detail_tab("scores", _("Stage scores"), "support:deal_scores", before="timeline")
