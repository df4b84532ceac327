"""The one permission policy (org.permissions, issue #12): the whole role × action table,
the superuser rule, no role set outside the policy, and buttons that agree with refusals."""

import ast
import re
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from wuwei.core import permissions as core_permissions
from wuwei.core.errors import NotAllowed
from wuwei.org.models import Role, User
from wuwei.org.permissions import (
    POLICY,
    REFUSALS,
    Action,
    matrix,
    may,
    require,
    roles_may,
)

SRC = Path(__file__).resolve().parents[2] / "src" / "wuwei"


def _user(*roles: str, superuser: bool = False) -> User:
    """An unsaved user holding `roles` (may() reads only the roles and the superuser flag)."""
    user = User(username="someone", is_superuser=superuser, is_active=True)
    user.__dict__["role_slugs"] = frozenset(roles)
    return user


def test_every_action_has_a_row_and_every_row_an_action():
    assert set(POLICY) == set(Action)
    assert all(roles <= set(Role) for roles in POLICY.values())
    assert set(REFUSALS) <= set(Action)


@pytest.mark.parametrize("action", list(Action), ids=lambda a: a.value)
@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_may_follows_the_table_for_every_role_and_action(role, action):
    expected = role in POLICY[action]
    assert may(_user(role), action) is expected
    assert may(_user(role), action.value) is expected  # templates and core name the value
    assert roles_may(frozenset({role}), action) is expected
    assert core_permissions.may(_user(role), action.value) is expected  # as core sees it


@pytest.mark.parametrize("action", list(Action), ids=lambda a: a.value)
def test_a_superuser_may_everything_and_nobody_else_without_a_role(action):
    assert may(_user(superuser=True), action)
    assert not may(_user(), action)
    assert not may(AnonymousUser(), action)
    assert not may(None, action)
    # the table alone (visibility rules): a superuser's shortcut is not in it
    assert not roles_may(frozenset(), action)


@pytest.mark.parametrize("action", list(Action), ids=lambda a: a.value)
def test_require_refuses_with_403_exactly_when_may_says_no(action):
    for role in Role:
        user = _user(role)
        if may(user, action):
            require(user, action)
        else:
            with pytest.raises(NotAllowed) as refused:
                require(user, action)
            assert refused.value.status == 403
            assert refused.value.detail == str(REFUSALS.get(action, refused.value.detail))


def test_several_roles_add_up():
    user = _user(Role.PRESALES, Role.DELIVERY_LEAD)
    assert may(user, Action.SUPPORT_POOL_ADMIN)  # the delivery lead's
    assert may(user, Action.COMPETITOR_WRITE)  # the presales engineer's
    assert not may(user, Action.DEAL_WRITE)


def test_deciding_a_conflict_you_raised_needs_to_see_everything():
    manager, executive = _user(Role.MANAGER), _user(Role.EXECUTIVE)
    manager.pk, executive.pk = 1, 2
    raised_by_manager = SimpleNamespace(raised_by_id=1)
    raised_by_executive = SimpleNamespace(raised_by_id=2)
    assert not may(manager, Action.CONFLICT_DECIDE, raised_by_manager)
    assert may(manager, Action.CONFLICT_DECIDE, raised_by_executive)
    assert may(executive, Action.CONFLICT_DECIDE, raised_by_executive)
    with pytest.raises(NotAllowed):
        require(manager, Action.CONFLICT_DECIDE, raised_by_manager)


def test_a_manager_hands_over_only_their_subtree(org):
    assert may(org.manager_above, Action.ORG_HANDOVER, org.rep)
    assert may(org.manager, Action.ORG_HANDOVER, org.rep)
    assert not may(org.other_manager, Action.ORG_HANDOVER, org.rep)
    assert may(org.admin, Action.ORG_HANDOVER, org.rep)
    assert not may(org.rep, Action.ORG_HANDOVER, org.peer_rep)


def test_the_matrix_is_the_table():
    roles, rows = matrix()
    assert roles == [str(role.label) for role in Role]
    assert [row.action for row in rows] == list(Action)
    for row in rows:
        assert row.allowed == tuple(role in POLICY[row.action] for role in Role)


# ------------------------------------------------------------------------------------------
# no role set, no hand-written role check outside the policy


def _references_role(node: ast.AST) -> bool:
    return any(
        isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name) and n.value.id == "Role"
        for n in ast.walk(node)
    )


def _is_role_set(node: ast.AST) -> bool:
    """`{Role.A, Role.B}`, `(Role.A,)`, `frozenset({...})`, `A_SET - {Role.C}` …"""
    if isinstance(node, ast.Set | ast.Tuple | ast.List):
        return bool(node.elts) and all(
            isinstance(e, ast.Attribute) and isinstance(e.value, ast.Name) and e.value.id == "Role"
            for e in node.elts
        )
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        return node.func.id in {"set", "frozenset", "tuple"} and any(map(_is_role_set, node.args))
    if isinstance(node, ast.BinOp):
        return _is_role_set(node.left) or _is_role_set(node.right)
    return False


def test_no_module_level_role_set_outside_the_policy():
    """A module-level name bound to roles (`FOO_ROLES = {Role.REP, …}`) belongs in
    org.permissions; buying-centre roles (methodology DECISION_ROLES, plain strings) are not
    user roles and are not caught."""
    offenders = []
    for path in SRC.rglob("*.py"):
        relative = path.relative_to(SRC).as_posix()
        if "migrations" in path.parts or relative in {"org/permissions.py", "org/models.py"}:
            continue
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Assign):
                targets, value = node.targets, node.value
            elif isinstance(node, ast.AnnAssign) and node.value is not None:
                targets, value = [node.target], node.value
            else:
                continue
            names = [t.id for t in targets if isinstance(t, ast.Name)]
            named_roles = any(name.endswith("_ROLES") for name in names)
            if names and (_is_role_set(value) or (named_roles and _references_role(value))):
                offenders.append(f"{relative}:{node.lineno} {', '.join(names)}")
    assert offenders == []


HAND_WRITTEN = re.compile(
    r"is_superuser or|has_role\(|role_slugs\s*&|roles\s*&|role_slugs\s*%}"
    r"|['\"](admin|manager)['\"] in \w+\.role_slugs|Role\.\w+ (not )?in [\w.]*(role_slugs|roles)\b"
)
# Role tests that permit nothing: who is an outsider (a partner user, core.visibility), and
# the org service keeping Django's is_staff flag in step with the admin role.
_ALLOWED = re.compile(r"PARTNER_USER|partner_user|is_staff")
_LAYOUT = "web/home/"  # which home-page sections a role sees: layout, not permission


def test_no_hand_written_superuser_or_role_check_outside_the_policy():
    """`is_superuser or role in …` is written once, in org.permissions.may."""
    offenders = []
    for path in [*SRC.rglob("*.py"), *SRC.rglob("*.html")]:
        relative = path.relative_to(SRC).as_posix()
        if "migrations" in path.parts or relative in {"org/permissions.py", "org/models.py"}:
            continue
        # demo and scale data, and layout, permit nothing
        if path.name == "demo.py" or relative == "scale.py" or relative.startswith(_LAYOUT):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if HAND_WRITTEN.search(line) and not _ALLOWED.search(line):
                offenders.append(f"{relative}:{number}: {line.strip()}")
    assert offenders == []


# ------------------------------------------------------------------------------------------
# a shown button is never refused, a hidden one always is


def _shows(client: Any, url: str, needle: str) -> bool:
    response = client.get(url)
    assert response.status_code == 200
    return needle in response.content.decode()


@pytest.mark.parametrize("who", ["rep", "manager", "executive", "admin", "presales"])
def test_the_handover_tab_and_the_handover_page_agree(org, web, who):
    user = getattr(org, who)
    client = web(user)
    shown = _shows(client, reverse("people:list"), reverse("org:handover"))
    opened = client.get(reverse("org:handover")).status_code == 200
    assert shown == opened == may(user, Action.ORG_HANDOVER)


@pytest.mark.parametrize("who", ["rep", "manager", "executive", "admin"])
def test_the_audit_menu_item_and_the_audit_page_agree(org, web, who):
    user = getattr(org, who)
    client = web(user)
    shown = _shows(client, "/", 'id="nav-audit"')
    opened = client.get(reverse("org:audit")).status_code == 200
    assert shown == opened == may(user, Action.AUDIT_READ)


@pytest.mark.parametrize("who", ["rep", "manager", "executive", "admin"])
def test_the_change_the_numbers_button_and_the_edit_page_agree(org, web, who):
    user = getattr(org, who)
    client = web(user)
    shown = _shows(client, reverse("web:playbook"), 'data-testid="edit-configuration"')
    opened = client.get(reverse("web:playbook_edit")).status_code == 200
    assert shown == opened == may(user, Action.METHOD_CONFIGURE)


def test_the_playbook_shows_the_matrix_read_only(org, web):
    body = web(org.rep).get(reverse("web:playbook")).content.decode()
    assert 'data-testid="permission-matrix"' in body
    assert 'data-action="deal.write"' in body
    assert "<form" not in body.split('data-testid="permission-matrix"')[1].split("</table>")[0]


def test_the_playbook_matrix_is_closed_to_outsiders_and_partners(org, web, client):
    url = reverse("web:playbook")
    assert client.get(url).status_code == 302  # anonymous: to the login page
    assert web(org.partner).get(url).status_code == 404


def test_the_matrix_speaks_chinese(org, web):
    client = web(org.rep)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "zh-hans"
    body = client.get(reverse("web:playbook")).content.decode()
    assert "谁可以做什么" in body
    assert "创建和修改商机" in body
