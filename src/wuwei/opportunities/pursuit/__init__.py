"""Pursuing a deal (METHOD.md §4.7 strategy and tactics, §4.8 value proposition): models in
`opportunities.models.pursuit`, reads in `selectors`, writes in `services`, the API in `api`,
the deal page's "Strategy" and "Value proposition" tabs in `views`. `ready()` is called from
OpportunitiesConfig.ready()."""


def ready() -> None:
    from django.utils.translation import gettext_lazy as _

    from wuwei.opportunities.pursuit import handover, visibility  # noqa: F401  (rules)
    from wuwei.opportunities.views import register_detail_tab

    register_detail_tab("strategy", _("Strategy"), "opportunities:strategy_tab")
    register_detail_tab("value", _("Value proposition"), "opportunities:value_tab")
    handover.register()
