"""Demo relationship maps (METHOD.md §3): personas, circles, influence edges, competitor
standings, activities (which derive the interaction levels), enterprise connections and
decision maps on a few opportunities. Idempotent: an account that already has activities is
left alone. Built through the real services."""

import random
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from wuwei.accounts.models import Account
from wuwei.competitors.models import Competitor
from wuwei.opportunities.models import Opportunity
from wuwei.opportunities.services import opportunity_create
from wuwei.org import demo as org_demo
from wuwei.org.models import Segment, User
from wuwei.people import services
from wuwei.people.models import Activity, Contact

COMPETITORS = [
    ("蓝海科技 BlueSea Tech", "bluesea.example"),
    ("远景软件 Vista Soft", "vista.example"),
    ("金桥信息 GoldBridge IT", "goldbridge.example"),
]
CIRCLES = ["改革派 Reformers", "元老派 Old guard", "技术派 Tech camp"]
STATUSES = ["strong_positive", "positive", "neutral", "neutral", "negative", "strong_negative"]
ORIENTATIONS = ["technical", "pragmatic", "technical_pragmatic", "pragmatic_technical", "balanced"]
ROLES = ["approver", "decision_maker", "evaluator", "evaluator", "user", "user"]
KINDS = ["call", "meeting", "visit", "demo", "email", "dinner", "workshop", "executive_meeting"]
KIND_SUBJECTS = {
    "call": "电话沟通",
    "meeting": "需求会议",
    "visit": "客户拜访",
    "demo": "产品演示",
    "email": "邮件跟进",
    "dinner": "商务晚餐",
    "workshop": "方案研讨会",
    "executive_meeting": "高层会晤",
}
HOW = ["classmate", "former_colleague", "partner", "friend", "business"]
MAPPED_ACCOUNTS = 14


def _competitors() -> list[Competitor]:
    return [
        Competitor.objects.get_or_create(name=name, defaults={"website": site})[0]
        for name, site in COMPETITORS
    ]


def _personas(owner: User, contacts: list[Contact], rng: random.Random) -> None:
    for index, contact in enumerate(contacts):
        services.contact_update(
            user=owner,
            contact=contact,
            expected_version=contact.version,
            changes={
                "influence": 5 if index == 0 else rng.randint(1, 5),
                "circle": "" if index == 0 else rng.choice(CIRCLES[: 1 + len(contacts) // 3]),
                "behavior_orientation": rng.choice(ORIENTATIONS),
                "relationship_status": rng.choice(STATUSES),
            },
        )


def _political_map(
    owner: User, contacts: list[Contact], competitors: list[Competitor], rng: random.Random
) -> None:
    for source in rng.sample(contacts[1:], k=min(2, len(contacts) - 1)):
        target = rng.choice([c for c in contacts if c.pk != source.pk])
        services.influence_add(user=owner, source=source, target=target)
    for competitor in rng.sample(competitors, k=2):
        for contact in rng.sample(contacts, k=max(1, len(contacts) // 2)):
            services.competitor_relation_set(
                user=owner,
                contact=contact,
                competitor=competitor,
                status=rng.choice(STATUSES),
                interaction_level=rng.choice(["occasional", "multiple", "deep"]),
            )


def _opportunities(account: Account, owner: User, rng: random.Random) -> list[Opportunity]:
    existing = list(Opportunity.objects.filter(account=account, archived_at__isnull=True)[:2])
    if existing:
        return existing
    return [
        opportunity_create(
            user=owner,
            account=account,
            name=f"{account.name[:20]} · {label}",
            amount=Decimal(rng.choice([800_000, 1_500_000, 3_000_000, 6_000_000])),
            owner=owner,
            expected_close=timezone.localdate() + timedelta(days=rng.randint(30, 200)),
        )
        for label in rng.sample(["数据中台 Data platform", "云迁移 Cloud migration"], k=1)
    ]


def _activities(
    owner: User, account: Account, contacts: list[Contact], deal: Opportunity, rng: random.Random
) -> None:
    today = timezone.localdate()
    for _ in range(rng.randint(4, 10)):
        kind = rng.choice(KINDS)
        services.activity_create(
            user=owner,
            account=account,
            kind=kind,
            occurred_on=today - timedelta(days=rng.randint(0, 200)),
            subject=f"{KIND_SUBJECTS[kind]} · {account.name[:12]}",
            contacts=rng.sample(contacts, k=rng.randint(1, min(3, len(contacts)))),
            opportunity=deal if rng.random() < 0.6 else None,
            tags=["budget"] if rng.random() < 0.25 else [],
        )


def _decision_map(
    owner: User, deal: Opportunity, contacts: list[Contact], rng: random.Random
) -> None:
    participants = []
    for role, contact in zip(ROLES, contacts, strict=False):
        participants.append(
            services.participant_add(
                user=owner,
                opportunity=deal,
                contact=contact,
                decision_role=role,
                relationship_status=rng.choice(STATUSES),
            )
        )
    if len(participants) >= 3:
        services.decision_influence_add(user=owner, source=participants[2], target=participants[1])


def _connections(contacts: list[Contact], people: list[User], rng: random.Random) -> None:
    for contact in rng.sample(contacts, k=max(1, len(contacts) // 2)):
        employee = rng.choice(people)
        services.connection_create(
            user=employee,
            employee=employee,
            contact=contact,
            how=rng.choice(HOW),
            strength=rng.randint(1, 5),
            since=timezone.localdate() - timedelta(days=365 * rng.randint(1, 12)),
        )


def load() -> str:
    users = org_demo.users()
    competitors = _competitors()
    colleagues = [users[u] for u in ("rep_li", "rep_wang", "mgr_east", "exec", "presales_zhao")]
    rng = random.Random(20270301)
    mapped = 0
    accounts = Account.objects.filter(segment=Segment.KA, archived_at__isnull=True).order_by("pk")
    for account in accounts[:MAPPED_ACCOUNTS]:
        if Activity.objects.filter(account=account).exists():
            continue
        owner = account.owner
        contacts = list(Contact.objects.filter(account=account, archived_at__isnull=True))
        if len(contacts) < 2:
            continue
        _personas(owner, contacts, rng)
        contacts = list(Contact.objects.filter(account=account, archived_at__isnull=True))
        _political_map(owner, contacts, competitors, rng)
        deals = _opportunities(account, owner, rng)
        _decision_map(owner, deals[0], contacts, rng)
        _activities(owner, account, contacts, deals[0], rng)
        _connections(contacts, [owner, *colleagues], rng)
        mapped += 1
    return f"{mapped} relationship maps with activities, connections and decision maps"
