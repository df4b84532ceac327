"""Demo MCI data: a rate table, 20+ people in the delivery centre, two offices and HQ
presales/hotline, queue leads, and requests in every state (some over budget, approved or
rejected), with assignments, stage scores and credit on a won deal. Idempotent; built
through the real services."""

from datetime import date, timedelta
from decimal import Decimal
from itertools import product

from django.utils import timezone

from wuwei.accounts.models import Account
from wuwei.competitors.models import Competitor
from wuwei.core import services as core_services
from wuwei.core.config import method_config
from wuwei.methodology.winrate import CompetitorScore, PartyScore, calculate_win_rate
from wuwei.opportunities.models import Opportunity
from wuwei.opportunities.services import opportunity_competitor_add, opportunity_create
from wuwei.opportunities.winning.services import compelling_event_create, questionnaire_submit
from wuwei.org import demo as org_demo
from wuwei.org.models import Role, Team, User
from wuwei.support import services
from wuwei.support.models import LevelRate, PresalesRequest, Resource

DEMO_TAG = "[demo]"
RATES = [("P1", "1200"), ("P2", "1800"), ("P3", "2500"), ("P4", "3500"), ("P5", "5000")]
SKILLS = ["erp", "crm", "cloud", "data", "security", "network", "bid", "demo", "iot", "ai"]

# (username, display name, team key or None for the hotline, level, skills, extra roles)
PEOPLE = [
    ("presales_zhao", "赵磊 Zhao Lei", "delivery", "P3", ["erp", "crm", "demo"], []),
    ("lead_sun", "孙婷 Sun Ting", "delivery", "P5", ["erp", "bid", "cloud"], []),
    ("dc_qian", "钱坤 Qian Kun", "delivery", "P4", ["cloud", "security"], []),
    ("dc_zhou", "周敏 Zhou Min", "delivery", "P2", ["data", "ai"], []),
    ("dc_wu", "吴迪 Wu Di", "delivery", "P3", ["network", "security"], []),
    ("dc_zheng", "郑爽 Zheng Shuang", "delivery", "P1", ["demo", "crm"], []),
    ("dc_feng", "冯涛 Feng Tao", "delivery", "P2", ["erp", "data"], []),
    ("dc_chen", "陈晓 Chen Xiao", "delivery", "P4", ["iot", "network"], []),
    ("dc_chu", "褚宁 Chu Ning", "delivery", "P3", ["bid", "erp"], []),
    ("dc_wei", "卫东 Wei Dong", "delivery", "P2", ["cloud", "ai"], []),
    ("dc_jiang", "蒋琳 Jiang Lin", "delivery", "P1", ["crm", "demo"], []),
    ("sh_lead", "沈浩 Shen Hao", "shanghai", "P4", ["erp", "bid"], [Role.DELIVERY_LEAD]),
    ("sh_han", "韩雪 Han Xue", "shanghai", "P2", ["crm", "demo"], []),
    ("sh_yang", "杨光 Yang Guang", "shanghai", "P3", ["network", "cloud"], []),
    ("sh_zhu", "朱丽 Zhu Li", "shanghai", "P1", ["data"], []),
    ("bj_lead", "秦川 Qin Chuan", "beijing", "P4", ["security", "bid"], [Role.DELIVERY_LEAD]),
    ("bj_you", "尤佳 You Jia", "beijing", "P2", ["erp", "crm"], []),
    ("bj_xu", "许诺 Xu Nuo", "beijing", "P3", ["cloud", "iot"], []),
    ("bj_he", "何平 He Ping", "beijing", "P1", ["demo"], []),
    ("hq_lead", "吕方 Lü Fang", "hq_presales", "P5", ["ai", "data"], [Role.DELIVERY_LEAD]),
    ("hq_shi", "施然 Shi Ran", "hq_presales", "P4", ["security", "cloud"], []),
    ("hot_zhang", "张弛 Zhang Chi", None, "P2", ["erp", "crm", "network"], []),
    ("hot_kong", "孔亮 Kong Liang", None, "P2", ["cloud", "data", "demo"], []),
]

# (name, owner, amount, partner-led, win rate): enough deals for every queue and state
DEALS = [
    ("[demo] 核心系统升级 Core system upgrade", "rep_li", "8000000", False, 55),
    ("[demo] 数据中台 Data platform", "rep_wang", "2500000", False, 40),
    ("[demo] 智慧园区 Smart campus", "rep_zhang", "6000000", False, 30),
    ("[demo] 云迁移 Cloud migration", "rep_zhang", "1200000", False, 0),
    ("[demo] 门店系统 Store system", "rep_zhou", "600000", False, 60),
    ("[demo] 安全加固 Security hardening", "rep_li", "400000", False, None),
    ("[demo] 网络改造 Network refit", "rep_zhang", "500000", False, 35),
    ("[demo] 小型CRM Small CRM", "rep_zhou", "150000", False, 50),
    ("[demo] 伙伴项目 Partner project", "rep_wang", "300000", True, 45),
    ("[demo] 已赢 ERP rollout (won)", "rep_wang", "3000000", False, 80),
    # owned at company level, outside any region: no local office, so the hotline helps
    ("[demo] 总部直签 HQ direct deal", "exec", "450000", False, 50),
]


def _rates() -> dict[str, LevelRate]:
    admin = User.objects.get(username="admin")
    found = {rate.level: rate for rate in LevelRate.objects.all()}
    for level, day_rate in RATES:
        if level not in found:
            found[level] = services.level_rate_set(
                user=admin, level=level, day_rate=Decimal(day_rate)
            )
    return found


def _people(teams: dict[str, Team], users: dict[str, User]) -> int:
    admin = users["admin"]
    rates = _rates()
    created = 0
    for username, display, team_key, level, skills, roles in PEOPLE:
        team = teams[team_key] if team_key else teams["hq_presales"]
        person = users.get(username) or User.objects.filter(username=username).first()
        if person is None:
            person = org_demo.create_user(
                username=username,
                password=org_demo.DEMO_PASSWORD,
                roles=[Role.PRESALES, *roles],
                team=team,
                display_name=display,
                email=f"{username}@demo.wuwei.example",
                validate=False,
            )
        if not Resource.objects.filter(user=person).exists():
            services.resource_create(
                user=admin,
                person=person,
                level=rates[level],
                home_unit=teams[team_key] if team_key else None,
                skills=skills,
            )
            created += 1
    return created


def _deals(users: dict[str, User], teams: dict[str, Team]) -> list[Opportunity]:
    """The demo deals the requests hang on (one per queue and state), tagged [demo]."""
    deals = []
    for name, owner_key, amount, partner_led, win_rate in DEALS:
        deal = Opportunity.objects.filter(name=name).first()
        if deal is None:
            owner = users[owner_key]
            account = Account.objects.filter(owner=owner).order_by("id").first()
            if account is None:  # the executive owns no accounts: use any demo account
                account = Account.objects.order_by("id").first()
            deal = opportunity_create(
                user=owner,
                account=account,
                name=name,
                amount=Decimal(amount),
                partner=teams["partner_chen"] if partner_led else None,
                team=owner.team,
            )
            if win_rate is not None:
                _rate(deal, win_rate)
        deals.append(deal)
    return deals


def _answers_for(win_rate: int) -> tuple[int, int, int, int]:
    """Questionnaire answers (our fit and closeness, one rival's) that give `win_rate`
    through the §4.6 formula with an inside source: the first match of a small search."""
    config = method_config().win_rate
    for us_fit, us_closeness, fit, closeness in product(range(11), repeat=4):
        result = calculate_win_rate(
            has_confirmed_compelling_event=True,
            has_inside_source=True,
            us=PartyScore(us_fit, us_closeness),
            competitors=[CompetitorScore(0, fit, closeness)],
            config=config,
        )
        if result.win_rate == win_rate:
            return us_fit, us_closeness, fit, closeness
    raise ValueError(f"no answers give {win_rate} %")


def _rate(deal: Opportunity, win_rate: int) -> None:
    """The demo deal's win rate comes from the engine: a confirmed compelling event and a
    questionnaire against the first demo competitor."""
    rival = Competitor.objects.order_by("id").first()
    if rival is None:
        return
    opportunity_competitor_add(user=deal.owner, opportunity=deal, competitor=rival, is_primary=True)
    compelling_event_create(
        user=deal.owner,
        opportunity=deal,
        description="[demo] 预算已批复，年底前必须上线。Budget approved; go-live before year end.",
        is_confirmed=True,
    )
    us_fit, us_closeness, fit, closeness = _answers_for(win_rate)
    questionnaire_submit(
        user=deal.owner,
        opportunity=deal,
        has_inside_source=True,
        us_fit=us_fit,
        us_closeness=us_closeness,
        competitors=[(rival, fit, closeness)],
    )


def _week(offset: int) -> tuple[date, date]:
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday()) + timedelta(weeks=offset)
    return monday, monday + timedelta(days=4)


def _resource(username: str) -> Resource:
    return Resource.objects.get(user__username=username)


def _request(deal: Opportunity, skills: list[str], days: str, week: int) -> PresalesRequest:
    start, end = _week(week)
    return services.request_create(
        user=deal.owner,
        opportunity=deal,
        skills=skills,
        effort_days=Decimal(days),
        start=start,
        end=end,
        purpose=f"{DEMO_TAG} {', '.join(skills)}",
        confirm_warnings=True,
    )


def _requests(deals: list[Opportunity], users: dict[str, User]) -> int:
    if PresalesRequest.objects.filter(purpose__startswith=DEMO_TAG).exists() or len(deals) < len(
        DEALS
    ):
        return 0
    lead, sh_lead, bj_lead, hq_lead = (
        users["lead_sun"],
        *(User.objects.get(username=u) for u in ("sh_lead", "bj_lead", "hq_lead")),
    )
    core, data, campus, cloud, store, security, network, small, partner, won, direct = deals
    # AB deals → the delivery centre: assigned, queued, completed, cancelled
    r = _request(core, ["erp", "bid"], "8", 0)
    services.assignment_create(
        user=lead, request=r, resource=_resource("lead_sun"), days=Decimal(3)
    )
    services.assignment_create(user=lead, request=r, resource=_resource("dc_chu"), days=Decimal(5))
    r = _request(core, ["cloud", "security"], "5", 1)
    services.assignment_create(user=lead, request=r, resource=_resource("dc_qian"), days=Decimal(5))
    _request(data, ["data", "ai"], "6", 1)  # queued
    r = _request(data, ["erp"], "2", -1)
    services.assignment_create(user=lead, request=r, resource=_resource("dc_feng"), days=Decimal(2))
    services.request_close(user=lead, request=r, state="completed")
    r = _request(campus, ["iot", "network"], "4", 2)
    services.assignment_create(user=lead, request=r, resource=_resource("dc_chen"), days=Decimal(4))
    # the local office (Shanghai) directs its own people under the centre lead on AB deals
    services.assignment_create(user=lead, request=r, resource=_resource("sh_yang"), days=Decimal(2))
    r = _request(cloud, ["cloud"], "3", 2)  # win rate 0: the warning was confirmed
    services.request_close(user=cloud.owner, request=r, state="cancelled")
    # CD deals in the east → the Shanghai office; over budget → approval
    r = _request(store, ["crm", "demo"], "2", 0)  # 600k × 1.5 % = 9,000 ≥ estimate: queued
    services.assignment_create(
        user=sh_lead, request=r, resource=_resource("sh_han"), days=Decimal(2)
    )
    r = _request(security, ["security"], "5", 1)  # over the 6,000 budget
    services.request_decide(user=users["mgr_east"], request=r, approve=True, comment="重点客户")
    services.assignment_create(
        user=sh_lead, request=r, resource=_resource("sh_lead"), days=Decimal(3)
    )
    r = _request(small, ["crm"], "4", 1)
    services.request_decide(
        user=users["mgr_east"], request=r, approve=False, comment="金额太小 Too small for 4 days"
    )
    _request(partner, ["demo"], "3", 2)  # E deal over budget: awaiting approval
    # a CD deal in the north → the Beijing office
    r = _request(network, ["network"], "4", 0)  # over the 7,500 budget
    services.request_decide(user=users["mgr_north"], request=r, approve=True, comment="ok")
    services.assignment_create(
        user=bj_lead, request=r, resource=_resource("bj_xu"), days=Decimal(2)
    )
    # a CD deal with no local office → the hotline, led from HQ presales
    r = _request(direct, ["erp", "network"], "2", 1)
    services.assignment_create(
        user=hq_lead, request=r, resource=_resource("hot_zhang"), days=Decimal(2)
    )
    # a won deal: presales work, the stage owner's scores, credit split
    r = _request(won, ["erp", "demo"], "5", -2)
    services.assignment_create(
        user=lead, request=r, resource=_resource("presales_zhao"), days=Decimal(5)
    )
    services.request_close(user=lead, request=r, state="completed")
    services.stage_score_submit(
        user=won.owner,
        opportunity=won,
        stage=won.stage,
        participant=users["presales_zhao"],
        score=88,
        comment="演示出色 Great demo",
    )
    won = core_services.update_fields(
        won, user=won.owner, changes={"stage": "won"}, expected_version=won.version
    )
    services.credit_splits_create_for_won(won)
    return PresalesRequest.objects.filter(purpose__startswith=DEMO_TAG).count()


def load() -> str:
    teams = org_demo.teams()
    users = org_demo.users()
    people = _people(teams, users)
    deals = _deals(users, teams)
    requests = _requests(deals, users)
    return f"{people} new presales resources, {len(deals)} demo deals, {requests} new requests"
