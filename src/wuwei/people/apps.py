from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "wuwei.people"
    label = "people"
    verbose_name = _("People")

    def ready(self) -> None:
        from wuwei.people import handover, timeline, visibility  # noqa: F401  (registers the rules)

        handover.register()
        timeline.register()
