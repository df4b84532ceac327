"""Win-rate explanations as sentences (METHOD.md §4.6 "explanation of every rule applied").

The methodology returns `Reason(code, params)`; a questionnaire stores them as JSON
(`reasons_to_json`), and `explain` turns them into translated sentences in the language of
the request, naming competitors by name. Sentences are whole templates, never concatenated.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from wuwei.methodology.explain import Reason

JsonParams = dict[str, str | int | None]

# The codes of methodology.winrate, plus "no_questionnaire" (a confirmed compelling event
# but nothing answered yet: not rated, see services.win_rate_evaluate).
MESSAGES: dict[str, Any] = {
    "no_compelling_event": _("Not rated: no confirmed compelling event."),
    "no_questionnaire": _("Not rated: no questionnaire has been answered yet."),
    "strength": _("Our strength %(strength)s ranks %(rank)s of %(parties)s parties."),
    "not_in_top_n": _("We rank %(rank)s, outside the top %(top_n)s: the win rate is 0 %%."),
    "compared_with_competitor": _(
        "Compared with %(competitor)s (strength %(strength)s), the number %(position)s competitor."
    ),
    "all_strengths_zero": _("Every strength is 0: the win rate is 0 %%."),
    "no_competitors": _("No competitor is scored: our share is 100 %%."),
    "raw_share": _("Our share is %(strength)s / %(total)s = %(raw)s."),
    "no_inside_source": _("Without an inside source the share is multiplied by %(factor)s."),
    "win_rate_rounded": _("%(percent)s %% rounds to a win rate of %(win_rate)s %%."),
}


@dataclass(frozen=True, slots=True)
class Explained:
    code: str
    params: JsonParams
    message: str


def _plain(value: Any) -> str | int | None:
    """JSON-safe and readable: Decimals without trailing zeros ("15", "0.75", "52.5")."""
    if value is None or isinstance(value, int | str):
        return value
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def reasons_to_json(reasons: Iterable[Reason]) -> list[dict[str, Any]]:
    return [
        {"code": r.code, "params": {key: _plain(value) for key, value in r.params.items()}}
        for r in reasons
    ]


def explain(stored: Iterable[Mapping[str, Any]], names: Mapping[int, str]) -> list[Explained]:
    """Sentences for stored reasons; `names` maps competitor ids to the names to show."""
    return [
        _one(str(item.get("code", "")), dict(item.get("params") or {}), names) for item in stored
    ]


def _one(code: str, params: JsonParams, names: Mapping[int, str]) -> Explained:
    template = MESSAGES.get(code)
    if template is None:
        return Explained(code, params, code)
    shown: dict[str, Any] = {k: "—" if v is None else v for k, v in params.items()}
    if "competitor_id" in params:
        shown["competitor"] = _competitor_name(params["competitor_id"], names)
    try:
        message = str(template) % shown
    except (KeyError, TypeError, ValueError):  # a stored reason from an older rule set
        message = code
    return Explained(code, params, message)


def _competitor_name(competitor_id: Any, names: Mapping[int, str]) -> str:
    try:
        return names[int(competitor_id)]
    except (KeyError, TypeError, ValueError):
        return str(_("a competitor"))
