"""/accounts API: CRUD, filters, keyset pagination, versions, archive, idempotency, errors."""

import pytest

from tests.factories import make_account
from wuwei.accounts.models import Account


def test_create_returns_201_and_owner_defaults_to_caller(org, api):
    response = api(org.rep).post("/accounts", {"name": "华为技术有限公司", "segment": "KA"})
    assert response.status_code == 201
    body = response.json()
    assert body["name"] == "华为技术有限公司"
    assert body["owner"] == org.rep.pk
    assert body["team"] == org.east_ka.pk
    assert body["version"] == 1
    assert body["status"] == "prospect"


def test_create_records_history_with_the_token_user(org, api):
    account_id = api(org.rep).post("/accounts", {"name": "Acme"}).json()["id"]
    record = Account.history.get(id=account_id)
    assert record.history_user == org.rep
    assert record.history_type == "+"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "A", "segment": "XL"}, "segment"),
        ({"name": "A", "industry": "mining"}, "industry"),
        ({"name": "A", "owner": "abc"}, "owner"),
        ({"name": "A" * 201}, "name"),
        ({}, "name"),
    ],
)
def test_bad_input_is_422_naming_the_field(org, api, payload, field):
    response = api(org.rep).post("/accounts", payload)
    assert response.status_code == 422
    assert response.json()["detail"]
    assert field in [e["field"] for e in response.json()["errors"]]
    assert Account.objects.count() == 0


def test_malformed_json_is_400_not_500(org, api):
    response = api(org.rep).client.post(
        "/api/v1/accounts",
        "{not json",
        content_type="application/json",
        headers=api(org.rep).headers,
    )
    assert response.status_code in (400, 422)
    assert "detail" in response.json()


def test_duplicate_registration_number_is_422(org, api):
    client = api(org.rep)
    assert client.post("/accounts", {"name": "A", "registration_number": "91X"}).status_code == 201
    response = client.post("/accounts", {"name": "B", "registration_number": "91X"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "registration_number"


def test_owner_or_parent_outside_scope_is_not_found_on_that_field(org, api):
    hidden = make_account(org.other_manager)
    response = api(org.rep).post("/accounts", {"name": "Sub", "parent": hidden.pk})
    assert response.status_code == 404
    assert response.json()["errors"] == [{"field": "parent", "message": "not found"}]


def test_outsider_gets_404_on_detail_patch_delete(org, api):
    account = make_account(org.rep)
    outsider = api(org.other_manager)
    assert outsider.get(f"/accounts/{account.pk}").status_code == 404
    assert outsider.patch(f"/accounts/{account.pk}", {"name": "X", "version": 1}).status_code == 404
    assert outsider.delete(f"/accounts/{account.pk}").status_code == 404
    account.refresh_from_db()
    assert (account.name, account.version, account.archived_at) == (account.name, 1, None)


def test_anonymous_gets_401(org, api):
    account = make_account(org.rep)
    assert api(None).get("/accounts").status_code == 401
    assert api(None).get(f"/accounts/{account.pk}").status_code == 401


def test_patch_with_current_version_updates_and_bumps_version(org, api):
    account = make_account(org.rep, name="Old")
    response = api(org.rep).patch(f"/accounts/{account.pk}", {"name": "New", "version": 1})
    assert response.status_code == 200
    assert (response.json()["name"], response.json()["version"]) == ("New", 2)


def test_stale_version_is_409_and_changes_nothing(org, api):
    account = make_account(org.rep, name="Old")
    client = api(org.rep)
    client.patch(f"/accounts/{account.pk}", {"region": "上海", "version": 1})
    response = client.patch(f"/accounts/{account.pk}", {"name": "Lost update", "version": 1})
    assert response.status_code == 409
    assert response.json()["errors"] == [{"field": "version", "message": "stale"}]
    account.refresh_from_db()
    assert (account.name, account.region, account.version) == ("Old", "上海", 2)


def test_if_match_header_carries_the_version(org, api):
    account = make_account(org.rep)
    client = api(org.rep)
    assert (
        client.patch(f"/accounts/{account.pk}", {"region": "X"}, **{"If-Match": '"1"'}).status_code
        == 200
    )
    assert (
        client.patch(f"/accounts/{account.pk}", {"region": "Y"}, **{"If-Match": '"1"'}).status_code
        == 409
    )


def test_patch_without_version_is_422(org, api):
    account = make_account(org.rep)
    response = api(org.rep).patch(f"/accounts/{account.pk}", {"name": "X"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "version"


def test_patch_null_for_required_field_is_422(org, api):
    account = make_account(org.rep)
    response = api(org.rep).patch(f"/accounts/{account.pk}", {"name": None, "version": 1})
    assert response.status_code == 422


def test_account_cannot_become_its_own_ancestor(org, api):
    parent = make_account(org.rep)
    child = make_account(org.rep, parent=parent)
    response = api(org.rep).patch(f"/accounts/{parent.pk}", {"parent": child.pk, "version": 1})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "parent"


def test_delete_archives_and_admin_restores(org, api):
    account = make_account(org.rep)
    response = api(org.rep).delete(f"/accounts/{account.pk}")
    assert response.status_code == 200
    assert response.json()["archived"] is True
    assert Account.objects.filter(pk=account.pk).exists()
    assert api(org.rep).get("/accounts").json()["items"] == []
    archived = api(org.rep).get("/accounts", {"archived": "true"}).json()["items"]
    assert [a["id"] for a in archived] == [account.pk]
    assert api(org.rep).post(f"/accounts/{account.pk}/restore").status_code == 403
    restored = api(org.admin).post(f"/accounts/{account.pk}/restore")
    assert restored.status_code == 200
    assert restored.json()["archived"] is False


def test_archived_account_cannot_be_edited(org, api):
    account = make_account(org.rep)
    api(org.rep).delete(f"/accounts/{account.pk}")
    response = api(org.rep).patch(f"/accounts/{account.pk}", {"name": "X", "version": 2})
    assert response.status_code == 409


def test_partner_user_cannot_create_accounts(org, api):
    response = api(org.partner).post("/accounts", {"name": "Sneaky"})
    assert response.status_code == 403
    assert Account.objects.count() == 0


def test_filters_and_search(org, api):
    make_account(org.rep, name="上海银行股份有限公司", industry="finance", status="customer")
    make_account(org.rep, name="Acme Robotics", industry="manufacturing")
    make_account(org.manager, name="Manager's own", industry="finance")
    client = api(org.manager)

    def names(params):
        return sorted(a["name"] for a in client.get("/accounts", params).json()["items"])

    assert names({"industry": "finance"}) == ["Manager's own", "上海银行股份有限公司"]
    assert names({"q": "上海银行"}) == ["上海银行股份有限公司"]
    assert names({"q": "acme"}) == ["Acme Robotics"]
    assert names({"owner": "me"}) == ["Manager's own"]
    assert names({"owner": str(org.rep.pk), "status": "customer"}) == ["上海银行股份有限公司"]


def test_keyset_pagination_walks_every_row_once(org, api):
    for i in range(7):
        make_account(org.rep, name=f"Account {i:02d}")
    client = api(org.rep)
    seen, cursor = [], None
    while True:
        params = {"limit": 3, "count": "true", **({"cursor": cursor} if cursor else {})}
        body = client.get("/accounts", params).json()
        assert body["count"] == 7
        seen += [a["name"] for a in body["items"]]
        cursor = body["next"]
        if cursor is None:
            break
    assert seen == [f"Account {i:02d}" for i in range(7)]


@pytest.mark.parametrize(
    "params",
    [{"limit": 0}, {"limit": 501}, {"cursor": "!!!"}, {"sort": "password"}, {"limit": "many"}],
)
def test_bad_list_parameters_are_422(org, api, params):
    assert api(org.rep).get("/accounts", params).status_code == 422


def test_list_query_count_does_not_grow_with_rows(org, api, django_assert_num_queries):
    client = api(org.manager)
    for _ in range(10):
        make_account(org.rep)
    client.get("/me")  # the token's last-use stamp is written at most once a minute
    # token → user and roles from the cache; the manager's subtree ids (`in_subtree`), the
    # page of accounts with owner/team/parent joined
    with django_assert_num_queries(2) as small:
        assert len(client.get("/accounts", {"limit": 500}).json()["items"]) == 10
    for _ in range(190):
        make_account(org.rep)
    with django_assert_num_queries(len(small.captured_queries)):
        assert len(client.get("/accounts", {"limit": 500}).json()["items"]) == 200


def test_idempotency_key_applies_a_post_once(org, api):
    client = api(org.rep)
    first = client.post("/accounts", {"name": "Once"}, **{"Idempotency-Key": "k-1"})
    again = client.post("/accounts", {"name": "Once"}, **{"Idempotency-Key": "k-1"})
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Account.objects.filter(name="Once").count() == 1


def test_idempotency_key_is_per_user_and_failed_attempts_can_retry(org, api):
    bad = api(org.rep).post("/accounts", {"name": ""}, **{"Idempotency-Key": "k-2"})
    assert bad.status_code == 422
    good = api(org.rep).post("/accounts", {"name": "Fixed"}, **{"Idempotency-Key": "k-2"})
    assert good.status_code == 201
    other = api(org.peer_rep).post("/accounts", {"name": "Mine"}, **{"Idempotency-Key": "k-2"})
    assert other.status_code == 201
    assert other.json()["name"] == "Mine"


def test_openapi_schema_is_served(org, api):
    response = api(org.rep).get("/openapi.json")
    assert response.status_code == 200
    assert "/api/v1/accounts" in response.json()["paths"]
