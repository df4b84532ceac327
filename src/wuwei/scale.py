"""A realistic, seeded data set of N opportunities for benchmarks (issue #17 "scale data").

`wuwei demo --scale N` calls `generate(N, seed)`. Proportions per deal (at N = 1,000,000):
100k accounts, 1M contacts, 1M opportunities, 5M activities, 3M weekly win-rate snapshots,
plus an organisation tree (company → regions → sales teams → reps, one manager per team and
region, an executive, an administrator, presales), deal teams, competitors on deals, stage
history, confirmed compelling events and questionnaires for the rated deals.

Distributions: amounts are lognormal (most deals small, a few above the A threshold), stages
skew early, reps own lognormally many deals except one "sparse" rep per 50 who owns exactly
20, accounts' deal counts and contact counts are skewed, with one account per 1,000 (at least
one) a "huge" account of 300+ contacts. Win rates follow METHOD.md §4.6: only deals with a
confirmed compelling event are rated, from a stored questionnaire through
`calculate_win_rate`; the weekly snapshots of open deals end at that rate.

Everything derives from `random.Random(seed)` and today's date, so the same seed on the same
day gives the same rows. Rows are written in bulk by `wuwei.core.bulk` (COPY on PostgreSQL);
no history rows, no notifications. Users are `scale_exec`, `scale_mgr_<n>`,
`scale_rep_<n>`… with the password `SCALE_PASSWORD`.
"""

import random
from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from time import perf_counter
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import models, transaction

from wuwei.accounts.models import Account, AccountStatus, HeadquartersScope, Industry
from wuwei.competitors.models import Competitor
from wuwei.core.bulk import BulkLoader, deferred_indexes, next_id, sqlite_load_pragmas
from wuwei.insights.forecast.cells import recount
from wuwei.methodology.config import WinRateConfig
from wuwei.methodology.names import normalize_company_name
from wuwei.methodology.winrate import CompetitorScore, PartyScore, calculate_win_rate
from wuwei.opportunities.models import (
    CompellingEvent,
    Opportunity,
    OpportunityCompetitor,
    OpportunityMember,
    Questionnaire,
    QuestionnaireAnswer,
    Stage,
    StageHistory,
    WinRateSnapshot,
)
from wuwei.org.models import Role, Segment, Team, TeamKind, User, UserRole
from wuwei.people.models import Activity, ActivityKind, Contact

SCALE_PASSWORD = "wuwei-scale"
SPARSE_DEALS = 20  # what a sparse rep owns
HUGE_CONTACTS = 300  # at least, on a huge account

STAGES = [
    Stage.VALIDATE,
    Stage.INITIATE,
    Stage.NEEDS_ANALYSIS,
    Stage.VALUE_PRESENTATION,
    Stage.TENDER_PREPARATION,
    Stage.BIDDING,
    Stage.NEGOTIATION,
    Stage.WON,
    Stage.LOST,
]
# Early stages hold most deals; about one deal in seven is closed.
STAGE_WEIGHTS = [26, 19, 14, 10, 7, 5, 4, 8, 7]
WON, LOST = 7, 8

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"  # noqa: E501
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红"
    "鹏辉建国文斌宇浩凯晨欣怡婷雪琳丹宁波亮峰东"
)
CITIES = [
    "上海",
    "北京",
    "杭州",
    "南京",
    "苏州",
    "天津",
    "济南",
    "青岛",
    "合肥",
    "宁波",
    "无锡",
    "石家庄",
]
CORES = [
    "华信",
    "中科",
    "东方",
    "恒通",
    "长城",
    "新元",
    "博远",
    "瑞丰",
    "海纳",
    "金桥",
    "天成",
    "汇智",
    "鼎盛",
    "宏图",
    "永安",
    "卓越",
]
TRADES = {
    "it": "信息技术",
    "telecom": "通信",
    "finance": "银行",
    "government": "政务服务中心",
    "energy": "能源",
    "manufacturing": "精密制造",
    "healthcare": "医疗",
    "education": "教育科技",
    "retail": "商贸",
    "transport": "物流",
}
FORMS = ["有限公司", "股份有限公司", "集团有限公司"]
TITLES = [
    ("总经理", 5),
    ("CIO", 5),
    ("IT总监", 4),
    ("采购经理", 3),
    ("项目经理", 3),
    ("工程师", 2),
    ("财务总监", 4),
    ("业务主管", 2),
]
DEPARTMENTS = ["信息中心", "采购部", "财务部", "运营部", "总经办", "技术部"]
SUBJECTS = [
    "需求沟通",
    "方案交流",
    "技术演示",
    "商务洽谈",
    "高层拜访",
    "现场调研",
    "报价说明",
    "合同评审",
]
COMPETITORS = [
    "竞品甲 Alpha Soft",
    "竞品乙 Beta Cloud",
    "竞品丙 Gamma Systems",
    "竞品丁 Delta Data",
    "竞品戊 Epsilon IT",
    "竞品己 Zeta Tech",
    "竞品庚 Eta Digital",
    "竞品辛 Theta Works",
]


@dataclass(frozen=True)
class Plan:
    """How many of each the data set for N deals holds (before the random parts)."""

    deals: int
    accounts: int
    contacts: int
    activities: int
    snapshots: int
    regions: int
    teams: int
    reps: int
    sparse_reps: int
    huge_accounts: int


def plan(n: int) -> Plan:
    reps = max(6, n // 200)
    teams = max(2, reps // 10)
    accounts = max(10, n // 10)
    return Plan(
        deals=n,
        accounts=accounts,
        contacts=n,
        activities=5 * n,
        snapshots=3 * n,
        regions=max(1, min(12, teams // 8)),
        teams=teams,
        reps=reps,
        sparse_reps=max(1, reps // 50),
        huge_accounts=max(1, accounts // 1000),
    )


@dataclass
class Result:
    plan: Plan
    counts: dict[str, int]
    seconds: dict[str, float]
    users: dict[str, str] = field(default_factory=dict)  # role → a username to log in as


class _Ids:
    """Explicit primary keys, from the first free one of each table."""

    def __init__(self) -> None:
        self._next: dict[type[models.Model], int] = {}

    def take(self, model: type[models.Model], count: int = 1) -> int:
        if model not in self._next:
            self._next[model] = next_id(model)
        first = self._next[model]
        self._next[model] = first + count
        return first


def generate(
    n: int,
    *,
    seed: int = 1,
    log: Callable[[str], None] | None = None,
    today: date | None = None,
    defer_indexes: bool | None = None,
) -> Result:
    """Write the data set for `n` deals into the default database in one transaction.
    `defer_indexes` (default: from 50,000 deals) rebuilds PostgreSQL indexes after the load."""
    log = log or (lambda message: None)
    today = today or date.today()
    now = datetime.combine(today, time(8, 0), tzinfo=UTC)
    loader = BulkLoader(now=now, log=log)
    # Every table with many rows: without its foreign keys during the load, no deferred
    # per-row check piles up for COMMIT (they are re-added, checked in one pass each).
    big: list[type[models.Model]] = [
        Account,
        Contact,
        Opportunity,
        StageHistory,
        OpportunityMember,
        OpportunityCompetitor,
        CompellingEvent,
        Questionnaire,
        QuestionnaireAnswer,
        WinRateSnapshot,
        Activity,
        Activity.contacts.through,
    ]
    with sqlite_load_pragmas(), transaction.atomic():
        if defer_indexes is None:
            defer_indexes = n >= 50_000
        with deferred_indexes(big if defer_indexes else [], log=log):
            users = _Generator(n, seed, today, now, loader).run()
        loader.finish()
        started = perf_counter()
        cells = recount(as_of=today)  # the forecast's running totals (PostgreSQL only)
        if cells:
            log(f"  forecast running totals: {cells:,} cells in {perf_counter() - started:.1f} s")
    return Result(plan(n), loader.counts, loader.seconds, users)


class _Generator:
    def __init__(self, n: int, seed: int, today: date, now: datetime, loader: BulkLoader):
        self.n = n
        self.plan = plan(n)
        self.rng = random.Random(seed)
        self.today = today
        self.now = now
        self.load = loader
        self.ids = _Ids()

    def run(self) -> dict[str, str]:
        users = self.org()
        self.accounts()
        self.contacts()
        self.competitors()
        self.deals()
        self.deal_rows()
        self.activities()
        return users

    # -- organisation -----------------------------------------------------------------------

    def org(self) -> dict[str, str]:
        p, rng, now = self.plan, self.rng, self.now
        first_team = self.ids.take(Team, 1 + p.regions + p.teams + 1)
        company = first_team
        regions = list(range(company + 1, company + 1 + p.regions))
        sales = list(range(regions[-1] + 1, regions[-1] + 1 + p.teams))
        delivery = sales[-1] + 1
        path = {company: f"/{company}/"}
        parent: dict[int, int | None] = {company: None}
        names = {company: "规模测试公司 Scale Co"}
        kinds = {company: TeamKind.COMPANY.value}
        segments = {company: ""}
        for i, region in enumerate(regions):
            parent[region], path[region] = company, f"{path[company]}{region}/"
            names[region] = f"{CITIES[i % len(CITIES)]}区域 Region {i + 1}"
            kinds[region], segments[region] = TeamKind.REGION.value, ""
        for i, team in enumerate(sales):
            region = regions[i % len(regions)]
            parent[team], path[team] = region, f"{path[region]}{team}/"
            segment = Segment.KA.value if i % 3 == 0 else Segment.SMB.value
            names[team] = f"销售{i + 1}组 Sales team {i + 1}"
            kinds[team], segments[team] = TeamKind.SALES.value, segment
        parent[delivery], path[delivery] = company, f"{path[company]}{delivery}/"
        names[delivery], kinds[delivery], segments[delivery] = (
            "交付中心 Delivery (scale)",
            TeamKind.DELIVERY_CENTER.value,
            "",
        )
        order = [company, *regions, *sales, delivery]
        self.load.write(
            Team,
            ["id", "name", "kind", "segment", "parent_id", "path", "created_at", "updated_at"],
            ((t, names[t], kinds[t], segments[t], parent[t], path[t], now, now) for t in order),
        )

        # Users: executive, admin, a manager per region and team, reps, presales.
        password = make_password(SCALE_PASSWORD)
        people: list[tuple[str, str, int, list[str]]] = [
            ("scale_exec", "规模总裁 Scale Executive", company, [Role.EXECUTIVE]),
            ("scale_admin", "规模管理员 Scale Admin", company, [Role.ADMIN]),
        ]
        for i, region in enumerate(regions):
            people.append((f"scale_rmgr_{i + 1}", f"区域经理{i + 1}", region, [Role.MANAGER]))
        for i, team in enumerate(sales):
            people.append((f"scale_mgr_{i + 1}", f"销售经理{i + 1}", team, [Role.MANAGER]))
        for i in range(p.reps):
            people.append(
                (f"scale_rep_{i + 1}", self.person_name(), sales[i % len(sales)], [Role.REP])
            )
        presales_count = max(2, p.reps // 20)
        for i in range(presales_count):
            people.append(
                (f"scale_presales_{i + 1}", self.person_name(), delivery, [Role.PRESALES])
            )
        first_user = self.ids.take(User, len(people))
        joined = now - timedelta(days=800)
        self.load.write(
            User,
            [
                "id",
                "username",
                "password",
                "display_name",
                "email",
                "team_id",
                "is_superuser",
                "is_staff",
                "is_active",
                "date_joined",
            ],
            (
                (
                    first_user + i,
                    username,
                    password,
                    display,
                    f"{username}@scale.wuwei.example",
                    team,
                    Role.ADMIN in roles,
                    Role.ADMIN in roles,
                    True,
                    joined,
                )
                for i, (username, display, team, roles) in enumerate(people)
            ),
        )
        self.load.write(
            UserRole,
            ["user_id", "role"],
            (
                (first_user + i, str(role))
                for i, (_u, _d, _t, roles) in enumerate(people)
                for role in roles
            ),
        )
        reps_from = first_user + 2 + len(regions) + len(sales)
        self.rep_ids = list(range(reps_from, reps_from + p.reps))
        self.rep_team = [sales[i % len(sales)] for i in range(p.reps)]
        self.presales_ids = list(range(reps_from + p.reps, reps_from + p.reps + presales_count))
        self.manager_of_team = {
            team: first_user + 2 + len(regions) + i for i, team in enumerate(sales)
        }
        # Deals per rep: lognormal, except the sparse reps (every 50th) with exactly 20.
        self.sparse = set(range(0, p.reps, max(1, p.reps // p.sparse_reps)))
        sparse_total = SPARSE_DEALS * len(self.sparse)
        weights = [0.0 if i in self.sparse else rng.lognormvariate(0, 0.6) for i in range(p.reps)]
        rest = max(0, self.n - sparse_total)
        total_weight = sum(weights)
        counts = [SPARSE_DEALS if i in self.sparse else 0 for i in range(p.reps)]
        shares = [w / total_weight * rest for w in weights]
        for i, share in enumerate(shares):
            counts[i] += int(share)
        short = self.n - sum(counts)
        dense = [i for i in range(p.reps) if i not in self.sparse] or [0]
        for k in range(abs(short)):
            counts[dense[k % len(dense)]] += 1 if short > 0 else -1
        self.rep_deals = counts
        sparse_rep = min(self.sparse)
        return {
            "executive": "scale_exec",
            "admin": "scale_admin",
            "manager": f"scale_mgr_{1 + sales.index(self.rep_team[sparse_rep])}",
            "regional_manager": "scale_rmgr_1",
            "rep": f"scale_rep_{1 + max(range(p.reps), key=lambda i: counts[i])}",
            "sparse_rep": f"scale_rep_{sparse_rep + 1}",
            "presales": "scale_presales_1",
        }

    def person_name(self) -> str:
        rng = self.rng
        given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.6 else "")
        return rng.choice(SURNAMES) + given

    # -- accounts and contacts --------------------------------------------------------------

    def accounts(self) -> None:
        p, rng, now = self.plan, self.rng, self.now
        # Accounts per rep follow the rep's deals (at least one each; a sparse rep has two).
        total_deals = sum(self.rep_deals)
        owner_of: list[int] = []
        for i, deals in enumerate(self.rep_deals):
            share = 2 if i in self.sparse else max(1, round(deals / total_deals * p.accounts))
            owner_of.extend([i] * share)
        self.account_count = len(owner_of)
        self.first_account = first = self.ids.take(Account, self.account_count)
        self.account_rep = array("i", owner_of)
        self.accounts_of_rep: list[list[int]] = [[] for _ in range(p.reps)]
        for a, rep in enumerate(owner_of):
            self.accounts_of_rep[rep].append(a)
        industries = list(Industry.values)
        statuses = [AccountStatus.PROSPECT.value, AccountStatus.CUSTOMER.value]
        self.huge = set(
            rng.sample(range(self.account_count), min(p.huge_accounts, self.account_count))
        )

        def rows() -> Iterator[tuple[Any, ...]]:
            for a in range(self.account_count):
                rep = owner_of[a]
                industry = industries[a % len(industries)]
                name = (
                    f"{CITIES[a % len(CITIES)]}{CORES[(a // 7) % len(CORES)]}"
                    f"{TRADES.get(industry, '科技')}{FORMS[a % len(FORMS)]} {a + 1:06d}"
                )
                huge = a in self.huge
                created = now - timedelta(days=rng.randint(30, 900))
                yield (
                    first + a,
                    name,
                    normalize_company_name(name),
                    industry,
                    CITIES[a % len(CITIES)],
                    Segment.KA.value if huge or a % 5 == 0 else Segment.SMB.value,
                    statuses[rng.random() < 0.45],
                    self.rep_ids[rep],
                    self.rep_team[rep],
                    HeadquartersScope.NATIONAL.value if huge else HeadquartersScope.LOCAL.value,
                    int(rng.lognormvariate(5, 1.5)) + 10,
                    created,
                    created,
                    self.rep_ids[rep],
                )

        self.load.write(
            Account,
            [
                "id",
                "name",
                "name_normalized",
                "industry",
                "region",
                "segment",
                "status",
                "owner_id",
                "team_id",
                "hq_scope",
                "employee_count",
                "created_at",
                "updated_at",
                "created_by_id",
            ],
            rows(),
        )

    def contacts(self) -> None:
        p, rng, now = self.plan, self.rng, self.now
        huge_sizes = {a: HUGE_CONTACTS + rng.randint(0, 200) for a in sorted(self.huge)}
        huge_total = sum(huge_sizes.values())
        others_count = self.account_count - len(self.huge)
        rest = max(3 * others_count, p.contacts - huge_total)  # small sizes: 3 per account
        others = [a for a in range(self.account_count) if a not in self.huge]
        weights = [rng.lognormvariate(0, 1.0) for _ in others]
        per = [0] * self.account_count
        for a, size in huge_sizes.items():
            per[a] = size
        if others and rest:
            for a in rng.choices(others, weights=weights, k=rest):
                per[a] += 1
        self.contact_first: array[int] = array("q", [0] * self.account_count)
        self.contact_count = array("i", per)
        total = sum(per)
        first = self.ids.take(Contact, total)
        statuses = ["strong_positive", "positive", "neutral", "neutral", "negative"]
        orientations = ["technical", "pragmatic", "balanced", ""]
        next_contact = first
        for a in range(self.account_count):
            self.contact_first[a] = next_contact
            next_contact += per[a]

        def rows() -> Iterator[tuple[Any, ...]]:
            cid = first
            for a in range(self.account_count):
                account = self.first_account + a
                start = cid
                for k in range(per[a]):
                    title, influence = TITLES[rng.randrange(len(TITLES))]
                    created = now - timedelta(days=rng.randint(1, 800))
                    yield (
                        cid,
                        account,
                        self.person_name(),
                        title,
                        DEPARTMENTS[k % len(DEPARTMENTS)],
                        f"138{cid % 100_000_000:08d}",
                        f"c{cid}@customer.example",
                        start if k and k < 30 else None,  # the first ones report to the head
                        influence,
                        statuses[rng.randrange(5)],
                        orientations[rng.randrange(4)],
                        created,
                        created,
                    )
                    cid += 1

        self.load.write(
            Contact,
            [
                "id",
                "account_id",
                "name",
                "title",
                "department",
                "phone",
                "email",
                "reports_to_id",
                "influence",
                "relationship_status",
                "behavior_orientation",
                "created_at",
                "updated_at",
            ],
            rows(),
        )

    def competitors(self) -> None:
        existing = dict(Competitor.objects.filter(name__in=COMPETITORS).values_list("name", "pk"))
        missing = [name for name in COMPETITORS if name not in existing]
        first = self.ids.take(Competitor, len(missing))
        self.load.write(Competitor, ["id", "name"], ((first + i, n) for i, n in enumerate(missing)))
        existing.update({name: first + i for i, name in enumerate(missing)})
        self.competitor_ids = [existing[name] for name in COMPETITORS]

    # -- deals ------------------------------------------------------------------------------

    def deals(self) -> None:
        rng, now, today = self.rng, self.now, self.today
        n = self.n
        self.first_deal = first = self.ids.take(Opportunity, n)
        self.deal_account = array("i", [0] * n)
        self.deal_rep = array("i", [0] * n)
        self.deal_stage = array("b", [0] * n)
        self.deal_created = array("i", [0] * n)  # days before today
        self.deal_rate = array("b", [-1] * n)  # -1: not rated
        cum = list(_cumulative(STAGE_WEIGHTS))
        config = WinRateConfig()
        self.questionnaires: list[tuple[int, bool, int, int, list[tuple[int, int, int]]]] = []
        i = 0
        for rep, count in enumerate(self.rep_deals):
            accounts = self.accounts_of_rep[rep]
            for _ in range(count):
                # A few accounts of each rep carry most of its deals.
                k = min(len(accounts) - 1, int(rng.paretovariate(1.2)) - 1)
                self.deal_account[i] = accounts[k]
                self.deal_rep[i] = rep
                self.deal_stage[i] = rng.choices(range(9), cum_weights=cum)[0]
                self.deal_created[i] = rng.randint(7, 720)
                i += 1
        amounts = [Decimal(round(rng.lognormvariate(11.5, 1.4), -3) + 10_000) for _ in range(n)]

        def grade(amount: Decimal) -> str:
            if amount >= 5_000_000:
                return "A"
            if amount >= 1_000_000:
                return "B"
            if amount >= 200_000:
                return "C"
            return "D"

        # Competitors on about half the deals, a questionnaire on the rated ones.
        self.deal_competitors: dict[int, list[int]] = {}
        for d in range(n):
            if rng.random() < 0.5:
                self.deal_competitors[d] = rng.sample(self.competitor_ids, rng.randint(1, 3))
            stage = self.deal_stage[d]
            if stage not in (WON, LOST) and stage >= 1 and rng.random() < 0.6:
                inside = rng.random() < 0.6
                fit, close = rng.randint(2, 10), rng.randint(1, 10)
                answers = [
                    (c, rng.randint(1, 10), rng.randint(1, 10))
                    for c in self.deal_competitors.get(d, [])
                ]
                result = calculate_win_rate(
                    has_confirmed_compelling_event=True,
                    has_inside_source=inside,
                    us=PartyScore(fit, close),
                    competitors=[CompetitorScore(c, f, cl) for c, f, cl in answers],
                    config=config,
                )
                assert result.win_rate is not None
                self.deal_rate[d] = result.win_rate
                self.questionnaires.append((d, inside, fit, close, answers))

        def rows() -> Iterator[tuple[Any, ...]]:
            for d in range(n):
                rep, stage = self.deal_rep[d], self.deal_stage[d]
                amount = amounts[d]
                letter = grade(amount)
                created = now - timedelta(days=self.deal_created[d], minutes=d % 1440)
                entered = created + timedelta(days=self.deal_created[d] * stage // 10)
                closed = stage in (WON, LOST)
                close_day = today + timedelta(days=rng.randint(-30, 300))
                rate = self.deal_rate[d]
                yield (
                    first + d,
                    self.first_account + self.deal_account[d],
                    f"{SUBJECTS[d % len(SUBJECTS)][:2]}项目 Deal {d + 1:07d}",
                    amount,
                    entered.date() if closed else close_day,
                    STAGES[stage].value,
                    letter,
                    "big_project" if letter in "AB" else "fast_track",
                    self.rep_ids[rep],
                    self.rep_team[rep],
                    entered,
                    entered.date() if closed else None,
                    "价格 Price" if stage == LOST else "",
                    None if rate < 0 else rate,
                    created,
                    entered,
                    self.rep_ids[rep],
                )

        self.load.write(
            Opportunity,
            [
                "id",
                "account_id",
                "name",
                "amount",
                "expected_close",
                "stage",
                "grade",
                "track",
                "owner_id",
                "team_id",
                "stage_entered_at",
                "closed_on",
                "loss_reason",
                "win_rate",
                "created_at",
                "updated_at",
                "created_by_id",
            ],
            rows(),
        )

    def deal_rows(self) -> None:
        rng, now, first = self.rng, self.now, self.first_deal
        n = self.n

        def history() -> Iterator[tuple[Any, ...]]:
            for d in range(n):
                stage, owner = self.deal_stage[d], self.rep_ids[self.deal_rep[d]]
                created = now - timedelta(days=self.deal_created[d], minutes=d % 1440)
                span = self.deal_created[d] * stage // 10
                path = [*list(range(7)), WON] if stage == WON else list(range(stage + 1))
                if stage == LOST:
                    path = [*list(range(min(6, int(rng.expovariate(0.6))) + 1)), LOST]
                steps = len(path)
                for k, s in enumerate(path):
                    entered = created + timedelta(days=span * k // max(1, steps - 1))
                    left = (
                        created + timedelta(days=span * (k + 1) // max(1, steps - 1))
                        if k < steps - 1
                        else None
                    )
                    yield (
                        first + d,
                        STAGES[s].value,
                        entered,
                        owner,
                        left,
                        owner if left else None,
                        # went on to a later stage (lost is no step on): conversion, §8;
                        # a path never comes back to a stage, so no stay has a previous
                        # entry into its stage (`previous_entered_at` stays null)
                        k < steps - 1 and path[k + 1] != LOST,
                    )

        self.load.write(
            StageHistory,
            [
                "opportunity_id",
                "stage",
                "entered_at",
                "entered_by_id",
                "left_at",
                "left_by_id",
                "advanced",
            ],
            history(),
        )

        def members() -> Iterator[tuple[Any, ...]]:
            presales = self.presales_ids
            for d in range(n):
                if rng.random() < 0.3:
                    when = now - timedelta(days=self.deal_created[d])
                    yield (first + d, presales[d % len(presales)], "presales", when)
                    if rng.random() < 0.2:
                        other = self.rep_ids[rng.randrange(len(self.rep_ids))]
                        if other != self.rep_ids[self.deal_rep[d]]:
                            yield (first + d, other, "sales", when)

        self.load.write(
            OpportunityMember, ["opportunity_id", "user_id", "role", "added_at"], members()
        )
        self.load.write(
            OpportunityCompetitor,
            ["opportunity_id", "competitor_id", "is_primary"],
            (
                (first + d, c, k == 0)
                for d, competitors in self.deal_competitors.items()
                for k, c in enumerate(competitors)
            ),
        )
        rated = [q[0] for q in self.questionnaires]
        first_event = self.ids.take(CompellingEvent, len(rated))
        self.load.write(
            CompellingEvent,
            [
                "id",
                "opportunity_id",
                "description",
                "event_date",
                "confidence",
                "is_confirmed",
                "confirmed_by_id",
                "confirmed_at",
                "reevaluate_on",
            ],
            (
                (
                    first_event + k,
                    first + d,
                    "预算已批复 Budget approved",
                    self.today + timedelta(days=30 + d % 120),
                    "high",
                    True,
                    self.rep_ids[self.deal_rep[d]],
                    now - timedelta(days=14),
                    self.today + timedelta(days=16 + d % 14),
                )
                for k, d in enumerate(rated)
            ),
        )
        first_q = self.ids.take(Questionnaire, len(self.questionnaires))
        self.load.write(
            Questionnaire,
            [
                "id",
                "opportunity_id",
                "role",
                "answered_by_id",
                "answered_at",
                "has_inside_source",
                "us_fit",
                "us_closeness",
                "win_rate",
            ],
            (
                (
                    first_q + k,
                    first + d,
                    "rep",
                    self.rep_ids[self.deal_rep[d]],
                    now - timedelta(days=d % 7, hours=1),
                    inside,
                    fit,
                    close,
                    self.deal_rate[d],
                )
                for k, (d, inside, fit, close, _answers) in enumerate(self.questionnaires)
            ),
        )
        self.load.write(
            QuestionnaireAnswer,
            ["questionnaire_id", "competitor_id", "fit", "closeness"],
            (
                (first_q + k, c, f, cl)
                for k, (_d, _i, _f, _c, answers) in enumerate(self.questionnaires)
                for c, f, cl in answers
            ),
        )
        self.snapshots()

    def snapshots(self) -> None:
        """Weekly win rates of the open deals up to last week (this week's is the job's)."""
        rng, now = self.rng, self.now
        monday = self.today - timedelta(days=self.today.weekday())
        open_deals = [d for d in range(self.n) if self.deal_stage[d] not in (WON, LOST)]
        mean_weeks = self.plan.snapshots / max(1, len(open_deals))
        top = max(1, round(2 * mean_weeks - 1))
        first = self.first_deal

        def rows() -> Iterator[tuple[Any, ...]]:
            for d in open_deals:
                weeks = min(rng.randint(1, top), max(1, self.deal_created[d] // 7))
                rate = int(self.deal_rate[d])
                stage = STAGES[self.deal_stage[d]].value
                owner = self.rep_ids[self.deal_rep[d]]  # the generator's deals keep their owner
                for w in range(weeks, 0, -1):
                    week = monday - timedelta(weeks=w)
                    value: int | None = None
                    if rate >= 0:
                        value = max(0, min(100, rate + (rng.randint(-12, 12) if w > 1 else 0)))
                    taken = datetime.combine(week, time(2), UTC)
                    yield (first + d, week, value, stage, taken, owner)

        self.load.write(
            WinRateSnapshot,
            ["opportunity_id", "week", "win_rate", "stage", "taken_at", "owner_id"],
            rows(),
        )
        del now

    # -- activities -------------------------------------------------------------------------

    def activities(self) -> None:
        rng, now = self.rng, self.now
        total = self.plan.activities
        kinds = list(ActivityKind.values)
        first = self.ids.take(Activity, total)
        deal_first = self.first_deal
        n = self.n
        contact_links: list[tuple[int, int]] = []
        days_ago = [self.today - timedelta(days=d) for d in range(721)]
        stamps_ago = [now - timedelta(days=d) for d in range(721)]

        def rows() -> Iterator[tuple[Any, ...]]:
            for k in range(total):
                if k % 5 != 4:  # four in five are about a deal
                    d = rng.randrange(n)
                    a = self.deal_account[d]
                    deal: int | None = deal_first + d
                    owner = self.rep_ids[self.deal_rep[d]]
                    days = rng.randint(0, self.deal_created[d])
                else:
                    a = rng.randrange(self.account_count)
                    deal = None
                    owner = self.rep_ids[self.account_rep[a]]
                    days = rng.randint(0, 720)
                occurred, created = days_ago[days], stamps_ago[days]
                if self.contact_count[a] and k % 2 == 0:
                    contact_links.append(
                        (first + k, self.contact_first[a] + rng.randrange(self.contact_count[a]))
                    )
                yield (
                    first + k,
                    kinds[k % len(kinds)],
                    occurred,
                    self.first_account + a,
                    deal,
                    SUBJECTS[k % len(SUBJECTS)],
                    owner,
                    created,
                    created,
                    owner,
                )

        self.load.write(
            Activity,
            [
                "id",
                "kind",
                "occurred_on",
                "account_id",
                "opportunity_id",
                "subject",
                "owner_id",
                "created_at",
                "updated_at",
                "created_by_id",
            ],
            rows(),
        )
        through = Activity.contacts.through
        self.load.write(through, ["activity_id", "contact_id"], iter(contact_links))


def _cumulative(weights: list[int]) -> Iterator[int]:
    total = 0
    for weight in weights:
        total += weight
        yield total


def describe(result: Result) -> str:
    lines = [f"{label:<40} {count:>10,}" for label, count in result.counts.items()]
    return "\n".join(lines)
