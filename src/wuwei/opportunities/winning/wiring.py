"""Connects the winning engine to the rest of the product; `register()` is called once from
`OpportunitiesConfig.ready()`: visibility rules and the deal-page tabs. (The §4.3 presales
warning is support's: `support.compelling_event_warning`, registered by `SupportConfig`.)"""

from django.utils.translation import gettext_lazy as _


def register() -> None:
    from wuwei.opportunities.tabs import register_detail_tab
    from wuwei.opportunities.winning import visibility

    visibility.register_rules()
    register_detail_tab("events", _("Compelling events"), "winning:events_tab")
    register_detail_tab("winrate", _("Win rate"), "winning:winrate_tab")
