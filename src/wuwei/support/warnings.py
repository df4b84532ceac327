"""Warnings before presales resources are committed to a deal (METHOD.md §4.3, §4.6).

A request for a deal that fires any check here is refused until the requester confirms it;
the confirmed warnings are recorded on the request. Checks are a registry keyed by code, so
another app can add or replace one from its `AppConfig.ready()`: the winning engine replaces
`no_compelling_event` (here approximated by "win rate not rated", which §4.6 rule 1 makes
equivalent) with its precise check via `register_request_warning("no_compelling_event")`.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _


@dataclass(frozen=True, slots=True)
class RequestWarning:
    code: str
    message: str


WarningCheck = Callable[[Any], RequestWarning | None]


def register_request_warning(code: str) -> Callable[[WarningCheck], WarningCheck]:
    """Add the check for `code`, replacing any earlier one with the same code."""

    def decorator(check: WarningCheck) -> WarningCheck:
        request_warning_checks[code] = check
        return check

    return decorator


def request_warnings(opportunity: Any) -> list[RequestWarning]:
    found = (check(opportunity) for check in request_warning_checks.values())
    return [warning for warning in found if warning is not None]


def not_rated(opportunity: Any) -> RequestWarning | None:
    # No confirmed compelling event → no win rate (§4.3, §4.6 rule 1).
    if opportunity.win_rate is None:
        return RequestWarning(
            "no_compelling_event",
            _("The deal is not rated: no confirmed compelling event."),
        )
    return None


def win_rate_zero(opportunity: Any) -> RequestWarning | None:
    if opportunity.win_rate == 0:
        return RequestWarning(
            "win_rate_zero", _("The win rate is 0 %: we are not in the top three.")
        )
    return None


# The built-in checks, in order; `register_request_warning` adds or replaces one.
request_warning_checks: dict[str, WarningCheck] = {
    "no_compelling_event": not_rated,
    "win_rate_zero": win_rate_zero,
}
