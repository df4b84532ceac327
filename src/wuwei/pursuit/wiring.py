"""Connects pursuit to the rest of the product; `register()` is called once from
`PursuitConfig.ready()`: visibility rules, the strategy and value-proposition tabs, the
handover step."""

from django.utils.translation import gettext_lazy as _


def register() -> None:
    from wuwei.opportunities.tabs import register_detail_tab
    from wuwei.pursuit import handover, visibility  # noqa: F401  (rules)

    register_detail_tab("strategy", _("Strategy"), "opportunities:strategy_tab")
    register_detail_tab("value", _("Value proposition"), "opportunities:value_tab")
    handover.register()
