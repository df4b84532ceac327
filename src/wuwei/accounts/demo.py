"""Demo customers: accounts over several industries in Chinese and English naming, with
contacts and reporting lines. Idempotent; built through the real services."""

import random

from wuwei.accounts.models import Account
from wuwei.accounts.services import account_create
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


def load() -> str:
    created = _accounts(org_demo.users())
    return f"{created} new accounts with contacts"
