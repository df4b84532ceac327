"""Demo strategies, tactics and value propositions on the opportunities demo's big-project (AB)
deals that reached needs analysis (§4.1: that is where strategy and value proposition are
set). Idempotent: a deal that already has a chosen strategy is left alone. Built through the
real services."""

import random
from datetime import timedelta

from django.db.models import QuerySet
from django.utils import timezone

from wuwei.opportunities import demo as opportunities_demo
from wuwei.opportunities.models import (
    OPEN_STAGES,
    DealStrategy,
    Opportunity,
    Stage,
    TacticStatus,
    Track,
    ValueDimension,
)
from wuwei.people.models import Contact
from wuwei.pursuit import selectors, services

RATIONALES = {
    "frontal": "我方方案与关系均领先，集中资源正面推进。 We lead on solution and relationships.",
    "flanking": "差距不大，把评估标准引向我方的行业经验。 Shift the criteria to our know-how.",
    "fragment": "整体难以取胜，争取我方领先的子系统。 Win the subsystem where we lead.",
    "defend": "现有系统运行良好，守住续约和扩容。 Protect the installed base.",
    "develop": "暂无必胜位置，先培育需求和关系。 Build needs and relationships first.",
}
OWN_TACTICS = ["安排技术交流会 Technical exchange", "准备投资回报测算 ROI model"]
SOLUTIONS = [
    (
        "统一数据平台 + 行业模型，分三期上线。 A unified data platform with industry models, "
        "live in three phases.",
        "报表周期从两周缩短到一天，年节约运维成本约15%。 Reports in one day instead of two "
        "weeks; about 15% less operating cost a year.",
    ),
    (
        "私有云迁移与容灾方案，保留现有硬件投资。 Private-cloud migration with disaster "
        "recovery, keeping the hardware already bought.",
        "系统可用性提升到99.95%，新业务上线时间缩短一半。 99.95% availability; new services "
        "go live in half the time.",
    ),
]
KINDS = ["meeting", "workshop", "executive_meeting", "demo"]


def _deals(candidates: QuerySet[Opportunity]) -> list[Opportunity]:
    stages = [*OPEN_STAGES[OPEN_STAGES.index(Stage.NEEDS_ANALYSIS) :], Stage.WON, Stage.LOST]
    has_strategy = DealStrategy.objects.values("opportunity_id")
    return list(
        candidates.filter(track=Track.BIG_PROJECT, stage__in=stages, archived_at__isnull=True)
        .exclude(pk__in=has_strategy)
        .select_related("account", "owner")
        .prefetch_related("products")
        .order_by("pk")
    )


def _strategy(deal: Opportunity, rng: random.Random) -> str:
    owner = deal.owner
    view = selectors.strategy_view(user=owner, opportunity=deal)
    suggested = str(view.suggestion.strategy)
    # Without questionnaires every deal is "develop"; reps often choose otherwise, with a reason.
    chosen = suggested if rng.random() < 0.4 else rng.choice(list(RATIONALES))
    services.deal_strategy_set(
        user=owner,
        opportunity=deal,
        strategy=chosen,
        rationale=RATIONALES[chosen],
        suggested=suggested,
        expected_version=None,
    )
    return chosen


def _tactics(deal: Opportunity, strategy: str, rng: random.Random) -> int:
    owner = deal.owner
    library = list(selectors.tactic_list(user=owner, strategy=strategy).order_by("position"))
    picked = rng.sample(library, k=min(len(library), rng.randint(2, 3)))
    titles = [rng.choice(OWN_TACTICS)] if rng.random() < 0.3 else []
    today = timezone.localdate()
    adopted = services.deal_tactics_adopt(
        user=owner,
        opportunity=deal,
        tactics=picked,
        titles=titles,
        due=today + timedelta(days=rng.randint(7, 45)),
    )
    contacts = list(Contact.objects.filter(account=deal.account, archived_at__isnull=True)[:5])
    activities = 0
    for index, item in enumerate(adopted):
        if index == 0 and rng.random() < 0.6:
            services.deal_tactic_to_activity(
                user=owner,
                deal_tactic=item,
                kind=rng.choice(KINDS),
                occurred_on=today - timedelta(days=rng.randint(1, 60)),
                contacts=rng.sample(contacts, k=min(len(contacts), 2)),
            )
            activities += 1
            item.refresh_from_db()
        if index == 0 or not deal.is_open:
            status = TacticStatus.DONE if rng.random() < 0.7 else TacticStatus.DROPPED
            services.deal_tactic_update(
                user=owner,
                deal_tactic=item,
                changes={"status": status},
                expected_version=item.version,
            )
    return activities


def _value(deal: Opportunity, rng: random.Random) -> None:
    owner = deal.owner
    view = selectors.value_view(user=owner, opportunity=deal)
    solution, value = rng.choice(SOLUTIONS)
    cells = []
    for dimension in ValueDimension.values:
        cells.append(services.ComparisonInput(dimension, None, rng.randint(2, 5), ""))
        for item in view.competitors:
            note = rng.choice(["", "价格更低 cheaper", "本地团队强 strong local team", ""])
            cells.append(
                services.ComparisonInput(dimension, item.competitor, rng.randint(1, 5), note)
            )
    services.value_proposition_set(
        user=owner,
        opportunity=deal,
        solution=solution,
        business_value=value,
        comparisons=cells,
        expected_version=None,
    )


def load() -> str:
    strategies = activities = 0
    for deal in _deals(opportunities_demo.demo_deals()):
        rng = random.Random(deal.pk * 7919)
        chosen = _strategy(deal, rng)
        activities += _tactics(deal, chosen, rng)
        _value(deal, rng)
        strategies += 1
    return f"{strategies} deal strategies with tactics ({activities} carried out as activities)"
