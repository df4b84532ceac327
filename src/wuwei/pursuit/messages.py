"""Sentences for the reasons of the suggested competitive strategy (methodology.competitive)."""

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from wuwei.methodology.explain import Reason

MESSAGES: dict[str, Any] = {
    "not_rated": _(
        "Not rated: there is no confirmed compelling event. Develop the opportunity before "
        "competing for it."
    ),
    "no_questionnaire": _(
        "No questionnaire yet, so we do not know where we stand against the competitors."
    ),
    "outside_top_n": _(
        "We rank %(rank)s, outside the top %(top_n)s: there is no winnable position now."
    ),
    "incumbent_leading": _(
        "We already sell to this customer and rank first (%(lead)s points ahead): protect "
        "the position."
    ),
    "clear_lead": _(
        "We rank first with a win rate of %(win_rate)s %% (at least %(min)s %%): attack head-on."
    ),
    "narrow_lead": _(
        "We rank first but the win rate is %(win_rate)s %% (below %(min)s %%): move the "
        "criteria to where we are strong to widen the lead."
    ),
    "close_behind": _(
        "We rank %(rank)s, %(gap)s points behind the leader (at most %(max)s): change the "
        "evaluation criteria to where we are strong."
    ),
    "far_behind_divisible": _(
        "We rank %(rank)s, %(gap)s points behind the leader (more than %(max)s), and the deal "
        "covers %(lines)s product lines: split it and win the part we can."
    ),
    "far_behind": _(
        "We rank %(rank)s, %(gap)s points behind the leader (more than %(max)s), and the scope "
        "cannot be split: build our position for later."
    ),
}


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    return value


def reason_params(reason: Reason) -> dict[str, Any]:
    """JSON-safe parameters: decimals as plain strings ("3", "2.5")."""
    return {key: _plain(value) for key, value in reason.params.items()}


def reason_message(reason: Reason) -> str:
    template = MESSAGES.get(reason.code)
    if template is None:
        return reason.code
    params = reason_params(reason)
    return str(template) % params if params else str(template)
