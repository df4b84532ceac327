"""PRM project rules (律, METHOD.md §6): risk rules as data, checked over a deal's facts.

A rule is data (`RuleSpec`): a `kind` (one of `KINDS`, each a check below), its parameters,
severity, the grades and stages it applies to and the stage transitions it blocks. New rules
of an existing kind need no code. `evaluate` gives the findings of every rule that applies to
the deal now; `gate_findings` gives the blocking rules a stage move would break (§6 "Stage
gates"). Both are pure: facts in (`DealFacts`, gathered by one selector), findings out, the
day is a parameter. A finding carries a code and the names and numbers behind it, so the UI
can say in a sentence *who* and *how much* (like the win-rate explanation).
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from wuwei.methodology.enums import DecisionRole, InteractionLevel, RelationshipStatus, Stage

FindingParam = str | int | None | tuple[str, ...]


class Severity(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"

    @property
    def rank(self) -> int:
        return {"low": 1, "medium": 2, "high": 3}[self.value]


class Kind(StrEnum):
    """The rule forms (§6 "where they fit the rule forms")."""

    NO_CONFIRMED_EVENT = "no_confirmed_event"
    NO_INSIDE_SOURCE = "no_inside_source"
    DECISION_ROLES_MISSING = "decision_roles_missing"
    FEW_ENGAGED_CONTACTS = "few_engaged_contacts"
    DEPARTMENTS_NOT_COVERED = "departments_not_covered"
    ACTIVITY_TAG_MISSING = "activity_tag_missing"
    HOSTILE_DECIDER = "hostile_decider"
    WIN_RATE_DROP = "win_rate_drop"
    CLOSE_DATE_NEAR = "close_date_near"
    NO_RECENT_ACTIVITY = "no_recent_activity"
    QUESTIONNAIRE_STALE = "questionnaire_stale"
    FEW_CONTACTS_MAPPED = "few_contacts_mapped"
    EVENT_PAST_REEVALUATION = "event_past_reevaluation"
    PURSUIT_MISSING = "pursuit_missing"


# ----------------------------------------------------------------------------------------
# facts


@dataclass(frozen=True, slots=True)
class ParticipantFact:
    """A contact on the deal's decision map (§3.1–3.3)."""

    name: str
    department: str
    title: str
    decision_role: DecisionRole
    relationship_status: RelationshipStatus
    interaction_level: InteractionLevel
    has_strategy: bool


@dataclass(frozen=True, slots=True)
class EventFact:
    """A confirmed compelling event (§4.3)."""

    description: str
    reevaluate_on: date | None


@dataclass(frozen=True, slots=True)
class DealFacts:
    """Everything the rules look at, for one deal."""

    opportunity_id: int
    stage: Stage
    grade: str
    created_on: date
    expected_close: date | None = None
    win_rate: int | None = None
    win_rate_last_week: int | None = None
    confirmed_events: tuple[EventFact, ...] = ()
    questionnaire_on: date | None = None  # the newest answered questionnaire
    has_inside_source: bool | None = None  # from the questionnaire in force; None = unknown
    participants: tuple[ParticipantFact, ...] = ()
    last_activity_on: date | None = None
    activity_tags: frozenset[str] = frozenset()
    has_strategy: bool = False
    has_value_proposition: bool = False


@dataclass(frozen=True, slots=True)
class RuleSpec:
    """One rule as stored (§6): empty `grades` means every grade."""

    id: int
    code: str
    kind: Kind
    severity: Severity
    stages: frozenset[Stage]
    grades: frozenset[str] = frozenset()
    parameters: Mapping[str, Any] = field(default_factory=dict)
    blocks_leaving: frozenset[Stage] = frozenset()
    blocks_entering: frozenset[Stage] = frozenset()
    enabled: bool = True

    def applies_to_grade(self, grade: str) -> bool:
        return not self.grades or grade in self.grades

    @property
    def is_blocking(self) -> bool:
        return bool(self.blocks_leaving or self.blocks_entering)


@dataclass(frozen=True, slots=True)
class Finding:
    """A rule that fired on a deal, with what the sentence names (people, dates, numbers)."""

    rule_id: int
    rule_code: str
    kind: Kind
    severity: Severity
    code: str
    params: Mapping[str, FindingParam] = field(default_factory=dict)


Check = Callable[[DealFacts, Mapping[str, Any], date], tuple[str, dict[str, FindingParam]] | None]


# ----------------------------------------------------------------------------------------
# checks: each returns (message code, params) when the rule fires, None otherwise


def _no_confirmed_event(facts: DealFacts, p: Mapping[str, Any], as_of: date) -> Any:
    if facts.confirmed_events:
        return None
    return "no_confirmed_event", {}


def _no_inside_source(facts: DealFacts, p: Mapping[str, Any], as_of: date) -> Any:
    if facts.has_inside_source is False:
        return "no_inside_source", {"answered_on": _iso(facts.questionnaire_on)}
    if facts.has_inside_source is None and p.get("when_unknown", False):
        return "inside_source_unknown", {}
    return None


def _decision_roles_missing(facts: DealFacts, p: Mapping[str, Any], as_of: date) -> Any:
    roles = [DecisionRole(r) for r in p["roles"]]
    mapped = {participant.decision_role for participant in facts.participants}
    missing = tuple(str(r) for r in roles if r not in mapped)
    if p.get("require", "any") == "all":
        if not missing:
            return None
        return "decision_roles_missing", {"missing": missing}
    if len(missing) < len(roles):
        return None
    return "decision_roles_none", {"roles": tuple(str(r) for r in roles)}


_LEVEL_ORDER = list(InteractionLevel)  # none < occasional < multiple < deep (§3.2)


def _engaged(participants: Sequence[ParticipantFact], minimum: InteractionLevel) -> list[str]:
    floor = _LEVEL_ORDER.index(minimum)
    return [x.name for x in participants if _LEVEL_ORDER.index(x.interaction_level) >= floor]


def _few_engaged_contacts(facts: DealFacts, p: Mapping[str, Any], as_of: date) -> Any:
    engaged = _engaged(facts.participants, InteractionLevel(p["min_interaction"]))
    if len(engaged) >= p["min_contacts"]:
        return None
    return "few_engaged_contacts", {
        "count": len(engaged),
        "minimum": p["min_contacts"],
        "names": tuple(engaged),
    }


def _covers(participant: ParticipantFact, keywords: Sequence[str]) -> bool:
    text = f"{participant.department} {participant.title}".casefold()
    return any(keyword.casefold() in text for keyword in keywords)


def _departments_not_covered(facts: DealFacts, p: Mapping[str, Any], as_of: date) -> Any:
    missing = tuple(
        str(group["name"])
        for group in p["departments"]
        if not any(_covers(x, group["keywords"]) for x in facts.participants)
    )
    if not missing:
        return None
    return "departments_not_covered", {"departments": missing}


def _activity_tag_missing(facts: DealFacts, p: Mapping[str, Any], as_of: date) -> Any:
    if p["tag"] in facts.activity_tags:
        return None
    return "activity_tag_missing", {"tag": p["tag"]}


def _hostile_decider(facts: DealFacts, p: Mapping[str, Any], as_of: date) -> Any:
    roles, statuses = set(p["roles"]), set(p["statuses"])
    hostile = tuple(
        x.name
        for x in facts.participants
        if x.decision_role in roles and x.relationship_status in statuses and not x.has_strategy
    )
    if not hostile:
        return None
    return "hostile_decider", {"names": hostile}


def _win_rate_drop(facts: DealFacts, p: Mapping[str, Any], as_of: date) -> Any:
    now, before = facts.win_rate, facts.win_rate_last_week
    if now is None or before is None or before - now < p["points"]:
        return None
    return "win_rate_drop", {"previous": before, "current": now, "drop": before - now}


def _close_date_near(facts: DealFacts, p: Mapping[str, Any], as_of: date) -> Any:
    close = facts.expected_close
    before = Stage(p["before_stage"])
    assert before.number is not None and facts.stage.number is not None
    if close is None or facts.stage.number >= before.number:
        return None
    days = (close - as_of).days
    if days > p["days"]:
        return None
    return "close_date_near", {"close": close.isoformat(), "days": days, "stage": str(before)}


def _no_recent_activity(facts: DealFacts, p: Mapping[str, Any], as_of: date) -> Any:
    since = facts.last_activity_on or facts.created_on
    idle = (as_of - since).days
    if idle < p["days"]:
        return None
    if facts.last_activity_on is None:
        return "no_activity_yet", {"days": idle}
    return "no_recent_activity", {"last": facts.last_activity_on.isoformat(), "days": idle}


def _questionnaire_stale(facts: DealFacts, p: Mapping[str, Any], as_of: date) -> Any:
    if facts.questionnaire_on is None:
        return "no_questionnaire", {"days": p["days"]}
    age = (as_of - facts.questionnaire_on).days
    if age <= p["days"]:
        return None
    return "questionnaire_stale", {
        "answered_on": facts.questionnaire_on.isoformat(),
        "age": age,
        "days": p["days"],
    }


def _few_contacts_mapped(facts: DealFacts, p: Mapping[str, Any], as_of: date) -> Any:
    count = len(facts.participants)
    if count >= p["min_contacts"]:
        return None
    if count == 0:
        return "no_contact_mapped", {}
    names = tuple(x.name for x in facts.participants)
    return "few_contacts_mapped", {"count": count, "names": names, "minimum": p["min_contacts"]}


def _event_past_reevaluation(facts: DealFacts, p: Mapping[str, Any], as_of: date) -> Any:
    overdue = [
        e for e in facts.confirmed_events if e.reevaluate_on is not None and e.reevaluate_on < as_of
    ]
    if not overdue:
        return None
    first = min(overdue, key=lambda e: e.reevaluate_on or as_of)
    assert first.reevaluate_on is not None
    return "event_past_reevaluation", {
        "event": first.description[:80],
        "due": first.reevaluate_on.isoformat(),
        "days": (as_of - first.reevaluate_on).days,
        "count": len(overdue),
    }


def _pursuit_missing(facts: DealFacts, p: Mapping[str, Any], as_of: date) -> Any:
    missing = []
    if "strategy" in p["require"] and not facts.has_strategy:
        missing.append("strategy")
    if "value_proposition" in p["require"] and not facts.has_value_proposition:
        missing.append("value_proposition")
    if not missing:
        return None
    return "pursuit_missing", {"missing": tuple(missing)}


CHECKS: dict[Kind, Check] = {
    Kind.NO_CONFIRMED_EVENT: _no_confirmed_event,
    Kind.NO_INSIDE_SOURCE: _no_inside_source,
    Kind.DECISION_ROLES_MISSING: _decision_roles_missing,
    Kind.FEW_ENGAGED_CONTACTS: _few_engaged_contacts,
    Kind.DEPARTMENTS_NOT_COVERED: _departments_not_covered,
    Kind.ACTIVITY_TAG_MISSING: _activity_tag_missing,
    Kind.HOSTILE_DECIDER: _hostile_decider,
    Kind.WIN_RATE_DROP: _win_rate_drop,
    Kind.CLOSE_DATE_NEAR: _close_date_near,
    Kind.NO_RECENT_ACTIVITY: _no_recent_activity,
    Kind.QUESTIONNAIRE_STALE: _questionnaire_stale,
    Kind.FEW_CONTACTS_MAPPED: _few_contacts_mapped,
    Kind.EVENT_PAST_REEVALUATION: _event_past_reevaluation,
    Kind.PURSUIT_MISSING: _pursuit_missing,
}

# The facts a deal always has (the deal's own row), and what each check reads beyond them: a
# caller judging only some rules (a stage gate) gathers only these (`facts_read`).
DEAL_FACTS = frozenset(
    {"opportunity_id", "stage", "grade", "created_on", "expected_close", "win_rate"}
)
READS: dict[Kind, frozenset[str]] = {
    Kind.NO_CONFIRMED_EVENT: frozenset({"confirmed_events"}),
    Kind.NO_INSIDE_SOURCE: frozenset({"has_inside_source", "questionnaire_on"}),
    Kind.DECISION_ROLES_MISSING: frozenset({"participants"}),
    Kind.FEW_ENGAGED_CONTACTS: frozenset({"participants"}),
    Kind.DEPARTMENTS_NOT_COVERED: frozenset({"participants"}),
    Kind.ACTIVITY_TAG_MISSING: frozenset({"activity_tags"}),
    Kind.HOSTILE_DECIDER: frozenset({"participants"}),
    Kind.WIN_RATE_DROP: frozenset({"win_rate_last_week"}),
    Kind.CLOSE_DATE_NEAR: frozenset(),
    Kind.NO_RECENT_ACTIVITY: frozenset({"last_activity_on"}),
    Kind.QUESTIONNAIRE_STALE: frozenset({"questionnaire_on"}),
    Kind.FEW_CONTACTS_MAPPED: frozenset({"participants"}),
    Kind.EVENT_PAST_REEVALUATION: frozenset({"confirmed_events"}),
    Kind.PURSUIT_MISSING: frozenset({"has_strategy", "has_value_proposition"}),
}


def facts_read(rules: Iterable[RuleSpec]) -> frozenset[str]:
    """The `DealFacts` fields these rules' checks read (the deal's own row included)."""
    return DEAL_FACTS.union(*(READS[rule.kind] for rule in rules))


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


# ----------------------------------------------------------------------------------------
# evaluation


def _fire(rule: RuleSpec, facts: DealFacts, as_of: date) -> Finding | None:
    result = CHECKS[rule.kind](facts, rule.parameters, as_of)
    if result is None:
        return None
    code, params = result
    return Finding(rule.id, rule.code, rule.kind, rule.severity, code, params)


def _applicable(rules: Sequence[RuleSpec], stage: Stage, grade: str) -> list[RuleSpec]:
    return [r for r in rules if r.enabled and r.applies_to_grade(grade) and stage in r.stages]


def _findings(facts: DealFacts, rules: Sequence[RuleSpec], as_of: date) -> tuple[Finding, ...]:
    found = [
        finding for rule in rules for finding in (_fire(rule, facts, as_of),) if finding is not None
    ]
    return tuple(sorted(found, key=lambda f: (-f.severity.rank, f.rule_code)))


def evaluate(facts: DealFacts, rules: Sequence[RuleSpec], *, as_of: date) -> tuple[Finding, ...]:
    """Findings of the enabled rules that apply to the deal's grade and current stage, most
    severe first (§6). Closed deals have no risks."""
    if not facts.stage.is_open:
        return ()
    return _findings(facts, _applicable(rules, facts.stage, facts.grade), as_of)


def evaluate_many(
    facts: Iterable[DealFacts], rules: Sequence[RuleSpec], *, as_of: date
) -> dict[int, tuple[Finding, ...]]:
    """`evaluate` for many deals at once (the nightly run): which rules apply is worked out
    once per stage and grade, not once per deal. Keyed by opportunity id."""
    applicable: dict[tuple[Stage, str], list[RuleSpec]] = {}
    found: dict[int, tuple[Finding, ...]] = {}
    for fact in facts:
        if not fact.stage.is_open:
            found[fact.opportunity_id] = ()
            continue
        key = (fact.stage, fact.grade)
        chosen = applicable.get(key)
        if chosen is None:
            chosen = applicable[key] = _applicable(rules, fact.stage, fact.grade)
        found[fact.opportunity_id] = _findings(fact, chosen, as_of)
    return found


def crosses(rule: RuleSpec, current: Stage, target: Stage) -> bool:
    """A forward move blocks on the stages it leaves or enters: from 3 to 5 leaves 3 and 4 and
    enters 4 and 5 (one step at a time on the AB track; a CD jump crosses several). Moving
    back or closing as lost is never blocked; winning enters `won`."""
    if target is Stage.LOST or current.number is None:
        return False
    end = 8 if target is Stage.WON else target.number
    assert end is not None
    if end <= current.number:
        return False
    left = {s for s in Stage if s.number is not None and current.number <= s.number < end}
    entered = {s for s in Stage if s.number is not None and current.number < s.number <= end}
    if target is Stage.WON:
        entered.add(Stage.WON)
    return bool(rule.blocks_leaving & left or rule.blocks_entering & entered)


def gate_findings(
    facts: DealFacts, rules: Sequence[RuleSpec], *, current: Stage, target: Stage, as_of: date
) -> tuple[Finding, ...]:
    """The blocking rules this move would break (§6 "Stage gates"): enabled, for the deal's
    grade, blocking a stage the move leaves or enters, and firing on the deal's facts. The
    transition says when the rule matters, so its `stages` list is not consulted here."""
    found = [
        finding
        for rule in rules
        if rule.enabled and rule.applies_to_grade(facts.grade) and crosses(rule, current, target)
        for finding in (_fire(rule, facts, as_of),)
        if finding is not None
    ]
    return tuple(sorted(found, key=lambda f: f.rule_code))


# ----------------------------------------------------------------------------------------
# parameters per kind: defaults and validation (a rule added through the UI or API is checked
# here, so a bad parameter is a clear error, never a crash at evaluation)

ParameterErrors = list[tuple[str, str]]

_DEPARTMENTS = [
    {"name": "procurement", "keywords": ["procurement", "purchasing", "采购"]},
    {"name": "finance", "keywords": ["finance", "财务"]},
    {"name": "legal", "keywords": ["legal", "法务"]},
]

DEFAULT_PARAMETERS: dict[Kind, dict[str, Any]] = {
    Kind.NO_CONFIRMED_EVENT: {},
    Kind.NO_INSIDE_SOURCE: {"when_unknown": False},
    Kind.DECISION_ROLES_MISSING: {"roles": ["approver", "decision_maker"], "require": "any"},
    Kind.FEW_ENGAGED_CONTACTS: {"min_contacts": 3, "min_interaction": "occasional"},
    Kind.DEPARTMENTS_NOT_COVERED: {"departments": _DEPARTMENTS},
    Kind.ACTIVITY_TAG_MISSING: {"tag": "budget"},
    Kind.HOSTILE_DECIDER: {
        "roles": ["approver", "decision_maker"],
        "statuses": ["negative", "strong_negative"],
    },
    Kind.WIN_RATE_DROP: {"points": 10},
    Kind.CLOSE_DATE_NEAR: {"days": 30, "before_stage": "bidding"},
    Kind.NO_RECENT_ACTIVITY: {"days": 14},
    Kind.QUESTIONNAIRE_STALE: {"days": 14},
    Kind.FEW_CONTACTS_MAPPED: {"min_contacts": 2},
    Kind.EVENT_PAST_REEVALUATION: {},
    Kind.PURSUIT_MISSING: {"require": ["strategy", "value_proposition"]},
}

_INT_RANGES: dict[str, tuple[int, int]] = {
    "min_contacts": (1, 50),
    "points": (1, 100),
    "days": (0, 3650),
}


def _int(errors: ParameterErrors, name: str, value: Any) -> int | None:
    low, high = _INT_RANGES[name]
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        errors.append((name, f"a whole number from {low} to {high}"))
        return None
    return int(value)


def _choices(errors: ParameterErrors, name: str, value: Any, allowed: Sequence[str]) -> Any:
    if (
        not isinstance(value, list)
        or not value
        or any(not isinstance(v, str) or v not in allowed for v in value)
    ):
        errors.append((name, "a non-empty list of: " + ", ".join(allowed)))
        return None
    return list(dict.fromkeys(value))


def _choice(errors: ParameterErrors, name: str, value: Any, allowed: Sequence[str]) -> Any:
    if value not in allowed:
        errors.append((name, "one of: " + ", ".join(allowed)))
        return None
    return value


def _text(errors: ParameterErrors, name: str, value: Any, limit: int = 60) -> Any:
    if not isinstance(value, str) or not value.strip() or len(value) > limit or "," in value:
        errors.append((name, f"a text of 1 to {limit} characters without commas"))
        return None
    return value.strip().lower()


def _departments(errors: ParameterErrors, value: Any) -> Any:
    ok = (
        isinstance(value, list)
        and 0 < len(value) <= 20
        and all(
            isinstance(g, dict)
            and set(g) == {"name", "keywords"}
            and isinstance(g["name"], str)
            and 0 < len(g["name"].strip()) <= 60
            and isinstance(g["keywords"], list)
            and 0 < len(g["keywords"]) <= 20
            and all(isinstance(k, str) and 0 < len(k.strip()) <= 60 for k in g["keywords"])
            for g in value
        )
    )
    if not ok:
        errors.append(("departments", 'a list of {"name": text, "keywords": [text, ...]}'))
        return None
    return [
        {"name": g["name"].strip(), "keywords": [k.strip() for k in g["keywords"]]} for g in value
    ]


_ROLES = [str(r) for r in DecisionRole]
_STATUSES = [str(s) for s in RelationshipStatus]
_LEVELS = [str(level) for level in InteractionLevel]
_OPEN = [str(s) for s in Stage if s.is_open]


def _read(kind: Kind, data: Mapping[str, Any], errors: ParameterErrors) -> dict[str, Any]:
    read: dict[str, Any] = {}
    for name, value in data.items():
        if name in _INT_RANGES:
            read[name] = _int(errors, name, value)
        elif name == "roles":
            read[name] = _choices(errors, name, value, _ROLES)
        elif name == "statuses":
            read[name] = _choices(errors, name, value, _STATUSES)
        elif name == "require" and kind is Kind.DECISION_ROLES_MISSING:
            read[name] = _choice(errors, name, value, ["any", "all"])
        elif name == "require":
            read[name] = _choices(errors, name, value, ["strategy", "value_proposition"])
        elif name == "min_interaction":
            read[name] = _choice(errors, name, value, _LEVELS)
        elif name == "before_stage":
            read[name] = _choice(errors, name, value, _OPEN)
        elif name == "tag":
            read[name] = _text(errors, name, value)
        elif name == "when_unknown":
            if not isinstance(value, bool):
                errors.append((name, "true or false"))
            read[name] = value
        elif name == "departments":
            read[name] = _departments(errors, value)
    return read


def clean_parameters(kind: Kind, data: Any) -> tuple[dict[str, Any], ParameterErrors]:
    """The kind's defaults overlaid with `data`; unknown names and bad values are errors
    (field, message). Returns the cleaned parameters and the errors (empty when valid)."""
    if not isinstance(data, Mapping):
        return {}, [("parameters", "an object")]
    defaults = DEFAULT_PARAMETERS[kind]
    errors: ParameterErrors = [
        (str(name), "unknown parameter for this kind") for name in data if name not in defaults
    ]
    known = {name: value for name, value in data.items() if name in defaults}
    cleaned = {**defaults, **_read(kind, known, errors)}
    return cleaned, errors


# ----------------------------------------------------------------------------------------
# the default rules of METHOD.md §6 (seeded by playbook's migration; editable afterwards)

_AFTER_VALIDATE = frozenset(s for s in Stage if s.is_open and s is not Stage.VALIDATE)
_ALL_OPEN = frozenset(s for s in Stage if s.is_open)


def _from(stage: Stage) -> frozenset[Stage]:
    assert stage.number is not None
    return frozenset(s for s in Stage if s.number is not None and s.number >= stage.number)


def _default(
    rule_id: int,
    code: str,
    kind: Kind,
    severity: Severity,
    stages: frozenset[Stage],
    grades: str = "",
    **extra: Any,
) -> RuleSpec:
    leaving = frozenset(extra.pop("blocks_leaving", ()))
    entering = frozenset(extra.pop("blocks_entering", ()))
    parameters, errors = clean_parameters(kind, extra)
    assert not errors, errors
    return RuleSpec(
        id=rule_id,
        code=code,
        kind=kind,
        severity=severity,
        stages=stages,
        grades=frozenset(grades),
        parameters=parameters,
        blocks_leaving=leaving,
        blocks_entering=entering,
    )


_H, _M, _L = Severity.HIGH, Severity.MEDIUM, Severity.LOW
_NEEDS, _VALUE = Stage.NEEDS_ANALYSIS, Stage.VALUE_PRESENTATION

DEFAULT_RULES: tuple[RuleSpec, ...] = (
    _default(1, "no_compelling_event", Kind.NO_CONFIRMED_EVENT, _H, _AFTER_VALIDATE),
    _default(2, "no_inside_source", Kind.NO_INSIDE_SOURCE, _M, _ALL_OPEN),
    _default(3, "decision_chain_incomplete", Kind.DECISION_ROLES_MISSING, _H, _AFTER_VALIDATE),
    _default(4, "single_threaded", Kind.FEW_ENGAGED_CONTACTS, _M, _ALL_OPEN, "AB"),
    _default(
        5,
        "back_office_not_covered",
        Kind.DEPARTMENTS_NOT_COVERED,
        _H,
        _from(Stage.TENDER_PREPARATION),
    ),
    _default(6, "budget_not_discussed", Kind.ACTIVITY_TAG_MISSING, _H, _from(_VALUE)),
    _default(7, "hostile_decider", Kind.HOSTILE_DECIDER, _H, _ALL_OPEN),
    _default(8, "win_rate_dropped", Kind.WIN_RATE_DROP, _M, _ALL_OPEN),
    _default(9, "close_date_near", Kind.CLOSE_DATE_NEAR, _M, _ALL_OPEN),
    _default(10, "no_recent_activity", Kind.NO_RECENT_ACTIVITY, _L, _ALL_OPEN),
    _default(11, "questionnaire_stale", Kind.QUESTIONNAIRE_STALE, _M, _ALL_OPEN, "AB"),
    _default(12, "single_contact", Kind.FEW_CONTACTS_MAPPED, _M, _ALL_OPEN),
    _default(13, "compelling_event_overdue", Kind.EVENT_PAST_REEVALUATION, _M, _ALL_OPEN),
    # AB compliance (§4.2, §6): blocking for AB, the same checks as warnings for CD
    _default(
        14,
        "ab_decision_map",
        Kind.DECISION_ROLES_MISSING,
        _H,
        _from(_VALUE),
        "AB",
        require="all",
        blocks_leaving=[_NEEDS],
    ),
    _default(
        15,
        "ab_strategy_and_value",
        Kind.PURSUIT_MISSING,
        _H,
        _from(Stage.TENDER_PREPARATION),
        "AB",
        blocks_leaving=[_VALUE],
    ),
    _default(
        16,
        "ab_fresh_questionnaire",
        Kind.QUESTIONNAIRE_STALE,
        _H,
        _from(Stage.BIDDING),
        "AB",
        blocks_entering=[Stage.BIDDING],
    ),
    _default(
        17, "cd_decision_map", Kind.DECISION_ROLES_MISSING, _L, _from(_VALUE), "CD", require="all"
    ),
    _default(
        18, "cd_strategy_and_value", Kind.PURSUIT_MISSING, _L, _from(Stage.TENDER_PREPARATION), "CD"
    ),
    _default(
        19, "cd_fresh_questionnaire", Kind.QUESTIONNAIRE_STALE, _L, _from(Stage.BIDDING), "CD"
    ),
)
