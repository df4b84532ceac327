"""PRM writes (METHOD.md §6): rules (administrators), gate overrides, lessons.

Rules are configuration: only administrators create or change them; every change is checked
against its kind's parameters (`methodology.risks.clean_parameters`), version-checked (409 on
a stale write) and audited. Overrides and lessons are recorded by the stage move itself
(`gates.after_move`), inside its transaction.
"""

from collections.abc import Callable, Sequence
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from wuwei.core import services as core_services
from wuwei.core.bulk import BulkLoader, gc_paused
from wuwei.core.errors import NotAllowed, ValidationFailed
from wuwei.methodology.enums import Stage
from wuwei.methodology.risks import Finding, Kind, RuleSpec, clean_parameters, evaluate
from wuwei.opportunities.gates import StageMove
from wuwei.opportunities.models import Opportunity
from wuwei.org.permissions import Action, may
from wuwei.playbook.explain import sentence
from wuwei.playbook.models import (
    DealLesson,
    LessonRule,
    LessonRuleHow,
    RiskOverride,
    RiskRule,
    RiskSeverity,
    RuleKind,
)
from wuwei.playbook.selectors import deal_facts, facts_at_stage, rule_specs

GRADES = ("A", "B", "C", "D", "E")
OPEN = [str(s) for s in Stage if s.is_open]
ENTERABLE = [*OPEN[1:], str(Stage.WON)]
RULE_FIELDS = (
    "name_en",
    "name_zh",
    "description_en",
    "description_zh",
    "parameters",
    "severity",
    "stages",
    "grades",
    "enabled",
    "blocks_leaving",
    "blocks_entering",
    "position",
)


def is_rule_admin(user: Any) -> bool:
    return may(user, Action.PLAYBOOK_EDIT)


def _require_admin(user: Any) -> None:
    if not is_rule_admin(user):
        raise NotAllowed(_("Only administrators can change the project rules."))


def _subset(errors: list[tuple[str, str]], name: str, value: Any, allowed: Sequence[str]) -> Any:
    if not isinstance(value, list) or any(v not in allowed for v in value):
        errors.append((name, _("choose from: %(values)s") % {"values": ", ".join(allowed)}))
        return value
    return [v for v in allowed if v in value]  # stored in the method's order, once each


def _clean(kind: str, data: dict[str, Any]) -> dict[str, Any]:
    errors: list[tuple[str, str]] = []
    cleaned = dict(data)
    if "parameters" in data:
        cleaned["parameters"], problems = clean_parameters(Kind(kind), data["parameters"])
        errors += [(f"parameters.{name}", message) for name, message in problems]
    if "severity" in data and data["severity"] not in RiskSeverity.values:
        errors.append(("severity", _("choose low, medium or high")))
    for name, allowed in (
        ("stages", OPEN),
        ("grades", list(GRADES)),
        ("blocks_leaving", OPEN),
        ("blocks_entering", ENTERABLE),
    ):
        if name in data:
            cleaned[name] = _subset(errors, name, data[name], allowed)
    if "stages" in data and not cleaned["stages"]:
        errors.append(("stages", _("choose at least one stage")))
    for name in ("name_en", "name_zh"):
        if name in data and not str(data[name]).strip():
            errors.append((name, _("This field is required.")))
    if errors:
        raise ValidationFailed(_("The rule is not valid."), errors)
    return cleaned


@transaction.atomic
def rule_create(*, user: Any, code: str, kind: str, **fields: Any) -> RiskRule:
    """A new rule of an existing kind: no code needed (§6 "rules are data")."""
    _require_admin(user)
    if kind not in RuleKind.values:
        raise ValidationFailed(_("Unknown rule kind."), [("kind", _("unknown kind"))])
    if RiskRule.objects.filter(code=code).exists():
        raise ValidationFailed(
            _("A rule with this code exists already."), [("code", _("already used"))]
        )
    data = {"parameters": {}, "stages": OPEN, **fields}
    cleaned = _clean(kind, {name: data[name] for name in data if name in RULE_FIELDS})
    unknown = set(fields) - set(RULE_FIELDS)
    if unknown:
        raise ValueError(f"not rule fields: {sorted(unknown)}")
    rule = RiskRule(code=code, kind=kind, **cleaned)
    if not rule.name_zh:
        rule.name_zh = rule.name_en
    if rule.position == 0:
        rule.position = (
            RiskRule.objects.order_by("-position").values_list("position", flat=True).first() or 0
        ) + 1
    return core_services.save_new(rule, user=user)


def rule_update(
    *, user: Any, rule: RiskRule, changes: dict[str, Any], expected_version: int | None
) -> RiskRule:
    _require_admin(user)
    unknown = set(changes) - set(RULE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    if "parameters" in changes and isinstance(changes["parameters"], dict):
        changes = {**changes, "parameters": {**rule.parameters, **changes["parameters"]}}
    cleaned = _clean(rule.kind, changes)
    updated: RiskRule = core_services.update_fields(
        rule, user=user, changes=cleaned, expected_version=expected_version
    )
    return updated


def rule_archive(*, user: Any, rule: RiskRule) -> RiskRule:
    _require_admin(user)
    return core_services.archive(rule, user=user)


# ----------------------------------------------------------------------------------------
# overrides and lessons (recorded by the stage move)


def _rules_json(findings: Sequence[Finding]) -> list[dict[str, Any]]:
    return [{"rule": f.rule_id, "code": f.rule_code, "message": sentence(f)} for f in findings]


def override_record(
    *, move: StageMove, opportunity: Opportunity, findings: Sequence[Finding]
) -> RiskOverride:
    return RiskOverride.objects.create(
        opportunity=opportunity,
        from_stage=str(move.current),
        to_stage=str(move.target),
        reason=move.override_reason,
        rules=_rules_json(findings),
        overridden_by=move.user,
    )


def lesson_record(
    *, move: StageMove, opportunity: Opportunity, rules: Sequence[RuleSpec] | None = None
) -> DealLesson:
    """On won/lost: the rules open at the close (judged in the stage the deal left) and the
    rules overridden on the way, kept with the outcome for the per-rule view. `rules`: the
    enabled rules the move was judged by (read here when not given)."""
    as_of = timezone.localdate()
    rules = rule_specs() if rules is None else rules
    facts = deal_facts([opportunity.pk], as_of=as_of, rules=rules).get(opportunity.pk)
    open_at_close = (
        evaluate(facts_at_stage(facts, move.current), rules, as_of=as_of) if facts else ()
    )
    outcome = str(move.target)
    lesson, _created = DealLesson.objects.get_or_create(
        opportunity=opportunity,
        defaults={"outcome": outcome, "closed_on": as_of, "created_by": move.user},
    )
    rows = [
        LessonRule(
            lesson=lesson,
            rule_id=f.rule_id,
            how=LessonRuleHow.IGNORED,
            outcome=outcome,
            message=sentence(f),
        )
        for f in open_at_close
    ]
    seen: set[int] = set()
    live = set(RiskRule.objects.values_list("pk", flat=True))
    for override in RiskOverride.objects.filter(opportunity=opportunity).order_by("created_at"):
        for item in override.rules:
            rule_id = item.get("rule")
            if rule_id in live and rule_id not in seen:
                seen.add(rule_id)
                rows.append(
                    LessonRule(
                        lesson=lesson,
                        rule_id=rule_id,
                        how=LessonRuleHow.OVERRIDDEN,
                        outcome=outcome,
                        message=str(item.get("message", "")),
                    )
                )
    LessonRule.objects.bulk_create(rows, ignore_conflicts=True)
    return lesson


def lesson_update(
    *, user: Any, lesson: DealLesson, decided_by: str, expected_version: int | None
) -> DealLesson:
    """What decided the deal, written by the deal team or their managers afterwards."""
    from wuwei.opportunities.services import require_writer

    require_writer(user)
    if len(decided_by) > 4000:
        raise ValidationFailed(
            _("Keep it under 4,000 characters."), [("decided_by", _("too long"))]
        )
    updated: DealLesson = core_services.update_fields(
        lesson,
        user=user,
        changes={"decided_by": decided_by.strip()},
        expected_version=expected_version,
    )
    return updated


# ----------------------------------------------------------------------------------------
# the nightly evaluation (§6): when each rule started firing, and a notice for new high ones

NOTICE_KIND = "risk_rule"
# Deals evaluated per round: three fact queries, one read of the stored findings, one DELETE
# per rule gone and one INSERT per round. 2,000 keeps the per-query overhead small (100k
# deals: 50 rounds) and the facts of one round in a few MB.
_CHUNK = 2_000
_LOCK = 0x5269736B  # "Risk": the transaction-level advisory lock of `risk_refresh`


def _notice_title(deal: str, rule: RiskRule) -> str:
    return _("Risk on %(deal)s: %(rule)s") % {"deal": deal, "rule": rule.text("name")}


def _notice_body(deal: str, rule: RiskRule, explanation: Callable[[], str]) -> str:
    return _("%(rule)s on %(deal)s. %(explanation)s") % {
        "rule": rule.text("name"),
        "deal": deal,
        "explanation": explanation(),
    }


def _sentences() -> Callable[[Finding], str]:
    """`sentence`, remembered per language and finding: the first night words the same
    finding (no compelling event, a role missing…) for thousands of deals."""
    said: dict[tuple[Any, ...], str] = {}

    def say(finding: Finding) -> str:
        key = (get_language(), finding.code, tuple(finding.params.items()))
        text = said.get(key)
        if text is None:
            text = said[key] = sentence(finding)
        return text

    return say


def _notify(new: list[tuple[int, Finding]], rules: dict[int, RiskRule]) -> int:
    """One notice per new high-severity finding to the deal's owner. The deals are read as
    (name, owner) pairs and each owner once: the first night notifies ~150k findings."""
    from functools import partial

    from django.urls import reverse

    from wuwei.notifications.services import Draft, notify_many
    from wuwei.org.models import User

    high = [
        (deal_id, f)
        for deal_id, f in new
        if str(f.severity) == RiskSeverity.HIGH.value and f.rule_id in rules
    ]
    if not high:
        return 0
    deals: dict[int, tuple[str, int]] = {}
    ids = sorted({deal_id for deal_id, _f in high})
    for start in range(0, len(ids), 10 * _CHUNK):
        deals.update(
            (pk, (name, owner_id))
            for pk, name, owner_id in Opportunity.objects.filter(
                pk__in=ids[start : start + 10 * _CHUNK]
            ).values_list("pk", "name", "owner_id")
        )
    owners = User.objects.in_bulk({owner_id for _name, owner_id in deals.values()})
    say = _sentences()
    # one reverse() for every link: the deal id is the only part that changes
    head, tail = reverse("opportunities:detail", args=[0]).rsplit("/0/", 1)
    drafts = [
        Draft(
            recipients=[owners[deals[deal_id][1]]],
            kind=NOTICE_KIND,
            title=partial(_notice_title, deals[deal_id][0], rules[f.rule_id]),
            body=partial(_notice_body, deals[deal_id][0], rules[f.rule_id], partial(say, f)),
            url=f"{head}/{deal_id}/{tail}#risks",
            key=f"{NOTICE_KIND}:{deal_id}:{f.rule_id}",
            opportunity_id=deal_id,
        )
        for deal_id, f in high
        if deal_id in deals
    ]
    return notify_many(drafts) if drafts else 0


def _refresh_chunk(ids: list[int], rules: Any, now: Any) -> list[tuple[int, Finding]]:
    from wuwei.playbook.models import RiskFinding
    from wuwei.playbook.selectors import deal_filter, risks_for

    found = risks_for(ids, as_of=timezone.localdate(now), rules=rules)
    # The round's id range, an index range scan: as a list of 2,000 ids PostgreSQL scanned the
    # whole table each round while its statistics still said it was empty (the first night).
    stored = {
        key
        for key in RiskFinding.objects.filter(**deal_filter(ids, "opportunity_id")).values_list(
            "opportunity_id", "rule_id"
        )
        if key[0] in found
    }
    firing = {(deal_id, f.rule_id): f for deal_id, fs in found.items() for f in fs}
    gone: dict[int, list[int]] = {}
    for deal_id, rule_id in stored - firing.keys():
        gone.setdefault(rule_id, []).append(deal_id)
    for rule_id, deal_ids in gone.items():  # one DELETE per rule, never one per deal
        RiskFinding.objects.filter(rule_id=rule_id, opportunity_id__in=deal_ids).delete()
    # A row lives exactly while its rule fires: the rows still firing are left untouched (no
    # nightly rewrite of every finding), only the new ones are written.
    new = [(key, f) for key, f in firing.items() if key not in stored]
    if new:
        # Straight COPY on PostgreSQL: runs take turns (`_LOCK`), so what this one read as
        # stored includes every row another run committed and no new row can collide. SQLite
        # writes one transaction at a time anyway; INSERT OR IGNORE there.
        BulkLoader(now=now).write(
            RiskFinding,
            ["opportunity_id", "rule_id", "first_seen_at"],
            ((d, r, now) for (d, r), _f in new),
            ignore_conflicts=connection.vendor != "postgresql",
        )
    return [(d, f) for (d, _r), f in new]


@transaction.atomic
def risk_refresh(*, now: Any = None, opportunity_ids: Sequence[int] | None = None) -> int:
    """Evaluate every open deal (or the given ones) in chunks: record the rules that started
    firing, drop those that stopped, notify owners of newly fired high-severity rules once
    per deal and rule. Idempotent. Returns how many findings are new."""
    from wuwei.opportunities.winning.selectors import open_deals

    now = now or timezone.now()
    if connection.vendor == "postgresql":  # one run at a time, the next waits for its commit
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK])
    rules = rule_specs()
    qs = open_deals()
    if opportunity_ids is not None:
        qs = qs.filter(pk__in=list(opportunity_ids))
    all_ids = list(qs.order_by("pk").values_list("pk", flat=True))
    new: list[tuple[int, Finding]] = []
    with gc_paused():
        for start in range(0, len(all_ids), _CHUNK):
            new += _refresh_chunk(all_ids[start : start + _CHUNK], rules, now)
        if new:
            _notify(new, RiskRule.objects.in_bulk({f.rule_id for _d, f in new}))
    return len(new)
