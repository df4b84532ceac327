"""Connects the winning engine to the rest of the product; `register()` is called once from
`OpportunitiesConfig.ready()`: visibility rules, the presales warning, the deal-page tabs."""

from django.utils.translation import gettext_lazy as _


def register() -> None:
    from wuwei.opportunities.tabs import register_detail_tab
    from wuwei.opportunities.winning import visibility  # noqa: F401  (the visibility rules)
    from wuwei.opportunities.winning.warnings import no_confirmed_compelling_event
    from wuwei.support.warnings import register_request_warning

    # §4.3: the precise check replaces support's approximation of the same code.
    register_request_warning("no_compelling_event")(no_confirmed_compelling_event)
    register_detail_tab("events", _("Compelling events"), "winning:events_tab")
    register_detail_tab("winrate", _("Win rate"), "winning:winrate_tab")
