"""Rules in words (METHOD.md §6): what a rule checks, where it warns and what it blocks, as a
sales manager reads it — never raw slugs or JSON."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from wuwei.opportunities.models import Stage
from wuwei.people.models import DecisionRole, InteractionLevel, RelationshipStatus
from wuwei.playbook.forms import PARAMETER_LABELS, REQUIRE_ANY_ALL, REQUIRE_PURSUIT
from wuwei.playbook.models import RiskRule, RiskSeverity, RuleKind

STAGE_LABELS = dict(Stage.choices)
OPEN = [value for value, _label in Stage.choices if value not in ("won", "lost")]


def stage_list(values: Iterable[str]) -> str:
    """Consecutive stages as a range ("Needs analysis – Negotiation"), others listed."""
    chosen = [v for v in [*OPEN, "won"] if v in set(values)]
    if not chosen:
        return "—"
    positions = [([*OPEN, "won"]).index(v) for v in chosen]
    if len(chosen) > 2 and positions == list(range(positions[0], positions[0] + len(chosen))):
        return f"{STAGE_LABELS[chosen[0]]} – {STAGE_LABELS[chosen[-1]]}"
    return ", ".join(str(STAGE_LABELS[v]) for v in chosen)


def _value(name: str, value: Any) -> str:
    labels: dict[str, Any] = {}
    if name == "roles":
        labels = dict(DecisionRole.choices)
    elif name == "statuses":
        labels = dict(RelationshipStatus.choices)
    elif name == "min_interaction":
        labels = dict(InteractionLevel.choices)
    elif name == "before_stage":
        labels = STAGE_LABELS
    elif name == "require":
        labels = dict(REQUIRE_ANY_ALL) | dict(REQUIRE_PURSUIT)
    if name == "departments":
        return "; ".join(f"{g['name']} ({', '.join(g['keywords'])})" for g in value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return ", ".join(str(labels.get(v, v)) for v in value)
    return str(labels.get(value, value))


def parameter_lines(parameters: dict[str, Any]) -> list[tuple[str, str]]:
    return [
        (str(PARAMETER_LABELS.get(name, name)), _value(name, value))
        for name, value in parameters.items()
    ]


def gate_text(rule: RiskRule) -> list[str]:
    lines = [
        _("cannot leave %(stage)s") % {"stage": STAGE_LABELS.get(s, s)} for s in rule.blocks_leaving
    ]
    lines += [
        _("cannot enter %(stage)s") % {"stage": STAGE_LABELS.get(s, s)}
        for s in rule.blocks_entering
    ]
    return lines


def grade_text(grades: Sequence[str]) -> str:
    return "".join(grades) if grades else _("every grade")


@dataclass(frozen=True, slots=True)
class RuleRow:
    rule: RiskRule
    name: str
    description: str
    kind: str
    severity: str
    grades: str
    stages: str
    gates: list[str]
    parameters: list[tuple[str, str]]


def rule_row(rule: RiskRule) -> RuleRow:
    return RuleRow(
        rule=rule,
        name=rule.text("name"),
        description=rule.text("description"),
        kind=str(dict(RuleKind.choices).get(rule.kind, rule.kind)),
        severity=str(dict(RiskSeverity.choices).get(rule.severity, rule.severity)),
        grades=grade_text(rule.grades),
        stages=stage_list(rule.stages),
        gates=gate_text(rule),
        parameters=parameter_lines(rule.parameters),
    )
