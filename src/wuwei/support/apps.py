from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    name = "wuwei.support"
    label = "support"
    verbose_name = _("Support")

    def ready(self) -> None:
        from wuwei.opportunities import gates
        from wuwei.opportunities.tabs import register_detail_tab
        from wuwei.support import handover, notices, services, visibility
        from wuwei.support.compelling_event_warning import no_confirmed_compelling_event
        from wuwei.support.warnings import register_request_warning

        visibility.register_rules()
        handover.register()  # the stages a leaver is accountable for
        # §4.3: the precise check replaces the approximate no-compelling-event check.
        register_request_warning("no_compelling_event")(no_confirmed_compelling_event)

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
