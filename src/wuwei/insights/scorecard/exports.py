"""The scorecard as CSV or XLSX: one line per rep and the team's total, written like every
report (`insights.exports.report_response`: numbers stay numbers, text never starts a
formula)."""

from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _

from wuwei.insights.exports import report_response
from wuwei.insights.scorecard.selectors import Scorecard


def _columns() -> list[tuple[str, Any]]:
    def use(name: str, part: str) -> Any:
        return lambda r: getattr(r.uses[name], part)

    return [
        (_("Rep"), lambda r: str(r.user) if r.user else _("Team total")),
        (_("Accounts"), lambda r: r.facts.accounts),
        (_("Accounts graded A/B"), lambda r: r.facts.accounts_ab),
        (_("Nine-box class improved"), lambda r: r.movement.improved),
        (_("Nine-box class declined"), lambda r: r.movement.declined),
        (_("Open deals"), lambda r: r.facts.open_deals),
        (_("Pipeline"), lambda r: r.facts.pipeline),
        (_("Forecast"), lambda r: r.facts.forecast),
        (_("Open deals not rated"), lambda r: r.facts.unrated),
        (_("Deals won"), lambda r: r.facts.won),
        (_("Won amount"), lambda r: r.facts.won_amount),
        (_("Deals lost"), lambda r: r.facts.lost),
        (_("Win rate (%)"), lambda r: r.win_rate),
        (_("Connection coverage (%)"), lambda r: r.coverage),
        (_("Presales days"), lambda r: r.facts.presales_days),
        (_("Presales cost"), lambda r: r.facts.presales_cost),
        (_("Presales return"), lambda r: r.presales_return),
        (_("Rules fired"), lambda r: r.facts.rules_fired),
        (_("Rules overridden"), lambda r: r.facts.rules_overridden),
        (_("Closeness change"), lambda r: r.core.closeness_change),
        (_("Positive deciders on key accounts (%)"), lambda r: r.core.decider_coverage),
        (_("Key accounts ahead (%)"), lambda r: r.core.solution_ahead),
        (_("Deals incubated"), lambda r: r.core.incubated_count),
        (_("Incubated amount"), lambda r: r.core.incubated_amount),
        (_("Won deals using connections (%)"), use("connections", "share_of_won")),
        (_("Connections: win-rate lift (points)"), use("connections", "lift")),
        (_("Won deals using the solution (%)"), use("solution", "share_of_won")),
        (_("Solution: win-rate lift (points)"), use("solution", "lift")),
        (_("Won deals keeping the rules (%)"), use("rules", "share_of_won")),
        (_("Rules: win-rate lift (points)"), use("rules", "lift")),
        (_("Contracted"), lambda r: r.facts.contracted),
        (_("Collected"), lambda r: r.facts.collected),
        (_("Collected ÷ contracted (%)"), lambda r: r.collection_rate),
    ]


def scorecard_response(fmt: str, card: Scorecard) -> HttpResponse:
    columns = _columns()
    rows = [[read(row) for _label, read in columns] for row in [*card.rows, card.total]]
    header = [label for label, _read in columns]
    return report_response(fmt, "scorecard", _("Scorecard"), header, rows)
