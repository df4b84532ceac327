"""Demo organisation: teams and users of every role (password DEMO_PASSWORD)."""

from functools import cache
from typing import Any

from django.contrib.auth.hashers import make_password

from wuwei.org.models import Role, Segment, Team, TeamKind, User
from wuwei.org.services import team_create, user_create

DEMO_PASSWORD = "wuwei-demo"

# (key, name, kind, segment, parent key)
TEAMS = [
    ("company", "五维科技 Wuwei Tech", TeamKind.COMPANY, "", None),
    ("east", "华东区 East region", TeamKind.REGION, "", "company"),
    ("east_ka", "华东大客户部 East KA", TeamKind.SALES, Segment.KA, "east"),
    ("east_smb", "华东商业客户部 East SMB", TeamKind.SALES, Segment.SMB, "east"),
    ("shanghai", "上海办事处 Shanghai office", TeamKind.OFFICE, "", "east"),
    ("north", "华北区 North region", TeamKind.REGION, "", "company"),
    ("north_ka", "华北大客户部 North KA", TeamKind.SALES, Segment.KA, "north"),
    ("beijing", "北京办事处 Beijing office", TeamKind.OFFICE, "", "north"),
    ("delivery", "交付中心 Delivery centre", TeamKind.DELIVERY_CENTER, "", "company"),
    ("hq_presales", "总部售前 HQ presales", TeamKind.HQ_PRESALES, "", "company"),
    ("partner_chen", "晨光伙伴 Chenguang partner", TeamKind.PARTNER, "", "company"),
]

# (username, display name, roles, team key)
USERS = [
    ("admin", "系统管理员 Admin", [Role.ADMIN], "company"),
    ("exec", "王总 Executive Wang", [Role.EXECUTIVE], "company"),
    ("mgr_east", "刘经理 Manager Liu", [Role.MANAGER], "east_ka"),
    ("rep_li", "李明 Li Ming", [Role.REP], "east_ka"),
    ("rep_wang", "王芳 Wang Fang", [Role.REP], "east_ka"),
    ("rep_zhou", "周杰 Zhou Jie", [Role.REP], "east_smb"),
    ("mgr_north", "赵经理 Manager Zhao", [Role.MANAGER], "north_ka"),
    ("rep_zhang", "张伟 Zhang Wei", [Role.REP], "north_ka"),
    ("presales_zhao", "赵磊 Zhao Lei", [Role.PRESALES], "delivery"),
    ("lead_sun", "孙婷 Sun Ting", [Role.DELIVERY_LEAD, Role.PRESALES], "delivery"),
    ("partner_chen", "陈晨 Chen Chen", [Role.PARTNER_USER], "partner_chen"),
]


@cache
def demo_password_hash() -> str:
    """DEMO_PASSWORD hashed once for every demo user: the password is public anyway, and one
    PBKDF2 per user was a third of the demo's load time (issue #17)."""
    return make_password(DEMO_PASSWORD)


def create_user(*, password: str, **fields: Any) -> User:
    """`user_create` for a demo user, with the password hash computed once per load."""
    if password != DEMO_PASSWORD:
        return user_create(password=password, **fields)
    user = user_create(password=None, **fields)
    user.password = demo_password_hash()
    User.objects.filter(pk=user.pk).update(password=user.password)
    return user


def teams() -> dict[str, Team]:
    found: dict[str, Team] = {}
    for key, name, kind, segment, parent in TEAMS:
        team = Team.objects.filter(name=name).first()
        if team is None:
            team = team_create(
                user=None,
                name=name,
                kind=kind,
                segment=segment,
                parent=found[parent] if parent else None,
            )
        found[key] = team
    return found


def users() -> dict[str, User]:
    team_by_key = teams()
    found: dict[str, User] = {}
    for username, display, roles, team in USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = create_user(
                username=username,
                password=DEMO_PASSWORD,
                roles=roles,
                team=team_by_key[team],
                display_name=display,
                email=f"{username}@demo.wuwei.example",
                is_superuser=username == "admin",
                validate=False,
            )
        found[username] = user
    return found


def load() -> str:
    return f"{len(teams())} teams, {len(users())} users (password {DEMO_PASSWORD})"
