"""Demo customers: accounts over several industries in Chinese and English naming, with
contacts and reporting lines. Idempotent; built through the real services."""

import random
from datetime import date, timedelta
from decimal import Decimal

from wuwei.accounts.models import (
    Account,
    AccountFieldDefinition,
    AccountPlan,
    Conflict,
    FieldKind,
    MonitoringRecord,
    Tactic,
    Visit,
)
from wuwei.accounts.services import (
    CompetitorComparison,
    account_create,
    account_grade,
    account_update,
    monitoring_record_create,
    plan_adopt_tactics,
    plan_create,
    visit_plan,
    visit_record,
)
from wuwei.competitors.models import Competitor
from wuwei.core import services as core_services
from wuwei.methodology.grading import AccountScores
from wuwei.org import demo as org_demo
from wuwei.org.models import Segment, User
from wuwei.people.models import Contact
from wuwei.people.services import contact_create

ACCOUNT_NAMES = [
    ("上海浦东发展银行股份有限公司", "finance", "上海"),
    ("江苏电力有限公司", "energy", "南京"),
    ("杭州海康智造有限公司", "manufacturing", "杭州"),
    ("宁波港集团有限公司", "transport", "宁波"),
    ("苏州工业园区管理委员会", "government", "苏州"),
    ("上海瑞金医院", "healthcare", "上海"),
    ("浙江大学", "education", "杭州"),
    ("华东联合电信有限公司", "telecom", "上海"),
    ("无锡新材料股份有限公司", "manufacturing", "无锡"),
    ("合肥城市轨道交通有限公司", "transport", "合肥"),
    ("南京银行股份有限公司", "finance", "南京"),
    ("上海汽车零部件有限公司", "manufacturing", "上海"),
    ("Shanghai Orient Logistics Co., Ltd.", "transport", "Shanghai"),
    ("Jiangsu Sunrise Retail Inc.", "retail", "Suzhou"),
    ("East China Data Cloud Co., Ltd.", "it", "Hangzhou"),
    ("Ningbo Precision Tools Ltd.", "manufacturing", "Ningbo"),
    ("北京市政务服务中心", "government", "北京"),
    ("国网华北能源有限公司", "energy", "北京"),
    ("天津港物流有限公司", "transport", "天津"),
    ("北京协和医疗集团", "healthcare", "北京"),
    ("河北钢铁集团有限公司", "manufacturing", "石家庄"),
    ("中关村云计算有限公司", "it", "北京"),
    ("北方商业银行股份有限公司", "finance", "北京"),
    ("山东重工机械有限公司", "manufacturing", "济南"),
    ("Beijing Capital Airport Services Co., Ltd.", "transport", "Beijing"),
    ("North Star Insurance Inc.", "finance", "Beijing"),
    ("Tianjin Smart Retail Co., Ltd.", "retail", "Tianjin"),
    ("Hebei Green Energy Corp.", "energy", "Shijiazhuang"),
    ("常州小微电子有限公司", "manufacturing", "常州"),
    ("嘉兴便利连锁有限公司", "retail", "嘉兴"),
    ("温州鞋业有限公司", "manufacturing", "温州"),
    ("绍兴纺织有限公司", "manufacturing", "绍兴"),
    ("扬州文旅有限公司", "other", "扬州"),
    ("镇江化工有限公司", "manufacturing", "镇江"),
    ("Suzhou Little Bakery Co., Ltd.", "retail", "Suzhou"),
    ("Hangzhou Web Studio Ltd.", "it", "Hangzhou"),
    ("上海数字政务研究院", "government", "上海"),
    ("江南水务集团有限公司", "energy", "无锡"),
    ("华东医药流通有限公司", "healthcare", "杭州"),
    ("青岛海洋科技有限公司", "it", "青岛"),
    ("Zhejiang Auto Parts Group Co., Ltd.", "manufacturing", "Taizhou"),
    ("Anhui Provincial Education Bureau", "education", "Hefei"),
]

CONTACT_TEMPLATES = [
    ("董事长", "Chairman", "董事会", "Board"),
    ("首席信息官", "CIO", "信息中心", "IT"),
    ("信息中心主任", "IT Director", "信息中心", "IT"),
    ("采购经理", "Procurement Manager", "采购部", "Procurement"),
    ("财务总监", "CFO", "财务部", "Finance"),
    ("系统架构师", "Systems Architect", "信息中心", "IT"),
]
CN_NAMES = [
    "张建国",
    "李华",
    "王静",
    "陈伟",
    "刘洋",
    "杨帆",
    "赵敏",
    "黄磊",
    "周婷",
    "吴昊",
    "徐蕾",
    "孙强",
    "马丽",
    "朱军",
    "胡斌",
    "郭靖",
]
EN_NAMES = [
    "David Chen",
    "Grace Liu",
    "Michael Zhang",
    "Emily Wang",
    "Kevin Zhao",
    "Sophia Xu",
    "Jason Huang",
    "Linda Sun",
    "Eric Ma",
    "Helen Zhu",
]


def _accounts(users: dict[str, User]) -> int:
    rng = random.Random(20261122)
    east = [users["rep_li"], users["rep_wang"], users["mgr_east"]]
    north = [users["rep_zhang"], users["mgr_north"]]
    created = 0
    for index, (name, industry, region) in enumerate(ACCOUNT_NAMES):
        if Account.objects.filter(name=name).exists():
            continue
        is_north = 16 <= index < 28
        is_smb = 28 <= index < 36
        owner = users["rep_zhou"] if is_smb else rng.choice(north) if is_north else rng.choice(east)
        revenue = Decimal(rng.choice([8, 30, 60, 120, 500, 2000])) * 1_000_000
        account = account_create(
            user=owner,
            owner=owner,
            name=name,
            industry=industry,
            region=region,
            segment=Segment.SMB if is_smb else Segment.KA,
            status=rng.choice(["customer", "customer", "prospect", "drifting", "lost"]),
            registration_number=f"91{310000 + index:06d}MA{index:04d}DEMO"[:18],
            notes="",
            hq_scope="local" if is_smb else rng.choice(["regional", "national", "global"]),
            on_ranking_list=not is_smb and index % 4 == 0,
            pays_above_peers=is_smb and index % 3 == 0,
            annual_revenue=Decimal(rng.choice([2, 5, 12])) * 1_000_000 if is_smb else revenue,
            employee_count=rng.choice([40, 120, 800, 3000, 12000]),
            website=f"www.demo{index:02d}.example",
            tags=rng.sample(["重点行业", "信创", "上云", "数字化转型", "renewal", "pilot"], k=2),
        )
        _contacts(account, owner, rng, english=name.isascii())
        created += 1
    return created


def _contacts(account: Account, owner: User, rng: random.Random, english: bool) -> None:
    names = rng.sample(EN_NAMES if english else CN_NAMES, k=rng.randint(3, 6))
    boss: Contact | None = None
    for position, person in enumerate(names):
        cn_title, en_title, cn_dept, en_dept = CONTACT_TEMPLATES[position]
        contact = contact_create(
            user=owner,
            account=account,
            name=person,
            title=en_title if english else cn_title,
            department=en_dept if english else cn_dept,
            reports_to=boss,
            phone=f"138{rng.randint(10000000, 99999999)}",
        )
        if position == 0:
            boss = contact


# (revenue, potential, demonstration, can_win_deliver) cycled over the accounts: every grade
# A-D and every nine-box class A-D appear (class from potential x revenue contribution).
GRADINGS = [
    (90, 85, 80, 85),  # A, class A
    (75, 70, 60, 55),  # B, class A
    (50, 80, 60, 50),  # C, class B
    (20, 90, 70, 60),  # C, class C (high potential, low contribution: grow)
    (10, 50, 20, 20),  # D, class C
    (40, 20, 30, 30),  # D, class D
    (85, 20, 50, 60),  # B, class B (low potential, high contribution)
    (60, 60, 70, 70),  # C/B boundary, class B
    (25, 15, 10, 20),  # D, class D
    (95, 95, 90, 90),  # A, class A
]
JUSTIFICATIONS = {
    "revenue": "按近三年采购额估算 / three-year purchase volume",
    "potential": "新一期数字化规划 / new digitalisation plan",
    "demonstration": "行业标杆效应 / reference value in the industry",
    "can_win_deliver": "方案匹配、交付资源可用 / solution fit and delivery capacity",
}
COMPETITORS = ["蓝海科技 BlueSea Tech", "北辰软件 Polaris Soft", "Globex Systems"]
PARENTS = [
    ("Hebei Green Energy Corp.", "国网华北能源有限公司"),
    ("上海汽车零部件有限公司", "Zhejiang Auto Parts Group Co., Ltd."),
    ("Ningbo Precision Tools Ltd.", "Zhejiang Auto Parts Group Co., Ltd."),
]


def _gradings() -> int:
    graded = 0
    accounts = Account.objects.filter(current_grading__isnull=True, archived_at__isnull=True)
    for account in accounts.select_related("owner").order_by("id"):
        revenue, potential, demonstration, can_win = GRADINGS[account.pk % len(GRADINGS)]
        account_grade(
            user=account.owner,
            account=account,
            scores=AccountScores(revenue, potential, demonstration, can_win),
            justifications=JUSTIFICATIONS,
        )
        graded += 1
    return graded


def _hierarchy() -> None:
    for child_name, parent_name in PARENTS:
        child = Account.objects.filter(name=child_name, parent__isnull=True).first()
        parent = Account.objects.filter(name=parent_name).first()
        if child and parent:
            account_update(
                user=child.owner,
                account=child,
                expected_version=child.version,
                changes={"parent": parent},
            )


def _competitors() -> list[Competitor]:
    found = []
    for name in COMPETITORS:
        competitor = Competitor.objects.filter(name=name).first()
        if competitor is None:
            competitor = core_services.save_new(Competitor(name=name), user=None)
        found.append(competitor)
    return found


def _plans(competitors: list[Competitor]) -> int:
    year = date.today().year
    created = 0
    ka = Account.objects.filter(segment=Segment.KA, archived_at__isnull=True).order_by("id")
    for account in ka.select_related("owner")[:16]:
        if AccountPlan.objects.filter(account=account, year=year).exists():
            continue
        english = account.name.isascii()
        plan = plan_create(
            user=account.owner,
            account=account,
            year=year,
            goal="Become the customer's strategic digital partner"
            if english
            else "成为客户数字化转型的战略合作伙伴",
            objectives="Win the data-platform phase 2; reach the CIO every quarter"
            if english
            else "拿下数据平台二期；每季度与CIO会面一次",
            resources="Delivery centre architect 20 days" if english else "交付中心架构师 20 人天",
            tests="Phase 2 signed by Q3" if english else "三季度前签下二期合同",
            relationship_advantage="Executive sponsor programme" if english else "高层对接机制",
            solution_advantage="Joint PoC on their own data"
            if english
            else "基于客户数据的联合验证",
            our_solution="Cloud-native data platform" if english else "云原生数据平台",
            business_value="Reports in minutes instead of days"
            if english
            else "报表从数天缩短到数分钟",
            competitors=[
                CompetitorComparison(competitors[0], 1, "功能相当，实施周期长", "硬件依赖进口"),
                CompetitorComparison(competitors[1], 2, "价格低但扩展性差", "软件生态较弱"),
            ],
        )
        tactics = list(Tactic.objects.filter(strategy=account.strategy or "retain")[:2])
        if tactics:
            plan_adopt_tactics(
                user=account.owner, plan=plan, tactics=tactics, due=date.today() + timedelta(30)
            )
        created += 1
    return created


def _monitoring() -> int:
    created = 0
    ka = Account.objects.filter(segment=Segment.KA, archived_at__isnull=True).order_by("id")
    for position, account in enumerate(ka.select_related("owner")[:20]):
        if MonitoringRecord.objects.filter(account=account).exists():
            continue
        # every fourth account drifts away: closeness falls at two records in a row → win_back
        closeness = [60, 55, 48] if position % 4 == 0 else [50, 58, 64]
        for step, value in enumerate(closeness):
            monitoring_record_create(
                user=account.owner,
                account=account,
                recorded_on=date.today() - timedelta(days=90 * (2 - step)),
                importance=70 + step * 5,
                closeness=Decimal(value),
                capability_fit=60 + step * 5,
                needs="数据治理、国产化替代" if step else "报表系统升级",
            )
            created += 1
    return created


def _visits() -> int:
    created = 0
    smb = Account.objects.filter(segment=Segment.SMB, archived_at__isnull=True).order_by("id")
    for position, account in enumerate(smb.select_related("owner")):
        if Visit.objects.filter(account=account).exists():
            continue
        done = visit_plan(
            user=account.owner,
            account=account,
            planned_on=date.today() - timedelta(days=14),
            purpose="季度拜访 / quarterly visit",
        )
        visit_record(
            user=account.owner,
            visit=done,
            expected_version=done.version,
            visited_on=date.today() - timedelta(days=14),
            outcome="客户计划更换财务系统 / plans to replace the finance system",
            opportunity_name=f"{account.name} 财务系统" if position % 2 == 0 else "",
            opportunity_amount=Decimal(150_000 + 50_000 * position),
        )
        visit_plan(
            user=account.owner,
            account=account,
            planned_on=date.today() + timedelta(days=7 + position),
            purpose="方案交流 / solution exchange",
        )
        created += 2
    return created


def _duplicate(users: dict[str, User]) -> int:
    name = "上海浦东发展银行有限公司"  # the bank again, as "有限公司" instead of "股份有限公司"
    if Account.objects.filter(name=name).exists() or Conflict.objects.exists():
        return 0
    account_create(
        user=users["rep_wang"],
        name=name,
        industry="finance",
        region="上海",
        segment=Segment.KA,
        confirm_duplicate=True,
    )
    return Conflict.objects.count()


# Custom fields of the archive (§2.1) as an administrator would define them.
CUSTOM_FIELDS = [
    ("erp", "Current ERP", "现用 ERP 系统", FieldKind.TEXT, []),
    ("it_budget", "Annual IT budget (CNY)", "年度 IT 预算（元）", FieldKind.NUMBER, []),
    ("contract_renewal", "Contract renewal", "合同续约日", FieldKind.DATE, []),
    ("listed", "Listed company", "上市公司", FieldKind.YES_NO, []),
    ("tier", "Service tier", "服务等级", FieldKind.CHOICE, ["Gold", "Silver", "Bronze"]),
]


def _custom_fields() -> None:
    for position, (key, label_en, label_zh, kind, choices) in enumerate(CUSTOM_FIELDS):
        AccountFieldDefinition.objects.get_or_create(
            key=key,
            defaults={
                "label_en": label_en,
                "label_zh": label_zh,
                "kind": kind,
                "choices": choices,
                "position": position,
            },
        )


def load() -> str:
    users = org_demo.users()
    _custom_fields()
    created = _accounts(users)
    _hierarchy()
    conflicts = _duplicate(users)
    graded = _gradings()
    plans = _plans(_competitors())
    records = _monitoring()
    visits = _visits()
    return (
        f"{created} new accounts with contacts, {graded} gradings, {plans} plans, "
        f"{records} monitoring records, {visits} visits, {conflicts} conflicts"
    )
