"""Connects the winning engine to the rest of the product; imported once from
`OpportunitiesConfig.ready()`: visibility rules, the presales warning, the deal-page tabs."""

from django.utils.translation import gettext_lazy as _

from wuwei.opportunities.views import register_detail_tab
from wuwei.opportunities.winning import visibility  # noqa: F401  (registers)

register_detail_tab("events", _("Compelling events"), "winning:events_tab")
register_detail_tab("winrate", _("Win rate"), "winning:winrate_tab")
