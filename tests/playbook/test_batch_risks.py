"""The nightly risk evaluation works in batches (facts of many deals per query, rules sorted
out once per stage and grade, findings written in bulk): on varied deals it must record
exactly what the single-deal path (a deal's Risks tab) finds, whatever the batch size."""

import random
from dataclasses import replace
from datetime import date, timedelta

import pytest
from django.utils import timezone

from tests.factories import make_account, make_contact
from tests.opportunities.factories import make_opportunity
from tests.playbook.helpers import map_deciders, satisfy_ab_gates
from wuwei.methodology.enums import DecisionRole, InteractionLevel, RelationshipStatus, Stage
from wuwei.methodology.risks import (
    DEFAULT_RULES,
    DealFacts,
    EventFact,
    Kind,
    ParticipantFact,
    evaluate,
    evaluate_many,
)
from wuwei.notifications.models import Notification
from wuwei.opportunities.models import Opportunity
from wuwei.opportunities.winning.services import compelling_event_create
from wuwei.people.services.decision import participant_add
from wuwei.playbook import services
from wuwei.playbook.models import RiskFinding, RiskRule
from wuwei.playbook.selectors import risks_for, rule_specs

GRADES = "ABCDE"


def _varied_facts(count: int, as_of: date) -> list[DealFacts]:
    rng = random.Random(17)
    stages = list(Stage)
    people = [
        ParticipantFact(
            name=f"联系人 {i}",
            department=rng.choice(["采购部", "Finance", "IT", "法务", ""]),
            title=rng.choice(["Procurement lead", "CFO", "Engineer", ""]),
            decision_role=rng.choice(list(DecisionRole)),
            relationship_status=rng.choice(list(RelationshipStatus)),
            interaction_level=rng.choice(list(InteractionLevel)),
            has_strategy=rng.random() < 0.5,
        )
        for i in range(12)
    ]

    def day(low: int, high: int) -> date | None:
        return None if rng.random() < 0.3 else as_of + timedelta(days=rng.randint(low, high))

    return [
        DealFacts(
            opportunity_id=i,
            stage=rng.choice(stages),
            grade=rng.choice(GRADES),
            created_on=as_of - timedelta(days=rng.randint(0, 400)),
            expected_close=day(-20, 90),
            win_rate=rng.choice([None, 10, 35, 60, 90]),
            win_rate_last_week=rng.choice([None, 20, 50, 80]),
            confirmed_events=tuple(
                EventFact(f"Event {i}.{n}", day(-30, 30)) for n in range(rng.randint(0, 2))
            ),
            questionnaire_on=day(-60, 0),
            has_inside_source=rng.choice([None, True, False]),
            participants=tuple(rng.sample(people, rng.randint(0, 5))),
            last_activity_on=day(-40, 0),
            activity_tags=frozenset(rng.sample(["budget", "poc", "pricing"], rng.randint(0, 2))),
            has_strategy=rng.random() < 0.5,
            has_value_proposition=rng.random() < 0.5,
        )
        for i in range(count)
    ]


def test_evaluate_many_finds_what_evaluate_finds_deal_by_deal():
    as_of = date(2026, 6, 15)
    facts = _varied_facts(400, as_of)
    batch = evaluate_many(facts, DEFAULT_RULES, as_of=as_of)
    assert batch == {f.opportunity_id: evaluate(f, DEFAULT_RULES, as_of=as_of) for f in facts}
    assert sum(len(found) for found in batch.values()) > 400  # the data makes rules fire


def _set(deal: Opportunity, **fields: object) -> None:
    Opportunity.objects.filter(pk=deal.pk).update(**fields)


@pytest.fixture
def varied_deals(org):
    """Open deals of every grade in several stages, with and without a decision map, a
    hostile decider, pursuit, questionnaire, events; plus a won and a lost deal."""
    rng = random.Random(5)
    deals = []
    for i in range(10):
        account = make_account(org.rep, name=f"客户 {i} 有限公司")
        deal = make_opportunity(org.rep, account, amount=rng.choice([80_000, 600_000, 3_000_000]))
        if i % 3 == 0:
            map_deciders(deal, org.rep)
        if i % 4 == 1:
            satisfy_ab_gates(deal, org.rep)
        if i % 5 == 2:
            hostile = make_contact(account, name=f"反对者 {i}", department="采购部", by=org.rep)
            participant_add(
                user=org.rep,
                opportunity=deal,
                contact=hostile,
                decision_role="decision_maker",
                relationship_status="strong_negative",
            )
        if i % 2 == 0:
            compelling_event_create(
                user=org.rep,
                opportunity=deal,
                description=f"Go-live {i}",
                is_confirmed=True,
                reevaluate_on=timezone.localdate() + timedelta(days=rng.randint(-20, 20)),
            )
        stage = ["validate", "initiate", "needs_analysis", "value_presentation", "bidding"][i % 5]
        _set(
            deal,
            stage=stage,
            grade=GRADES[i % 5],
            expected_close=timezone.localdate() + timedelta(days=rng.randint(-5, 60)),
        )
        deals.append(deal)
    for outcome in ("won", "lost"):
        deal = make_opportunity(org.rep, make_account(org.rep, name=f"{outcome} 客户"))
        _set(deal, stage=outcome)
        deals.append(deal)
    return deals


@pytest.mark.parametrize("chunk", [3, 2_000])
def test_the_nightly_batch_records_what_each_deal_shows(org, varied_deals, monkeypatch, chunk):
    # given: rules of every kind (the defaults) plus one with a tag, on varied deals
    services.rule_create(
        user=org.admin, code="budget_talk", kind="activity_tag_missing", name_en="Budget talk"
    )
    monkeypatch.setattr(services, "_CHUNK", chunk)
    now = timezone.now()
    # when
    new = services.risk_refresh(now=now)
    # then: one row per (deal, rule) that the single-deal path finds, each notified once
    rules = rule_specs()
    expected = {
        (deal.pk, finding.rule_id): finding
        for deal in varied_deals
        for finding in risks_for([deal.pk], rules=rules)[deal.pk]
    }
    stored = set(RiskFinding.objects.values_list("opportunity_id", "rule_id"))
    assert stored == set(expected)
    assert new == len(expected) > 20
    assert set(RiskFinding.objects.values_list("first_seen_at", flat=True)) == {now}
    high = {key for key, f in expected.items() if str(f.severity) == "high"}
    keys = set(Notification.objects.filter(kind="risk_rule").values_list("key", flat=True))
    assert keys == {f"risk_rule:{deal}:{rule}" for deal, rule in high}
    assert len(high) == Notification.objects.filter(kind="risk_rule").count()
    # and the next night finds nothing new, keeps the rows and notifies nobody again
    assert services.risk_refresh(now=now + timedelta(days=1)) == 0
    assert set(RiskFinding.objects.values_list("opportunity_id", "rule_id")) == stored
    assert Notification.objects.filter(kind="risk_rule").count() == len(high)
    assert RiskRule.objects.filter(code="budget_talk").exists()


def test_the_facts_come_from_the_rows_in_force(org):
    """`deal_facts` reads each fact table once for many deals: the newest rep questionnaire
    (ties broken by id, archived ones skipped) and its newest manager adjustment, the newest
    activity and the tags of live ones, last week's snapshot, a live strategy and a value
    proposition with content — and the same for a deal alone, in a batch and as a queryset."""
    from wuwei.opportunities.models import (
        DealStrategy,
        Questionnaire,
        ValueProposition,
        WinRateSnapshot,
    )
    from wuwei.opportunities.winning.selectors import week_monday
    from wuwei.people.models import Activity
    from wuwei.playbook.selectors import deal_facts

    today, now = timezone.localdate(), timezone.now()
    account = make_account(org.rep, name="事实 有限公司")
    deal, other = (make_opportunity(org.rep, account) for _ in range(2))

    def answer(role: str, inside: bool, at: object, **extra: object) -> Questionnaire:
        return Questionnaire.objects.create(
            opportunity=deal, role=role, answered_by=org.rep, answered_at=at,
            has_inside_source=inside, us_fit=6, us_closeness=6, win_rate=40, **extra,
        )  # fmt: skip

    answer("rep", True, now - timedelta(days=9))
    answer("rep", True, now - timedelta(days=2))
    newest = answer("rep", False, now - timedelta(days=2))  # same time, higher id
    answer("rep", True, now - timedelta(days=1), archived_at=now)
    answer("manager", False, now - timedelta(days=1), adjusts=newest)
    answer("manager", True, now, adjusts=newest)  # the newest adjustment decides

    def activity(days: int, tags: str, **extra: object) -> None:
        Activity.objects.create(
            kind="call", occurred_on=today - timedelta(days=days), account=account,
            opportunity=deal, subject="Call", owner=org.rep, tags=tags, **extra,
        )  # fmt: skip

    activity(5, ",budget,poc,")
    activity(3, ",pricing,")
    activity(1, ",demo,", archived_at=now)
    WinRateSnapshot.objects.create(
        opportunity=deal, week=week_monday(today) - timedelta(days=7), win_rate=55,
        stage="validate", taken_at=now,
    )  # fmt: skip
    WinRateSnapshot.objects.create(
        opportunity=deal, week=week_monday(today) - timedelta(days=14), win_rate=90,
        stage="validate", taken_at=now,
    )  # fmt: skip
    DealStrategy.objects.create(
        opportunity=deal, strategy="frontal", rationale="r", chosen_by=org.rep, chosen_at=now,
        archived_at=now,
    )  # fmt: skip
    ValueProposition.objects.create(opportunity=deal, solution="", business_value="Saves 10%")
    ValueProposition.objects.create(opportunity=other)  # empty: none
    budget = next(r for r in DEFAULT_RULES if r.kind is Kind.ACTIVITY_TAG_MISSING)
    rules = [
        *DEFAULT_RULES,
        *(
            replace(budget, id=100 + i, code=f"tag_{tag}", parameters={"tag": tag})
            for i, tag in enumerate(["demo", "pricing", "poc"])
        ),
    ]

    alone = deal_facts([deal.pk], as_of=today, rules=rules)[deal.pk]
    assert alone.questionnaire_on == timezone.localdate(newest.answered_at)
    assert alone.has_inside_source is True
    assert alone.last_activity_on == today - timedelta(days=3)
    assert alone.activity_tags == {"budget", "poc", "pricing"}
    assert alone.win_rate_last_week == 55
    assert (alone.has_strategy, alone.has_value_proposition) == (False, True)
    both = deal_facts([other.pk, deal.pk], as_of=today, rules=rules)
    assert both[deal.pk] == alone
    assert both[other.pk].questionnaire_on is None
    assert both[other.pk].has_inside_source is None
    assert both[other.pk].has_value_proposition is False
    by_queryset = deal_facts(Opportunity.objects.filter(account=account), as_of=today, rules=rules)
    assert by_queryset == both
