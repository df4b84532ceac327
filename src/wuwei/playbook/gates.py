"""PRM stage gates (METHOD.md §6 "Stage gates"; AB compliance §4.2).

`risk_gate` is registered with `opportunities.gates`: a forward move that leaves or enters a
stage some enabled rule blocks is refused (409) when that rule fires on the deal, each rule
saying why in a sentence. A manager above the deal (or an executive or administrator) lets
the move through by giving a reason; the rep who owns the deal cannot. After the move,
`after_move` records the override (audit and deal timeline) and, when the deal is won or
lost, its lesson: which rules were open at the close and which had been overridden.
"""

from collections.abc import Iterable, Sequence

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wuwei.methodology.explain import Reason
from wuwei.methodology.risks import Finding, RuleSpec, crosses, facts_read, gate_findings
from wuwei.opportunities.gates import StageMove, method_rules
from wuwei.opportunities.models import Opportunity
from wuwei.opportunities.visibility import may_override_gates as may_override
from wuwei.playbook.explain import sentence
from wuwei.playbook.models import RiskRule
from wuwei.playbook.selectors import deal_facts, facts_at_stage, rule_specs

MESSAGES = {
    "risk_rule": _("%(name)s: %(explanation)s"),
    "override_not_allowed": _(
        "Only a manager above this deal can override its stage gates, with a reason."
    ),
}


def move_rules(move: StageMove) -> list[RuleSpec]:
    """The enabled rules, read once per move (one query): the gate, the override and the
    lesson of one move judge it by the same rules. Never kept beyond the move: an
    administrator's edit counts from the next move on."""
    rules: list[RuleSpec] = move.once("playbook.rules", lambda _move: rule_specs())
    return rules


def _blocking(move: StageMove) -> list[RuleSpec]:
    grade = move.opportunity.grade
    return [
        rule
        for rule in move_rules(move)
        if rule.is_blocking
        and rule.applies_to_grade(grade)
        and crosses(rule, move.current, move.target)
    ]


def blocking_findings(move: StageMove) -> tuple[Finding, ...]:
    """The blocking rules this move breaks, judged from the stage it starts in (before it is
    made). One query when no rule blocks the move, two to four when one does (the facts its
    blocking rules read: the deal's row with the fact tables they need, its contacts, its
    confirmed events); once per move: the gate's findings are the ones `after_move` records
    as overridden."""
    found: tuple[Finding, ...] = move.once("playbook.blocking_findings", _blocking_findings)
    return found


def _blocking_findings(move: StageMove) -> tuple[Finding, ...]:
    rules = _blocking(move)
    if not rules:
        return ()
    as_of = timezone.localdate()
    facts = deal_facts(
        [move.opportunity.pk], as_of=as_of, rules=rules, fields=facts_read(rules)
    ).get(move.opportunity.pk)
    if facts is None:
        return ()
    return gate_findings(
        facts_at_stage(facts, move.current),
        rules,
        current=move.current,
        target=move.target,
        as_of=as_of,
    )


def _names(findings: Sequence[Finding]) -> dict[int, RiskRule]:
    return RiskRule.objects.in_bulk([f.rule_id for f in findings])


def reasons_for(findings: Sequence[Finding]) -> list[Reason]:
    rules = _names(findings)
    return [
        Reason(
            "risk_rule",
            {
                "rule": f.rule_code,
                "name": rules[f.rule_id].text("name") if f.rule_id in rules else f.rule_code,
                "explanation": sentence(f),
                "severity": str(f.severity),
            },
        )
        for f in findings
    ]


def risk_gate(move: StageMove) -> Iterable[Reason]:
    if method_rules(move):  # a move the method refuses anyway is not judged on risks
        return ()
    findings = blocking_findings(move)
    if not findings:
        return ()
    if move.override_reason:
        if may_override(move.user, move.opportunity):
            return ()
        return (*reasons_for(findings), Reason("override_not_allowed"))
    return reasons_for(findings)


def after_move(move: StageMove, opportunity: Opportunity) -> None:
    from wuwei.playbook.services import lesson_record, override_record

    if move.override_reason:
        findings = blocking_findings(move)
        if findings:
            override_record(move=move, opportunity=opportunity, findings=findings)
    if not move.target.is_open:
        lesson_record(move=move, opportunity=opportunity, rules=move_rules(move))
