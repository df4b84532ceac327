"""What the scorecard area adds to other areas (called from `InsightsConfig.ready`): the
uses recorded at a deal's close, and the collections tab on the deal page."""

from django.utils.translation import gettext_lazy as _


def register() -> None:
    from wuwei.insights.scorecard import services, visibility
    from wuwei.opportunities.gates import register_after_move
    from wuwei.opportunities.tabs import register_detail_tab

    visibility.register_rules()
    register_after_move(services.after_move)
    register_detail_tab("collections", _("Collections"), "scorecard:collections_tab")
