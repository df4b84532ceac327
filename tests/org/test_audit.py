"""The audit trail an auditor accepts (issue 11 §8): role changes, memberships and other links,
tokens and logins, one row per change, and the administrators' page and CSV export."""

import csv
import io
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from tests.factories import PASSWORD, make_account, make_contact, make_user
from tests.opportunities.factories import make_opportunity
from wuwei.core.audit import audit_record
from wuwei.core.models import AuditAction, AuditEvent
from wuwei.org.models import Role
from wuwei.org.services import user_update
from wuwei.people.services import activity_create, activity_update

HOSTILE = "<img src=x onerror=alert(1)>"


def test_role_change_is_one_event_with_old_and_new_roles(org, api):
    # when
    response = api(org.admin).patch(f"/users/{org.rep.pk}", {"roles": ["manager", "rep"]})
    assert response.status_code == 200
    # then
    changes = AuditEvent.objects.filter(action=AuditAction.ROLES_CHANGED, actor=org.admin)
    event = changes.get(object_id=str(org.rep.pk))
    assert event.actor_id == org.admin.pk and event.actor_name == "admin"
    assert event.model == "org.user"
    assert event.changes == {"roles": [["rep"], ["manager", "rep"]]}
    assert event.request_id and event.ip_address == "127.0.0.1"
    # an unchanged role set records nothing
    api(org.admin).patch(f"/users/{org.rep.pk}", {"roles": ["rep", "manager"]})
    assert changes.count() == 1


def test_team_membership_change_is_recorded(org):
    user_update(actor=org.admin, user=org.rep, changes={"team": org.north_ka})
    event = AuditEvent.objects.get(action=AuditAction.TEAM_CHANGED)
    assert event.changes == {"team": [org.east_ka.pk, org.north_ka.pk]}
    assert event.actor_id == org.admin.pk


def test_user_creation_is_recorded_with_its_roles(org, api):
    response = api(org.admin).post(
        "/users", {"username": "newbie", "password": "a-Long-passphrase-1", "roles": ["rep"]}
    )
    assert response.status_code == 201
    actions = list(
        AuditEvent.objects.filter(object_id=str(response.json()["id"]), model="org.user")
        .order_by("id")
        .values_list("action", "actor_name")
    )
    assert actions == [(AuditAction.USER_CREATED, "admin"), (AuditAction.ROLES_CHANGED, "admin")]


def test_deal_team_links_are_recorded_one_row_per_change(org, api):
    deal = make_opportunity(org.rep, make_account(org.rep))
    client = api(org.rep)
    assert (
        client.post(f"/opportunities/{deal.pk}/members", {"user": org.peer_rep.pk}).status_code
        == 201
    )
    client.post(f"/opportunities/{deal.pk}/members", {"user": org.peer_rep.pk, "role": "presales"})
    assert client.delete(f"/opportunities/{deal.pk}/members/{org.peer_rep.pk}").status_code == 204
    rows = list(
        AuditEvent.objects.filter(model="opportunities.opportunity", object_id=str(deal.pk))
        .order_by("id")
        .values_list("action", "changes")
    )
    assert rows == [
        (AuditAction.LINK_ADDED, {"members.peer": [None, "sales"]}),
        (AuditAction.LINK_CHANGED, {"members.peer": ["sales", "presales"]}),
        (AuditAction.LINK_REMOVED, {"members.peer": ["presales", None]}),
    ]


def test_activity_contact_links_are_recorded(org):
    account = make_account(org.rep)
    first, second = make_contact(account), make_contact(account)
    activity = activity_create(
        user=org.rep,
        account=account,
        kind="visit",
        occurred_on=timezone.localdate(),
        subject="Visit",
        contacts=[first],
    )
    activity_update(
        user=org.rep,
        activity=activity,
        expected_version=activity.version,
        changes={"contacts": [second]},
    )
    event = AuditEvent.objects.get(action=AuditAction.LINK_CHANGED, model="people.activity")
    assert event.changes == {"contacts": [[first.pk], [second.pk]]}


def test_logins_success_failure_and_logout_are_recorded(org):
    client = Client()
    client.post("/login/", {"username": "rep", "password": "wrong-one"})
    client.post("/login/", {"username": "nobody-here", "password": "wrong-one"})
    client.post("/login/", {"username": "rep", "password": PASSWORD})
    client.post("/logout/")
    signins = {AuditAction.LOGIN, AuditAction.LOGIN_FAILED, AuditAction.LOGOUT}
    rows = list(
        AuditEvent.objects.filter(action__in=signins)
        .order_by("id")
        .values_list("action", "actor_name", "actor_id")
    )
    assert rows == [
        (AuditAction.LOGIN_FAILED, "rep", None),
        (AuditAction.LOGIN_FAILED, "nobody-here", None),
        (AuditAction.LOGIN, "rep", org.rep.pk),
        (AuditAction.LOGOUT, "rep", org.rep.pk),
    ]


# ---- the page and the export --------------------------------------------------------------


@pytest.mark.parametrize("who", ["rep", "partner", "manager", "executive", "presales"])
def test_audit_page_and_export_are_404_for_everyone_but_administrators(org, web, who):
    client = web(getattr(org, who))
    assert client.get("/org/audit/").status_code == 404
    assert client.get("/org/audit/export.csv").status_code == 404


def test_audit_page_needs_login(client):
    response = client.get("/org/audit/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def _events(org, count):
    for i in range(count):
        audit_record(
            action=AuditAction.ROLES_CHANGED,
            actor=org.admin,
            target=org.rep,
            changes={"roles": [["rep"], [f"r{i}"]]},
        )


def test_audit_page_query_count_does_not_grow_with_rows(org, web, django_assert_num_queries):
    client = web(org.admin)
    client.get("/org/audit/")  # warm the session and caches
    _events(org, 3)
    with django_assert_num_queries(6) as few:
        assert client.get("/org/audit/").status_code == 200
    _events(org, 40)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get("/org/audit/")
    assert response.status_code == 200
    assert response.content.decode().count('data-action="roles_changed"') == 25  # one page


def test_audit_page_filters_by_user_record_type_action_and_date(org, web):
    audit_record(action=AuditAction.TEAM_CHANGED, actor=org.manager, target=org.rep)
    audit_record(action=AuditAction.ROLES_CHANGED, actor=org.admin, target=org.peer_rep)
    old = audit_record(action=AuditAction.ROLES_CHANGED, actor=org.admin, target=org.rep)
    AuditEvent.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(days=10))
    client = web(org.admin)

    def shown(**query):
        html = client.get("/org/audit/", query).content.decode()
        return html.count('data-action="')

    assert shown(user="manager") == 1
    assert shown(action="roles_changed", user="admin") == 2
    assert shown(model="org.user", user="admin") == 3  # two role changes and the login
    assert shown(model="org.apitoken", user="admin") == 0
    since = (timezone.localdate() - timedelta(days=1)).isoformat()
    assert shown(action="roles_changed", user="admin", date_from=since) == 1
    assert shown(date_to=(timezone.localdate() - timedelta(days=5)).isoformat()) == 1
    # a bad date is ignored, not a 500
    assert client.get("/org/audit/", {"date_from": "2026-13-45"}).status_code == 200


def test_audit_page_escapes_hostile_values(org, web):
    hostile = make_user("evil", display_name=HOSTILE)
    audit_record(
        action=AuditAction.USER_CHANGED,
        actor=org.admin,
        target=hostile,
        changes={"display_name": ["", HOSTILE]},
    )
    html = web(org.admin).get("/org/audit/").content.decode()
    assert HOSTILE not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_audit_csv_export_has_the_filtered_rows_and_defuses_formulas(org, web):
    formula = make_user("formula", display_name="=HYPERLINK(1)")
    audit_record(
        action=AuditAction.USER_CHANGED,
        actor=org.admin,
        target=formula,
        changes={"display_name": ["", "=HYPERLINK(1)"]},
    )
    audit_record(action=AuditAction.USER_CHANGED, actor=org.manager, target=org.rep)
    response = web(org.admin).get(
        "/org/audit/export.csv", {"user": "admin", "action": "user_changed"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:3] == ["when", "who", "action"]
    assert [(r[1], r[2], r[3], r[4]) for r in rows[1:]] == [
        ("admin", "user_changed", "org.user", str(formula.pk))
    ]
    assert rows[1][5] == "'=HYPERLINK(1)"  # a spreadsheet shows it, never runs it
    assert rows[1][6] == "display_name: — → =HYPERLINK(1)"  # not at the cell start: harmless


def test_csv_cells_starting_with_formula_characters_are_defused():
    from wuwei.org.audit_views import _cell

    assert _cell("=cmd()") == "'=cmd()"
    assert _cell("+1") == "'+1"
    assert _cell("plain") == "plain"


def test_administrators_see_the_audit_link(org, web):
    assert 'id="nav-audit"' in web(org.admin).get("/").content.decode()
    assert Role.ADMIN in org.admin.role_slugs
