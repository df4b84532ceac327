"""Duplicates and ownership conflicts (§7.3): detection, the queue, decisions and audit."""

import pytest

from tests.factories import make_account, make_user
from wuwei.accounts.conflicts import conflict_raise, ownership_conflict_check
from wuwei.accounts.models import Account, OwnershipConflict


def test_same_registration_number_is_refused(org, api):
    make_account(org.other_manager, name="Hidden Co", registration_number="91310000X")
    response = api(org.rep).post("/accounts", {"name": "Other", "registration_number": "91310000X"})
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "registration_number", "message": "already exists"}
    ]
    assert "Hidden" not in response.json()["detail"]


def test_similar_visible_name_is_refused_then_confirmed_into_a_conflict(org, api):
    existing = make_account(org.rep, name="上海银行股份有限公司")
    client = api(org.rep)
    refused = client.post("/accounts", {"name": "上海银行有限公司"})
    assert refused.status_code == 409
    assert refused.json()["errors"] == [
        {"field": "name", "message": f"possible duplicate of #{existing.pk}"}
    ]
    assert Account.objects.count() == 1
    created = client.post("/accounts", {"name": "上海银行有限公司", "confirm_duplicate": True})
    assert created.status_code == 201
    conflict = OwnershipConflict.objects.get()
    assert (conflict.kind, conflict.account_id, conflict.other_account_id) == (
        "duplicate_account",
        created.json()["id"],
        existing.pk,
    )


@pytest.mark.parametrize(
    "variant", ["ＡＣＭＥ有限公司", "acme co., ltd.", "ACME Inc.", "A.C.M.E", "Acme Robotics"]
)
def test_name_variants_are_caught(org, api, variant):
    make_account(org.rep, name="ACME")
    assert api(org.rep).post("/accounts", {"name": variant}).status_code == (
        409 if variant != "Acme Robotics" else 201
    )


def test_hidden_match_owned_by_another_team_raises_an_ownership_conflict_without_leaking(org, api):
    make_account(org.other_manager, name="北方银行股份有限公司", team=org.north_ka)
    response = api(org.rep).post("/accounts", {"name": "北方银行"})
    assert response.status_code == 201
    conflict = OwnershipConflict.objects.get()
    assert conflict.kind == "ownership"
    item = api(org.rep).get("/conflicts").json()["items"][0]
    assert (item["other_account"], item["other_account_name"], item["summary"]) == (None, None, "")
    seen_by_north = api(org.other_manager).get("/conflicts").json()["items"]
    assert seen_by_north == []  # the new account is east's; north sees neither it nor the raiser
    executive = api(org.executive).get(f"/conflicts/{conflict.pk}").json()
    assert executive["other_account_name"] == "北方银行股份有限公司"


def test_manager_resolves_with_a_recorded_decision_and_audit(org, api):
    original = make_account(org.rep, name="Acme")
    duplicate = make_account(org.rep, name="Acme Ltd", confirm_duplicate=True)
    conflict = OwnershipConflict.objects.get()
    url = f"/conflicts/{conflict.pk}/resolve"
    assert api(org.rep).post(url, {"decision": "mine", "version": 1}).status_code == 403
    assert api(org.other_manager).post(url, {"decision": "x", "version": 1}).status_code == 404
    assert api(org.manager).post(url, {"decision": "", "version": 1}).status_code == 422
    response = api(org.manager).post(
        url,
        {"decision": "Same company: keep the original.", "archive_duplicate": True, "version": 1},
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["decided_by"], body["decision"]) == (
        "resolved",
        org.manager.pk,
        "Same company: keep the original.",
    )
    duplicate.refresh_from_db()
    original.refresh_from_db()
    assert duplicate.archived_at is not None and original.archived_at is None
    again = api(org.manager).post(url, {"decision": "again", "version": 2})
    assert again.status_code == 409
    history = list(conflict.history.order_by("history_id").values_list("status", "history_user"))
    assert history == [("open", org.rep.pk), ("resolved", org.manager.pk)]


def test_dismiss(org, api):
    make_account(org.rep, name="Acme")
    make_account(org.rep, name="ACME Co., Ltd.", confirm_duplicate=True)
    conflict = OwnershipConflict.objects.get()
    response = api(org.manager_above).post(
        f"/conflicts/{conflict.pk}/dismiss", {"decision": "Different companies.", "version": 1}
    )
    assert response.status_code == 200
    assert response.json()["status"] == "dismissed"


def test_ownership_check_for_work_by_another_team(org):
    account = make_account(org.rep, team=org.east_ka)
    assert ownership_conflict_check(user=org.rep, account=account, team=org.east_ka) is None
    conflict = ownership_conflict_check(user=org.other_manager, account=account, team=org.north_ka)
    assert conflict is not None and conflict.kind == "ownership"


def test_conflict_raise_signature_still_works(org):
    account = make_account(org.rep)
    conflict = conflict_raise(
        kind="registration_overlap", account=account, raised_by=org.partner, summary="overlap"
    )
    assert conflict.status == "open"


def test_conflict_list_anonymous_and_filters(org, api):
    make_account(org.rep, name="Acme")
    make_account(org.rep, name="ACME Co., Ltd.", confirm_duplicate=True)
    assert api(None).get("/conflicts").status_code == 401
    client = api(org.manager)
    assert len(client.get("/conflicts", {"status": "open"}).json()["items"]) == 1
    assert client.get("/conflicts", {"status": "resolved"}).json()["items"] == []
    assert client.get("/conflicts", {"kind": "bogus"}).status_code == 422


def test_conflict_list_query_count_does_not_grow(org, api, django_assert_num_queries):
    client = api(org.manager)
    client.get("/me")

    def add(n):
        for i in range(n):
            original = make_account(org.rep, name=f"Company {len(Account.objects.all())}-{i}")
            make_account(org.rep, name=f"{original.name} Ltd", confirm_duplicate=True)

    add(10)
    with django_assert_num_queries(2) as small:
        assert len(client.get("/conflicts", {"limit": 500}).json()["items"]) == 10
    add(190)
    with django_assert_num_queries(len(small.captured_queries)):
        assert len(client.get("/conflicts", {"limit": 500}).json()["items"]) == 200


def test_conflict_pages(org, web, client):
    make_account(org.rep, name="Acme")
    make_account(org.rep, name="ACME Co., Ltd.", confirm_duplicate=True)
    conflict = OwnershipConflict.objects.get()
    assert client.get("/accounts/conflicts/").status_code == 302
    outsider = make_user("outsider", team=org.north_ka)
    assert web(outsider).get(f"/accounts/conflicts/{conflict.pk}/").status_code == 404
    page = web(org.manager).get("/accounts/conflicts/")
    assert page.status_code == 200 and "ACME Co., Ltd." in page.content.decode()
    response = web(org.manager).post(
        f"/accounts/conflicts/{conflict.pk}/",
        {"action": "resolve", "decision": "Merge later.", "version": 1},
    )
    assert response.status_code == 302
    conflict.refresh_from_db()
    assert (conflict.status, conflict.decision) == ("resolved", "Merge later.")
