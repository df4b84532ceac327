"""PRM risk rules (METHOD.md §6): every default rule firing and not firing at its boundary,
gates on transitions, parameter validation."""

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest

from wuwei.methodology.enums import DecisionRole as R
from wuwei.methodology.enums import InteractionLevel as L
from wuwei.methodology.enums import RelationshipStatus as S
from wuwei.methodology.risks import (
    DEFAULT_RULES,
    DealFacts,
    EventFact,
    Kind,
    ParticipantFact,
    RuleSpec,
    Severity,
    Stage,
    clean_parameters,
    crosses,
    evaluate,
    facts_read,
    gate_findings,
)

AS_OF = date(2026, 12, 4)
RULES = {rule.code: rule for rule in DEFAULT_RULES}


def person(
    name: str,
    role: R = R.EVALUATOR,
    status: S = S.NEUTRAL,
    level: L = L.OCCASIONAL,
    department: str = "",
    has_strategy: bool = False,
) -> ParticipantFact:
    return ParticipantFact(name, department, "", role, status, level, has_strategy)


def deal(stage: Stage = Stage.NEEDS_ANALYSIS, grade: str = "A", **fields: Any) -> DealFacts:
    return DealFacts(
        opportunity_id=1, stage=stage, grade=grade, created_on=AS_OF - timedelta(days=60), **fields
    )


def days_ago(n: int) -> date:
    return AS_OF - timedelta(days=n)


SAFE_MAP = (
    person("Wang", R.APPROVER, S.POSITIVE),
    person("Li", R.DECISION_MAKER, S.NEUTRAL),
    person("Zhao", R.EVALUATOR, department="采购部"),
)

# (rule code, facts that fire, facts just on the other side of the boundary, message code)
CASES = [
    (
        "no_compelling_event",
        deal(Stage.INITIATE),
        deal(Stage.INITIATE, confirmed_events=(EventFact("Budget approved", None),)),
        "no_confirmed_event",
    ),
    (
        "no_inside_source",
        deal(has_inside_source=False, questionnaire_on=days_ago(3)),
        deal(has_inside_source=True, questionnaire_on=days_ago(3)),
        "no_inside_source",
    ),
    (
        "decision_chain_incomplete",
        deal(participants=(person("Zhao", R.EVALUATOR), person("Qian", R.USER))),
        deal(participants=(person("Zhao", R.EVALUATOR), person("Li", R.DECISION_MAKER))),
        "decision_roles_none",
    ),
    (
        "single_threaded",
        deal(participants=(person("A"), person("B"), person("C", level=L.NONE))),
        deal(participants=(person("A"), person("B"), person("C", level=L.OCCASIONAL))),
        "few_engaged_contacts",
    ),
    (
        "back_office_not_covered",
        deal(Stage.TENDER_PREPARATION, participants=(person("Zhao", department="采购部"),)),
        deal(
            Stage.TENDER_PREPARATION,
            participants=(
                person("Zhao", department="采购部"),
                person("Sun", department="Group Finance"),
                person("Zhou", department="法务部"),
            ),
        ),
        "departments_not_covered",
    ),
    (
        "budget_not_discussed",
        deal(Stage.VALUE_PRESENTATION, activity_tags=frozenset({"pricing"})),
        deal(Stage.VALUE_PRESENTATION, activity_tags=frozenset({"pricing", "budget"})),
        "activity_tag_missing",
    ),
    (
        "hostile_decider",
        deal(participants=(person("Wang", R.APPROVER, S.NEGATIVE),)),
        deal(participants=(person("Wang", R.APPROVER, S.NEGATIVE, has_strategy=True),)),
        "hostile_decider",
    ),
    (
        "win_rate_dropped",
        deal(win_rate=40, win_rate_last_week=50),
        deal(win_rate=41, win_rate_last_week=50),
        "win_rate_drop",
    ),
    (
        "close_date_near",
        deal(Stage.TENDER_PREPARATION, expected_close=AS_OF + timedelta(days=30)),
        deal(Stage.TENDER_PREPARATION, expected_close=AS_OF + timedelta(days=31)),
        "close_date_near",
    ),
    (
        "no_recent_activity",
        deal(last_activity_on=days_ago(14)),
        deal(last_activity_on=days_ago(13)),
        "no_recent_activity",
    ),
    (
        "questionnaire_stale",
        deal(questionnaire_on=days_ago(15)),
        deal(questionnaire_on=days_ago(14)),
        "questionnaire_stale",
    ),
    (
        "single_contact",
        deal(participants=(person("Wang", R.APPROVER),)),
        deal(participants=(person("Wang", R.APPROVER), person("Li"))),
        "few_contacts_mapped",
    ),
    (
        "compelling_event_overdue",
        deal(confirmed_events=(EventFact("Go-live by June", days_ago(1)),)),
        deal(confirmed_events=(EventFact("Go-live by June", AS_OF),)),
        "event_past_reevaluation",
    ),
    (
        "ab_decision_map",
        deal(Stage.VALUE_PRESENTATION, participants=(person("Wang", R.APPROVER),)),
        deal(Stage.VALUE_PRESENTATION, participants=SAFE_MAP),
        "decision_roles_missing",
    ),
    (
        "ab_strategy_and_value",
        deal(Stage.TENDER_PREPARATION, has_strategy=True),
        deal(Stage.TENDER_PREPARATION, has_strategy=True, has_value_proposition=True),
        "pursuit_missing",
    ),
    (
        "ab_fresh_questionnaire",
        deal(Stage.BIDDING, questionnaire_on=days_ago(15)),
        deal(Stage.BIDDING, questionnaire_on=days_ago(14)),
        "questionnaire_stale",
    ),
    (
        "cd_decision_map",
        deal(Stage.VALUE_PRESENTATION, "C", participants=(person("Li", R.DECISION_MAKER),)),
        deal(Stage.VALUE_PRESENTATION, "C", participants=SAFE_MAP),
        "decision_roles_missing",
    ),
    (
        "cd_strategy_and_value",
        deal(Stage.TENDER_PREPARATION, "D", has_value_proposition=True),
        deal(Stage.TENDER_PREPARATION, "D", has_value_proposition=True, has_strategy=True),
        "pursuit_missing",
    ),
    (
        "cd_fresh_questionnaire",
        deal(Stage.NEGOTIATION, "C"),
        deal(Stage.NEGOTIATION, "C", questionnaire_on=days_ago(0)),
        "no_questionnaire",
    ),
]


def codes(facts: DealFacts, rule: RuleSpec) -> list[str]:
    return [finding.code for finding in evaluate(facts, [rule], as_of=AS_OF)]


def test_every_default_rule_has_a_boundary_case() -> None:
    assert sorted(case[0] for case in CASES) == sorted(RULES)
    assert len(DEFAULT_RULES) == 19


# Every fact a rule does not read, set to values that would make any other rule fire or not.
OTHER_FACTS = (
    deal(),
    deal(
        expected_close=days_ago(-5),
        win_rate=10,
        win_rate_last_week=90,
        confirmed_events=(EventFact("Old", days_ago(40)),),
        questionnaire_on=days_ago(200),
        has_inside_source=False,
        participants=SAFE_MAP,
        last_activity_on=days_ago(100),
        activity_tags=frozenset({"budget", "legal"}),
        has_strategy=True,
        has_value_proposition=True,
    ),
)


@pytest.mark.parametrize(("code", "firing", "quiet", "message"), CASES, ids=[c[0] for c in CASES])
def test_a_rule_reads_only_the_facts_it_declares(
    code: str, firing: DealFacts, quiet: DealFacts, message: str
) -> None:
    """A stage gate gathers only `facts_read(rules)` (the others keep their defaults): each
    check must give the same answer whatever the facts it does not declare."""
    rule = RULES[code]
    read = facts_read([rule])
    for facts in (firing, quiet):
        kept = {name: getattr(facts, name) for name in read}
        for other in OTHER_FACTS:
            assert evaluate(replace(other, **kept), [rule], as_of=AS_OF) == evaluate(
                facts, [rule], as_of=AS_OF
            )


@pytest.mark.parametrize(("code", "firing", "quiet", "message"), CASES, ids=[c[0] for c in CASES])
def test_rule_fires_on_one_side_of_its_boundary_only(
    code: str, firing: DealFacts, quiet: DealFacts, message: str
) -> None:
    rule = RULES[code]
    assert codes(firing, rule) == [message]
    assert codes(quiet, rule) == []


@pytest.mark.parametrize(
    ("code", "facts", "params"),
    [
        ("decision_chain_incomplete", CASES[2][1], {"roles": ("approver", "decision_maker")}),
        ("single_threaded", CASES[3][1], {"count": 2, "minimum": 3, "names": ("A", "B")}),
        ("back_office_not_covered", CASES[4][1], {"departments": ("finance", "legal")}),
        ("hostile_decider", CASES[6][1], {"names": ("Wang",)}),
        ("win_rate_dropped", CASES[7][1], {"previous": 50, "current": 40, "drop": 10}),
        (
            "close_date_near",
            CASES[8][1],
            {"close": "2027-01-03", "days": 30, "stage": "bidding"},
        ),
        ("no_recent_activity", CASES[9][1], {"last": "2026-11-20", "days": 14}),
        (
            "questionnaire_stale",
            CASES[10][1],
            {"answered_on": "2026-11-19", "age": 15, "days": 14},
        ),
        ("single_contact", CASES[11][1], {"count": 1, "names": ("Wang",), "minimum": 2}),
        (
            "compelling_event_overdue",
            CASES[12][1],
            {"event": "Go-live by June", "due": "2026-12-03", "days": 1, "count": 1},
        ),
        ("ab_decision_map", CASES[13][1], {"missing": ("decision_maker",)}),
        ("ab_strategy_and_value", CASES[14][1], {"missing": ("value_proposition",)}),
    ],
)
def test_findings_name_the_people_and_numbers(code: str, facts: DealFacts, params: dict) -> None:
    (finding,) = evaluate(facts, [RULES[code]], as_of=AS_OF)
    assert dict(finding.params) == params
    assert finding.rule_code == code


@pytest.mark.parametrize(
    ("code", "facts"),
    [
        ("no_compelling_event", deal(Stage.VALIDATE)),  # only after stage 1
        ("single_threaded", deal(grade="C")),  # AB deals only
        ("back_office_not_covered", deal(Stage.VALUE_PRESENTATION)),  # from stage 5
        ("budget_not_discussed", deal(Stage.NEEDS_ANALYSIS)),  # from stage 4
        ("close_date_near", deal(Stage.BIDDING, expected_close=AS_OF)),  # already at stage 6
        ("questionnaire_stale", deal(grade="D")),  # the weekly rhythm is for AB deals
        ("ab_decision_map", deal(Stage.VALUE_PRESENTATION, "C")),
        ("cd_decision_map", deal(Stage.VALUE_PRESENTATION, "B")),
        ("no_recent_activity", deal(Stage.WON)),  # closed deals carry no risk
    ],
)
def test_rule_does_not_apply_outside_its_stages_and_grades(code: str, facts: DealFacts) -> None:
    assert codes(facts, RULES[code]) == []


def test_a_new_deal_gets_the_idle_window_from_its_creation() -> None:
    fresh = replace(deal(), created_on=days_ago(13))
    assert codes(fresh, RULES["no_recent_activity"]) == []
    assert codes(replace(fresh, created_on=days_ago(14)), RULES["no_recent_activity"]) == [
        "no_activity_yet"
    ]


def test_no_inside_source_is_silent_without_a_questionnaire_unless_asked() -> None:
    rule = RULES["no_inside_source"]
    assert codes(deal(), rule) == []
    strict = replace(rule, parameters={"when_unknown": True})
    assert codes(deal(), strict) == ["inside_source_unknown"]


def test_findings_are_most_severe_first_and_disabled_rules_are_skipped() -> None:
    facts = deal(Stage.INITIATE, last_activity_on=days_ago(20))
    rules = [RULES["no_recent_activity"], RULES["no_compelling_event"], RULES["single_contact"]]
    assert [f.severity for f in evaluate(facts, rules, as_of=AS_OF)] == [
        Severity.HIGH,
        Severity.MEDIUM,
        Severity.LOW,
    ]
    off = [replace(rule, enabled=False) for rule in rules]
    assert evaluate(facts, off, as_of=AS_OF) == ()


@pytest.mark.parametrize(
    ("current", "target", "leaving", "entering", "blocked"),
    [
        (Stage.NEEDS_ANALYSIS, Stage.VALUE_PRESENTATION, {Stage.NEEDS_ANALYSIS}, set(), True),
        (Stage.INITIATE, Stage.NEEDS_ANALYSIS, {Stage.NEEDS_ANALYSIS}, set(), False),
        (Stage.NEEDS_ANALYSIS, Stage.INITIATE, {Stage.NEEDS_ANALYSIS}, set(), False),  # back
        (Stage.NEEDS_ANALYSIS, Stage.LOST, {Stage.NEEDS_ANALYSIS}, set(), False),
        (Stage.VALIDATE, Stage.NEGOTIATION, {Stage.NEEDS_ANALYSIS}, set(), True),  # CD jump
        (Stage.TENDER_PREPARATION, Stage.BIDDING, set(), {Stage.BIDDING}, True),
        (Stage.BIDDING, Stage.NEGOTIATION, set(), {Stage.BIDDING}, False),
        (Stage.NEGOTIATION, Stage.WON, set(), {Stage.WON}, True),
        (Stage.VALIDATE, Stage.NEGOTIATION, set(), {Stage.BIDDING}, True),
    ],
)
def test_a_forward_move_crosses_the_stages_it_leaves_and_enters(
    current: Stage, target: Stage, leaving: set, entering: set, blocked: bool
) -> None:
    rule = replace(
        RULES["ab_decision_map"],
        blocks_leaving=frozenset(leaving),
        blocks_entering=frozenset(entering),
    )
    assert crosses(rule, current, target) is blocked


def test_gate_lists_the_blocking_rules_the_move_breaks_regardless_of_stage_list() -> None:
    facts = deal(Stage.NEEDS_ANALYSIS, participants=(person("Wang", R.APPROVER),))
    found = gate_findings(
        facts,
        DEFAULT_RULES,
        current=Stage.NEEDS_ANALYSIS,
        target=Stage.VALUE_PRESENTATION,
        as_of=AS_OF,
    )
    assert [(f.rule_code, dict(f.params)) for f in found] == [
        ("ab_decision_map", {"missing": ("decision_maker",)})
    ]
    mapped = replace(facts, participants=SAFE_MAP)
    assert (
        gate_findings(
            mapped,
            DEFAULT_RULES,
            current=Stage.NEEDS_ANALYSIS,
            target=Stage.VALUE_PRESENTATION,
            as_of=AS_OF,
        )
        == ()
    )


@pytest.mark.parametrize("grade", ["C", "D", "E"])
def test_ab_compliance_never_blocks_cd_or_partner_deals(grade: str) -> None:
    facts = deal(Stage.TENDER_PREPARATION, grade)
    assert (
        gate_findings(
            facts,
            DEFAULT_RULES,
            current=Stage.TENDER_PREPARATION,
            target=Stage.BIDDING,
            as_of=AS_OF,
        )
        == ()
    )


@pytest.mark.parametrize(
    ("kind", "data", "errors"),
    [
        (Kind.NO_RECENT_ACTIVITY, {"days": 7}, []),
        (Kind.NO_RECENT_ACTIVITY, {"days": -1}, ["days"]),
        (Kind.NO_RECENT_ACTIVITY, {"days": True}, ["days"]),
        (Kind.NO_RECENT_ACTIVITY, {"hours": 3}, ["hours"]),
        (Kind.DECISION_ROLES_MISSING, {"roles": ["boss"]}, ["roles"]),
        (Kind.DECISION_ROLES_MISSING, {"require": "most"}, ["require"]),
        (Kind.ACTIVITY_TAG_MISSING, {"tag": "legal,budget"}, ["tag"]),
        (Kind.CLOSE_DATE_NEAR, {"before_stage": "won"}, ["before_stage"]),
        (Kind.DEPARTMENTS_NOT_COVERED, {"departments": [{"name": "IT"}]}, ["departments"]),
        (Kind.PURSUIT_MISSING, {"require": []}, ["require"]),
        (Kind.NO_INSIDE_SOURCE, "yes", ["parameters"]),
    ],
)
def test_parameters_are_validated_per_kind(kind: Kind, data: Any, errors: list) -> None:
    _cleaned, found = clean_parameters(kind, data)
    assert [name for name, _message in found] == errors


def test_a_rule_of_an_existing_kind_with_new_parameters_needs_no_code() -> None:
    params, errors = clean_parameters(Kind.ACTIVITY_TAG_MISSING, {"tag": "Legal"})
    assert errors == []
    legal = RuleSpec(
        id=99,
        code="legal_terms_not_discussed",
        kind=Kind.ACTIVITY_TAG_MISSING,
        severity=Severity.HIGH,
        stages=frozenset({Stage.NEGOTIATION}),
        parameters=params,
    )
    assert codes(deal(Stage.NEGOTIATION), legal) == ["activity_tag_missing"]
    assert codes(deal(Stage.NEGOTIATION, activity_tags=frozenset({"legal"})), legal) == []
