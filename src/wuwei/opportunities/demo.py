"""Demo TAS+ data on the demo accounts: competitors with their analysis library and price
history, partner registrations (one overlapping another: a conflict), and ~130 opportunities
over every stage, grade and track, some won and some lost, with backdated stage history.
Idempotent (keyed by names); built through the real services."""

import random
from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone

from wuwei.accounts.models import Account
from wuwei.competitors.models import Competitor
from wuwei.competitors.services import (
    competitor_create,
    competitor_event_add,
    competitor_insight_add,
    competitor_partner_add,
    competitor_price_add,
    competitor_relation_set,
)
from wuwei.opportunities.models import (
    OPEN_STAGES,
    Opportunity,
    PartnerRegistration,
    ProductLine,
    Stage,
)
from wuwei.opportunities.registrations import registration_convert, registration_create
from wuwei.opportunities.services import (
    StageBlocked,
    opportunity_competitor_add,
    opportunity_create,
    opportunity_member_set,
    opportunity_move_stage,
    opportunity_update,
)
from wuwei.opportunities.visibility import may_override_gates
from wuwei.opportunities.winning import demo as winning_demo
from wuwei.org import demo as org_demo
from wuwei.org.models import Role, Team, TeamKind, User
from wuwei.org.services import team_create

# name, headquarters, strengths, weaknesses, tactics, partners
COMPETITORS = [
    (
        "华信科技 Huaxin Tech",
        "深圳",
        ["全国交付网络", "价格灵活"],
        ["方案定制能力弱", "售后响应慢"],
        ["低价抢单", "高层公关"],
        [("东方集成", "系统集成商")],
    ),
    (
        "东方云 Oriental Cloud",
        "北京",
        ["公有云规模", "政府关系"],
        ["私有化部署经验少"],
        ["免费试用换取标准", "捆绑云资源折扣"],
        [("京联科技", "总代理")],
    ),
    (
        "北辰软件 Beichen Software",
        "杭州",
        ["行业软件深耕", "客户口碑"],
        ["规模小", "硬件依赖合作伙伴"],
        ["参与起草技术规范", "样板客户参观"],
        [("杭信咨询", "咨询伙伴")],
    ),
    (
        "Global Systems Inc.",
        "San Jose",
        ["Brand", "Global references"],
        ["High price", "Slow local decisions"],
        ["Executive briefings at HQ", "Bundle multi-year support"],
        [("Asia Pacific Integration Ltd.", "Reseller")],
    ),
    (
        "蓝海网络 Blue Ocean Networks",
        "上海",
        ["网络设备性价比"],
        ["软件能力弱"],
        ["设备低价、服务加价"],
        [("沪通网络", "代理商")],
    ),
]

PROJECTS_ZH = ["核心系统升级", "数据中台建设", "云平台迁移", "安全合规改造", "智能运维平台"]
PROJECTS_EN = ["Core upgrade", "Data platform", "Cloud migration", "Security compliance", "AIOps"]
# amounts that land in every grade: D, C, B, A
AMOUNTS = [
    (Decimal(50_000), Decimal(199_999)),
    (Decimal(200_000), Decimal(999_999)),
    (Decimal(1_000_000), Decimal(4_999_999)),
    (Decimal(5_000_000), Decimal(20_000_000)),
]
TARGETS = [*OPEN_STAGES, Stage.WON, Stage.LOST]
LOSS_REASONS = ["价格偏高 Price too high", "关系不足 Weak relationship", "方案不匹配 Solution fit"]


def _competitors(user: User, accounts: list[Account], rng: random.Random) -> list[Competitor]:
    found = []
    for name, hq, strengths, weaknesses, tactics, partners in COMPETITORS:
        competitor = Competitor.objects.filter(name=name).first()
        if competitor is None:
            competitor = competitor_create(user=user, name=name, headquarters=hq)
            for kind, texts in (
                ("strength", strengths),
                ("weakness", weaknesses),
                ("tactic", tactics),
            ):
                for text in texts:
                    competitor_insight_add(user=user, competitor=competitor, kind=kind, text=text)
            for partner, role in partners:
                competitor_partner_add(user=user, competitor=competitor, name=partner, role=role)
            for account in rng.sample(accounts, k=3):
                competitor_relation_set(
                    user=user,
                    competitor=competitor,
                    account=account,
                    is_incumbent=rng.random() < 0.4,
                    relationship_status=rng.choice(["positive", "neutral", "negative"]),
                )
            today = timezone.localdate()
            competitor_event_add(
                user=user,
                competitor=competitor,
                happened_on=today - timedelta(days=rng.randint(30, 300)),
                title=rng.choice(["新品发布", "大额中标", "价格战", "Key hire", "Merger"]),
            )
            for step in range(4):  # list prices drifting over the year
                competitor_price_add(
                    user=user,
                    competitor=competitor,
                    price=Decimal(rng.randint(80, 120) * 10_000),
                    quoted_on=today - timedelta(days=90 * step + rng.randint(0, 30)),
                    product=rng.choice(list(ProductLine.objects.all())),
                    notes="list price",
                )
        found.append(competitor)
    return found


def _second_partner() -> User:
    """A second channel partner, so two registrations can overlap."""
    name = "星辰伙伴 Xingchen partner"
    team = Team.objects.filter(name=name).first()
    if team is None:
        company = Team.objects.get(name=org_demo.TEAMS[0][1])
        team = team_create(user=None, name=name, kind=TeamKind.PARTNER, parent=company)
    user = User.objects.filter(username="partner_xing").first()
    if user is None:
        user = org_demo.create_user(
            username="partner_xing",
            password=org_demo.DEMO_PASSWORD,
            roles=[Role.PARTNER_USER],
            team=team,
            display_name="邢星 Xing Xing",
            email="partner_xing@demo.wuwei.example",
            validate=False,
        )
    return user


def _registrations(users: dict[str, User], accounts: list[Account]) -> dict[int, set[str]]:
    """Four registrations, two converted into E deals, one overlapping another (conflict).
    Returns the registered product codes per account, which direct deals then avoid."""
    partner, second = users["partner_chen"], _second_partner()
    lines = {p.code: p for p in ProductLine.objects.all()}
    today = timezone.localdate()
    plan = [  # (partner user, account index, products, days ago, convert to a deal as)
        (partner, 28, ["security"], 20, ("安全合规改造 (伙伴)", Decimal(600_000))),
        (partner, 30, ["network", "services"], 45, ("门店网络改造 (伙伴)", Decimal(2_400_000))),
        (partner, 33, ["cloud"], 10, None),
        (second, 33, ["cloud", "data"], 3, None),  # overlaps the one above → conflict
    ]
    registered: dict[int, set[str]] = {}
    for user, index, codes, days_ago, convert in plan:
        account = accounts[index % len(accounts)]
        registered.setdefault(account.pk, set()).update(codes)
        if PartnerRegistration.objects.filter(
            account=account, partner=user.team, products__code=codes[0]
        ).exists():
            continue
        registration = registration_create(
            user=user,
            account=account,
            products=[lines[c] for c in codes],
            estimated_amount=convert[1] if convert else Decimal(800_000),
            today=today - timedelta(days=days_ago),
        )
        if convert:
            deal = registration_convert(
                user=user, registration=registration, name=convert[0], amount=convert[1]
            )
            opportunity_move_stage(user=user, opportunity=deal, to=Stage.NEEDS_ANALYSIS)
    return registered


DEMO_OVERRIDE = "演示数据：项目规则上线前的历史推进 Demo history from before the project rules"


def _overrider(deal: Opportunity, candidates: list[User]) -> User:
    """The first manager above the deal (the administrator when none is)."""
    return next(u for u in candidates if may_override_gates(u, deal))


def _move_through(
    deal: Opportunity,
    target: str,
    user: User,
    start: datetime,
    rng: random.Random,
    *,
    overriders: list[User],
    loss_reason: str = "",
    winner: Competitor | None = None,
    winning_price: Decimal | None = None,
) -> None:
    """Walk the deal to `target` the way its track allows, with backdated times."""
    if target in OPEN_STAGES:
        path = list(OPEN_STAGES[1 : OPEN_STAGES.index(target) + 1])
    elif target == Stage.WON:
        path = [*OPEN_STAGES[1:], Stage.WON]
    else:
        path = [*OPEN_STAGES[1 : rng.randint(1, 6)], Stage.LOST]
    if deal.track != "big_project" and target in (Stage.WON, Stage.NEGOTIATION):
        path = path[-2:] if target == Stage.WON else path[-1:]  # fast track: 1 → 7
    at = start
    for stage in path:
        at += timedelta(days=rng.randint(3, 20))
        is_lost = stage == Stage.LOST
        move = {
            "opportunity": deal,
            "to": stage,
            "reason": loss_reason if is_lost else "",
            "winning_competitor": winner if is_lost else None,
            "winning_price": winning_price if is_lost else None,
            "at": at,
        }
        try:
            deal = opportunity_move_stage(user=user, **move)  # type: ignore[arg-type]
        except StageBlocked:
            # The demo's history predates the project rules (§6): its manager lets the deal
            # through the stage gates, and the override shows on the deal's timeline.
            deal = opportunity_move_stage(
                user=_overrider(deal, overriders),
                override_reason=DEMO_OVERRIDE,
                **move,  # type: ignore[arg-type]
            )


def _names(accounts: list[Account]) -> list[str]:
    """The names of the demo's deals, in the order they are made."""
    names = []
    for number in range(126):
        account = accounts[number % len(accounts)]
        english = account.name.isascii()
        project = (PROJECTS_EN if english else PROJECTS_ZH)[number // len(accounts) % 5]
        names.append(f"{account.name.split(' ')[0][:12]} {project}")
    return names


def demo_deals() -> QuerySet[Opportunity]:
    """This demo's deals, for the demos of the areas above (pursuit): deals other areas'
    demos add stay as they are made."""
    accounts = list(Account.objects.filter(archived_at__isnull=True).order_by("id"))
    return Opportunity.objects.filter(name__in=_names(accounts))


def _opportunities(
    users: dict[str, User],
    accounts: list[Account],
    competitors: list[Competitor],
    registered: dict[int, set[str]],
    rng: random.Random,
) -> int:
    """Returns how many deals were created."""
    lines = list(ProductLine.objects.all())
    now = timezone.now()
    managers = [u for u in users.values() if "manager" in u.role_slugs]
    overriders = sorted(managers, key=lambda u: -len(u.team.path if u.team else ""))
    overriders.append(next(u for u in users.values() if u.sees_everything))
    created = 0
    for number, name in enumerate(_names(accounts)):
        account = accounts[number % len(accounts)]
        if Opportunity.objects.filter(name=name, account=account).exists():
            continue
        low, high = AMOUNTS[number % len(AMOUNTS)]
        amount = Decimal(rng.randint(int(low), int(high)))
        free = [p for p in lines if p.code not in registered.get(account.pk, set())]
        start = now - timedelta(days=rng.randint(120, 300))
        deal = opportunity_create(
            user=account.owner,
            owner=account.owner,
            account=account,
            name=name,
            amount=amount,
            expected_close=(now + timedelta(days=rng.randint(-60, 240))).date(),
            source=rng.choice(["lead", "visit", "plan"]),
            products=rng.sample(free, k=rng.randint(1, 2)),
            at=start,
        )
        if number % 17 == 5:  # demonstration value: overridden up, with the reason audited
            deal = opportunity_update(
                user=account.owner,
                opportunity=deal,
                changes={"grade_override": "A", "grade_override_reason": "标杆客户 Reference"},
                expected_version=deal.version,
            )
        if number % 3 == 0:
            opportunity_member_set(
                user=account.owner, opportunity=deal, member=users["presales_zhao"], role="presales"
            )
        rivals = rng.sample(competitors, k=rng.randint(0, 2))
        for position, rival in enumerate(rivals):
            opportunity_competitor_add(
                user=account.owner, opportunity=deal, competitor=rival, is_primary=position == 0
            )
            competitor_price_add(
                user=account.owner,
                competitor=rival,
                price=(amount * Decimal(rng.randint(80, 110)) / 100).quantize(Decimal("0.01")),
                quoted_on=(start + timedelta(days=rng.randint(10, 90))).date(),
                opportunity=deal,
            )
        target = TARGETS[number % len(TARGETS)]
        _move_through(
            deal,
            target,
            account.owner,
            start,
            rng,
            overriders=overriders,
            loss_reason=rng.choice(LOSS_REASONS),
            winner=rivals[0] if rivals else None,
            winning_price=(amount * Decimal("0.9")).quantize(Decimal("0.01")) if rivals else None,
        )
        created += 1
    return created


def load() -> str:
    users = org_demo.users()
    accounts = list(Account.objects.filter(archived_at__isnull=True).order_by("id"))
    if not accounts:
        return "no accounts: nothing to do"
    rng = random.Random(20261123)
    competitors = _competitors(users["mgr_east"], accounts, rng)
    registered = _registrations(users, accounts)
    created = _opportunities(users, accounts, competitors, registered, rng)
    winning = winning_demo.load(competitors=competitors)
    return (
        f"{created} new opportunities ({Opportunity.objects.count()} in all), "
        f"{len(competitors)} competitors, "
        f"{PartnerRegistration.objects.count()} partner registrations; {winning}"
    )
