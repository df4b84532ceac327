"""PRM reads (METHOD.md §6): the rules in force and the facts of deals, gathered in bulk.

`deal_facts` is the one selector the risk engine reads: for one deal or a thousand it costs
the same three queries (the deals joined to one grouped pass over each fact table, their
decision-map contacts, their confirmed compelling events), and `rule_specs` one more.
`risks_for` runs the pure `methodology.risks.evaluate` over them. Callers pass deals they
already read through visibility (a visible queryset or ids taken from one).
"""

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import (
    BooleanField,
    Count,
    DateField,
    DateTimeField,
    F,
    Max,
    Q,
    QuerySet,
    Value,
    Window,
)
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.translation import gettext as _

from wuwei.core.errors import NotFound
from wuwei.core.visibility import scope_for, visible
from wuwei.methodology.enums import DecisionRole, InteractionLevel, RelationshipStatus, Stage
from wuwei.methodology.risks import (
    DealFacts,
    EventFact,
    Finding,
    Kind,
    ParticipantFact,
    RuleSpec,
    Severity,
    evaluate_many,
)
from wuwei.opportunities.models import (
    AnswerRole,
    CompellingEvent,
    DealStrategy,
    Opportunity,
    Questionnaire,
    ValueProposition,
    WinRateSnapshot,
)
from wuwei.opportunities.winning.selectors import week_monday
from wuwei.people.models import Activity, DecisionParticipant
from wuwei.playbook.models import LessonRule, RiskOverride, RiskRule

OPEN = [str(stage) for stage in Stage if stage.is_open]


def rule_list(*, include_archived: bool = False) -> QuerySet[RiskRule]:
    """Every rule, in the administrator's order (configuration: visible to every user)."""
    qs = RiskRule.objects.all()
    return qs if include_archived else qs.filter(archived_at__isnull=True)


def rule_get(*, id: int) -> RiskRule:
    try:
        rule: RiskRule = rule_list().get(pk=id)
    except (RiskRule.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("Not found.")) from None
    return rule


_SLUGS = {str(stage) for stage in Stage}


def _stages(values: Iterable[str]) -> frozenset[Stage]:
    return frozenset(Stage(v) for v in values if v in _SLUGS)


def _spec(
    pk: int,
    code: str,
    kind: str,
    severity: str,
    stages: Iterable[str],
    grades: Iterable[str],
    parameters: dict[str, Any],
    blocks_leaving: Iterable[str],
    blocks_entering: Iterable[str],
    enabled: bool,
) -> RuleSpec:
    return RuleSpec(
        id=pk,
        code=code,
        kind=Kind(kind),
        severity=Severity(severity),
        stages=_stages(stages),
        grades=frozenset(grades),
        parameters=dict(parameters),
        blocks_leaving=_stages(blocks_leaving),
        blocks_entering=_stages(blocks_entering),
        enabled=enabled,
    )


_SPEC_COLUMNS = (
    "pk",
    "code",
    "kind",
    "severity",
    "stages",
    "grades",
    "parameters",
    "blocks_leaving",
    "blocks_entering",
    "enabled",
)


def to_spec(rule: RiskRule) -> RuleSpec:
    return _spec(*(getattr(rule, column) for column in _SPEC_COLUMNS))


def rule_specs() -> list[RuleSpec]:
    """The enabled rules as the engine reads them (one query, the columns it reads as values:
    every stage move asks)."""
    rows = rule_list().filter(enabled=True).values_list(*_SPEC_COLUMNS)
    return [_spec(*row) for row in rows]


def rules_in_force() -> tuple[dict[int, RiskRule], list[RuleSpec]]:
    """The enabled rules as rows (names for the sentences) and as specs, in one query."""
    rows = list(rule_list().filter(enabled=True))
    return {rule.pk: rule for rule in rows}, [to_spec(rule) for rule in rows]


def _tags(rules: Sequence[RuleSpec]) -> list[str]:
    return sorted({str(r.parameters["tag"]) for r in rules if r.kind is Kind.ACTIVITY_TAG_MISSING})


def deal_filter(deals: QuerySet[Opportunity] | list[int], path: str) -> dict[str, Any]:
    """How a fact table picks the deals' rows (`path` leads to the deal id): a sorted run of
    ids as a range — one index range scan instead of one probe per id; the rows of other
    deals in the range are dropped by the join — sparse ids as a list, a queryset as a
    semi-join."""
    if isinstance(deals, QuerySet):
        return {f"{path}__in": deals.values("pk")}
    low, high = min(deals), max(deals)
    if high - low < 2 * len(deals):
        return {f"{path}__gte": low, f"{path}__lte": high}
    return {f"{path}__in": deals}


def _newest(column: str) -> Window:
    return Window(
        RowNumber(), partition_by=[F(column)], order_by=[F("answered_at").desc(), F("id").desc()]
    )


# The fact tables joined to the deals, and the `DealFacts` fields each one gives.
_JOINS: dict[str, frozenset[str]] = {
    "s": frozenset({"win_rate_last_week"}),
    "q": frozenset({"questionnaire_on", "has_inside_source"}),
    "m": frozenset({"has_inside_source"}),
    "a": frozenset({"last_activity_on", "activity_tags"}),
    "st": frozenset({"has_strategy"}),
    "v": frozenset({"has_value_proposition"}),
}


def _facts_sql(
    base: QuerySet[Opportunity],
    deals: QuerySet[Opportunity] | list[int],
    as_of: date,
    tags: Any,
    joins: Collection[str],
) -> tuple[str, list[Any]]:
    """One statement: the deals joined once to one grouped pass over each fact table in
    `joins`, each pass limited to the same deals (set-based: a few thousand pages a round of
    2,000 deals, where a subquery per deal and fact read ~55,000); a fact table not joined
    gives NULL. The parts are querysets compiled for the current database; only the joins are
    written here."""
    on = deal_filter(deals, "opportunity_id")
    # each fact table's grouped pass, built only when joined
    passes: dict[str, Callable[[], QuerySet[Any]]] = {
        "s": lambda: WinRateSnapshot.objects.filter(
            week=week_monday(as_of) - timedelta(days=7), **on
        ).values(s_deal=F("opportunity_id"), s_rate=F("win_rate")),
        "q": lambda: (
            Questionnaire.objects.filter(role=AnswerRole.REP, archived_at__isnull=True, **on)
            .order_by()
            .values(
                q_deal=F("opportunity_id"),
                q_id=F("id"),
                q_at=F("answered_at"),
                q_inside=F("has_inside_source"),
                q_rank=_newest("opportunity_id"),
            )
        ),
        "m": lambda: (
            Questionnaire.objects.filter(
                role=AnswerRole.MANAGER,
                archived_at__isnull=True,
                **deal_filter(deals, "adjusts__opportunity_id"),
            )
            .order_by()
            .values(
                m_adjusts=F("adjusts_id"),
                m_inside=F("has_inside_source"),
                m_rank=_newest("adjusts_id"),
            )
        ),
        "a": lambda: (
            Activity.objects.filter(archived_at__isnull=True, **on)
            .order_by()
            .values(a_deal=F("opportunity_id"))
            .annotate(
                a_last=Max("occurred_on"),
                **{
                    f"a_tag_{index}": Count("pk", filter=Q(tags__contains=f",{tag},"))
                    for index, tag in enumerate(tags)
                },
            )
        ),
        "st": lambda: (
            DealStrategy.objects.filter(archived_at__isnull=True, **on)
            .order_by()
            .values(st_deal=F("opportunity_id"))
            .distinct()
        ),
        "v": lambda: (
            ValueProposition.objects.filter(archived_at__isnull=True, **on)
            .filter(~Q(solution="") | ~Q(business_value=""))
            .order_by()
            .values(v_deal=F("opportunity_id"))
            .distinct()
        ),
    }
    deal = base.order_by().values(
        d_id=F("pk"),
        d_stage=F("stage"),
        d_grade=F("grade"),
        d_created=F("created_at"),
        d_close=F("expected_close"),
        d_rate=F("win_rate"),
    )
    compiled = {
        "d": deal.query.sql_with_params(),
        **{name: passes[name]().query.sql_with_params() for name in passes if name in joins},
    }
    # per fact table: the column it gives (NULL when not joined) and its join condition
    tables = (
        ("s", "s.s_rate", "s.s_deal = d.d_id"),
        ("q", "q.q_at", "q.q_deal = d.d_id AND q.q_rank = 1"),
        ("m", "COALESCE(m.m_inside, q.q_inside)", "m.m_adjusts = q.q_id AND m.m_rank = 1"),
        ("a", "a.a_last", "a.a_deal = d.d_id"),
        ("st", "st.st_deal", "st.st_deal = d.d_id"),
        ("v", "v.v_deal", "v.v_deal = d.d_id"),
    )
    tag_columns = "".join(f", a.a_tag_{index}" for index in range(len(tags)))
    joined = [(name, cond) for name, _column, cond in tables if name in compiled]
    sql = (
        "SELECT d.d_id, d.d_stage, d.d_grade, d.d_created, d.d_close, d.d_rate, "
        + ", ".join(column if name in compiled else "NULL" for name, column, _c in tables)
        + f"{tag_columns} FROM ({compiled['d'][0]}) d "
        + " ".join(f"LEFT JOIN ({compiled[name][0]}) {name} ON {cond}" for name, cond in joined)
    )
    params = [p for name in ("d", *(n for n, _c in joined)) for p in compiled[name][1]]
    return sql, params


def _converters(*fields: Any) -> list[list[Any]]:
    """The database's converters for raw columns of these types (SQLite gives dates as text
    and booleans as integers; PostgreSQL needs none)."""
    return [connection.ops.get_db_converters(Value(None, output_field=field)) for field in fields]


def _participants(on: dict[str, Any]) -> dict[int, list[ParticipantFact]]:
    rows = (
        DecisionParticipant.objects.filter(archived_at__isnull=True, **on)
        .order_by("opportunity_id", "-contact__influence", "contact__name", "id")
        .values_list(
            "opportunity_id",
            "contact__name",
            "contact__department",
            "contact__title",
            "decision_role",
            "relationship_status",
            "interaction_level",
            "strategy",
        )
    )
    found: dict[int, list[ParticipantFact]] = defaultdict(list)
    for deal_id, name, department, title, role, status, level, strategy in rows:
        found[deal_id].append(
            ParticipantFact(
                name=name,
                department=department,
                title=title,
                decision_role=DecisionRole(role),
                relationship_status=RelationshipStatus(status),
                interaction_level=InteractionLevel(level),
                has_strategy=bool(strategy),
            )
        )
    return found


def _events(on: dict[str, Any]) -> dict[int, list[EventFact]]:
    rows = (
        CompellingEvent.objects.filter(is_confirmed=True, archived_at__isnull=True, **on)
        .order_by("opportunity_id", "reevaluate_on", "id")
        .values_list("opportunity_id", "description", "reevaluate_on")
    )
    found: dict[int, list[EventFact]] = defaultdict(list)
    for deal_id, description, reevaluate_on in rows:
        found[deal_id].append(EventFact(description, reevaluate_on))
    return found


def _day(value: Any) -> date | None:
    return timezone.localdate(value) if value is not None else None


def deal_facts(
    deals: QuerySet[Opportunity] | Sequence[int],
    *,
    as_of: date,
    rules: Sequence[RuleSpec] = (),
    fields: Collection[str] | None = None,
) -> dict[int, DealFacts]:
    """The facts of every given deal (not archived), in three queries whatever their number
    (the deals with their per-deal facts, their decision-map contacts, their confirmed
    events). `rules` tells which activity tags to look for (`activity_tag_missing` rules).
    `fields`: only these `DealFacts` fields are gathered (`risks.facts_read` of the rules to
    judge; the others keep their defaults), one or two queries fewer when no contact or event
    is read; every field when None."""
    chosen: QuerySet[Opportunity] | list[int]
    if isinstance(deals, QuerySet):
        base = chosen = deals.filter(archived_at__isnull=True)
    else:
        chosen = list(deals)
        if not chosen:
            return {}
        base = Opportunity.objects.filter(pk__in=chosen, archived_at__isnull=True)
    wanted = frozenset(DealFacts.__dataclass_fields__) if fields is None else frozenset(fields)
    joins = {name for name, gives in _JOINS.items() if gives & wanted}
    tags = _tags(rules) if "activity_tags" in wanted else []
    # Plain tuples, not model instances: the nightly run reads 100k deals this way.
    try:
        sql, params = _facts_sql(base, chosen, as_of, tags, joins)
    except EmptyResultSet:  # `deals` was `.none()`
        return {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if not rows:
        return {}
    converters = _converters(
        DateTimeField(), DateField(), DateTimeField(), BooleanField(), DateField()
    )
    convert = [
        (index, functions)
        for index, functions in zip((3, 4, 7, 8, 9), converters, strict=True)
        if functions
    ]
    if convert:
        rows = [list(row) for row in rows]
        for row in rows:
            for index, functions in convert:
                for function in functions:
                    row[index] = function(row[index], None, connection)
    on = deal_filter(chosen, "opportunity_id")
    people = _participants(on) if "participants" in wanted else {}
    events = _events(on) if "confirmed_events" in wanted else {}
    stages = {str(stage): stage for stage in Stage}
    return {
        pk: DealFacts(
            opportunity_id=pk,
            stage=stages[stage],
            grade=grade,
            created_on=timezone.localdate(created_at),
            expected_close=expected_close,
            win_rate=win_rate,
            win_rate_last_week=last_week,
            confirmed_events=tuple(events.get(pk, ())),
            questionnaire_on=_day(questionnaire_at),
            has_inside_source=inside_source,
            participants=tuple(people.get(pk, ())),
            last_activity_on=last_activity,
            activity_tags=frozenset(
                tag for tag, found in zip(tags, found_tags, strict=True) if found
            ),
            has_strategy=strategy is not None,
            has_value_proposition=value is not None,
        )
        for (
            pk,
            stage,
            grade,
            created_at,
            expected_close,
            win_rate,
            last_week,
            questionnaire_at,
            inside_source,
            last_activity,
            strategy,
            value,
            *found_tags,
        ) in rows
    }


def risks_for(
    deals: QuerySet[Opportunity] | Sequence[int],
    *,
    as_of: date | None = None,
    rules: Sequence[RuleSpec] | None = None,
) -> dict[int, tuple[Finding, ...]]:
    """Findings per deal id (deals without a finding included, with an empty tuple): four
    queries for any number of deals."""
    as_of = as_of or timezone.localdate()
    rules = rule_specs() if rules is None else rules
    facts = deal_facts(deals, as_of=as_of, rules=rules)
    return evaluate_many(facts.values(), rules, as_of=as_of)


def facts_at_stage(facts: DealFacts, stage: str) -> DealFacts:
    """The same facts seen from another stage (a move judged from where it starts)."""
    return replace(facts, stage=Stage(stage))


def risk_items(
    deals: QuerySet[Opportunity] | Sequence[int], *, as_of: date | None = None
) -> dict[int, list[Any]]:
    """What people see per deal: each fired rule with its name and sentence, most severe
    first. Four queries for any number of deals (rules, deals, contacts, events)."""
    from wuwei.playbook.explain import items

    rows, specs = rules_in_force()
    found = risks_for(deals, as_of=as_of, rules=specs)
    return {deal_id: items(fs, rows, deal_id) for deal_id, fs in found.items()}


# ----------------------------------------------------------------------------------------
# pages: rules in words, gates, overrides, deals at risk, lessons


def rule_rows() -> list[Any]:
    from wuwei.playbook.display import rule_row

    return [rule_row(rule) for rule in rule_list()]


def gates_for_grade(grade: str) -> list[Any]:
    """The enabled blocking rules for a grade, in words (the gates ahead of a deal)."""
    from wuwei.playbook.display import rule_row

    return [
        rule_row(rule)
        for rule in rule_list().filter(enabled=True)
        if rule.is_blocking and (not rule.grades or grade in rule.grades)
    ]


def deal_overrides(opportunity: Opportunity) -> list[RiskOverride]:
    return list(
        RiskOverride.objects.filter(opportunity=opportunity).select_related("overridden_by")
    )


@dataclass(frozen=True, slots=True)
class RuleCount:
    rule_id: int
    name: str
    severity: str
    deals: int


@dataclass(frozen=True, slots=True)
class RiskRow:
    opportunity: Opportunity
    items: list[Any]


@dataclass(frozen=True, slots=True)
class RiskReport:
    open_deals: int
    at_risk: int
    by_rule: list[RuleCount]
    rows: list[RiskRow]
    shown_limit: int


def open_visible_deals(*, user: Any, team: Any = None) -> QuerySet[Opportunity]:
    """Open deals the user sees (none for partner users: risks are internal), optionally in a
    team's subtree (owning team, or the owner's team)."""
    if scope_for(user).is_partner:
        return Opportunity.objects.none()
    qs = visible(Opportunity, user).filter(stage__in=OPEN, archived_at__isnull=True)
    if team is not None:
        qs = qs.filter(
            Q(team__path__startswith=team.path) | Q(owner__team__path__startswith=team.path)
        )
    return qs


def risk_findings(
    *,
    user: Any,
    team: Any = None,
    rule: RiskRule | int | None = None,
    severity: str | None = None,
    as_of: date | None = None,
) -> list[Any]:
    """Every fired rule on the open deals the user sees, filtered, ordered by deal then rule
    (four queries whatever the number of deals)."""
    rule_id = rule.pk if isinstance(rule, RiskRule) else rule
    found = risk_items(open_visible_deals(user=user, team=team), as_of=as_of)
    return sorted(
        (
            item
            for deal_items in found.values()
            for item in deal_items
            if (rule_id is None or item.rule_id == rule_id)
            and (severity is None or item.severity == severity)
        ),
        key=lambda item: (item.opportunity_id, item.rule_id),
    )


def risk_report(
    *,
    user: Any,
    team: Any = None,
    rule: RiskRule | None = None,
    severity: str | None = None,
    limit: int = 200,
) -> RiskReport:
    """Deals at risk (most findings first) and how many deals each rule catches."""
    deals = open_visible_deals(user=user, team=team)
    found = risk_items(deals)
    kept: dict[int, list[Any]] = {}
    counts: dict[int, RuleCount] = {}
    for deal_id, deal_items in found.items():
        chosen = [
            i
            for i in deal_items
            if (rule is None or i.rule_id == rule.pk)
            and (severity is None or i.severity == severity)
        ]
        if not chosen:
            continue
        kept[deal_id] = chosen
        for item in chosen:
            old = counts.get(item.rule_id)
            counts[item.rule_id] = RuleCount(
                item.rule_id, item.name, item.severity, (old.deals if old else 0) + 1
            )
    order = sorted(kept, key=lambda d: (-len(kept[d]), d))[:limit]
    shown = Opportunity.objects.select_related("account", "owner", "team").in_bulk(order)
    return RiskReport(
        open_deals=len(found),
        at_risk=len(kept),
        by_rule=sorted(counts.values(), key=lambda c: (-c.deals, c.name)),
        rows=[RiskRow(shown[d], kept[d]) for d in order if d in shown],
        shown_limit=limit,
    )


@dataclass(frozen=True, slots=True)
class LessonStat:
    rule: RiskRule
    name: str
    ignored_won: int
    ignored_lost: int
    overridden_won: int
    overridden_lost: int
    deals: int
    lost: int

    @property
    def loss_percent(self) -> int | None:
        return round(100 * self.lost / self.deals) if self.deals else None


def lesson_stats(*, user: Any) -> list[LessonStat]:
    """Per rule, over the closed deals the user sees: how often it was open at the close or
    overridden, and how many of those deals were lost. Three queries."""
    lessons = (
        LessonRule.objects.filter(lesson__opportunity__in=visible(Opportunity, user).values("pk"))
        if not scope_for(user).is_partner
        else LessonRule.objects.none()
    )
    by_how = {
        (row["rule_id"], row["how"], row["outcome"]): row["n"]
        for row in lessons.values("rule_id", "how", "outcome").annotate(n=Count("id")).order_by()
    }
    by_deal = {
        (row["rule_id"], row["outcome"]): row["n"]
        for row in lessons.values("rule_id", "outcome")
        .annotate(n=Count("lesson_id", distinct=True))
        .order_by()
    }
    stats = []
    for rule in rule_list():
        won = by_deal.get((rule.pk, "won"), 0)
        lost = by_deal.get((rule.pk, "lost"), 0)
        stats.append(
            LessonStat(
                rule=rule,
                name=rule.text("name"),
                ignored_won=by_how.get((rule.pk, "ignored", "won"), 0),
                ignored_lost=by_how.get((rule.pk, "ignored", "lost"), 0),
                overridden_won=by_how.get((rule.pk, "overridden", "won"), 0),
                overridden_lost=by_how.get((rule.pk, "overridden", "lost"), 0),
                deals=won + lost,
                lost=lost,
            )
        )
    return stats
