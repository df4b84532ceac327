"""The precise presales warning of §4.3: "the system warns before more presales resources are
committed" when the deal has no confirmed compelling event. Replaces MCI's approximation
(win rate not rated), which also fired for a confirmed event without a questionnaire.
Registered by `SupportConfig.ready()`."""

from typing import Any

from django.utils.translation import gettext as _

from wuwei.opportunities.winning.selectors import has_confirmed_event
from wuwei.support.warnings import RequestWarning


def no_confirmed_compelling_event(opportunity: Any) -> RequestWarning | None:
    if has_confirmed_event(opportunity):
        return None
    return RequestWarning(
        "no_compelling_event", _("The deal is not rated: no confirmed compelling event.")
    )
