from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoachingConfig(AppConfig):
    name = "wuwei.coaching"
    label = "coaching"
    verbose_name = _("Coaching")

    def ready(self) -> None:
        from datetime import timedelta

        from wuwei.coaching import changes, handover, timeline, visibility
        from wuwei.coaching.notices import scheduled_overdue
        from wuwei.core.scheduler import register_job
        from wuwei.opportunities.tabs import register_detail_tab

        visibility.register_rules()
        changes.register_builtin_sources()
        timeline.register()
        handover.register()
        register_detail_tab("coaching", _("Coaching"), "coaching:deal_tab")
        # issue 14: overdue coaching actions reach their owner once per action and due date.
        register_job("coaching_overdue_actions", timedelta(hours=6), scheduled_overdue)
