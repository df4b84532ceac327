"""/contacts API: visibility through the account, reporting lines, versions, archive."""

from tests.factories import make_account, make_contact
from wuwei.people.models import Contact


def test_create_contact_on_visible_account(org, api):
    account = make_account(org.rep)
    response = api(org.rep).post(
        "/contacts",
        {"account": account.pk, "name": "张建国", "title": "CIO", "department": "信息中心"},
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["account"], body["account_name"], body["version"]) == (account.pk, account.name, 1)


def test_cannot_create_contact_on_invisible_account(org, api):
    account = make_account(org.other_manager)
    response = api(org.rep).post("/contacts", {"account": account.pk, "name": "X"})
    assert response.status_code == 404
    assert response.json()["errors"] == [{"field": "account", "message": "not found"}]
    assert Contact.objects.count() == 0


def test_reports_to_must_be_same_account_and_acyclic(org, api):
    account = make_account(org.rep)
    other = make_account(org.rep)
    boss = make_contact(account, "Boss")
    stranger = make_contact(other, "Stranger")
    client = api(org.rep)
    response = client.post(
        "/contacts", {"account": account.pk, "name": "A", "reports_to": stranger.pk}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "reports_to"
    report = make_contact(account, "Report", reports_to=boss)
    cycle = client.patch(f"/contacts/{boss.pk}", {"reports_to": report.pk, "version": 1})
    assert cycle.status_code == 422
    boss.refresh_from_db()
    assert boss.reports_to_id is None


def test_outsider_gets_404_and_anonymous_401(org, api):
    contact = make_contact(make_account(org.rep))
    assert api(org.other_manager).get(f"/contacts/{contact.pk}").status_code == 404
    assert api(org.partner).get(f"/contacts/{contact.pk}").status_code == 404
    assert (
        api(org.other_manager)
        .patch(f"/contacts/{contact.pk}", {"name": "X", "version": 1})
        .status_code
        == 404
    )
    assert api(None).get(f"/contacts/{contact.pk}").status_code == 401
    contact.refresh_from_db()
    assert contact.name != "X"
    assert api(org.manager).get(f"/contacts/{contact.pk}").status_code == 200


def test_stale_patch_is_409(org, api):
    contact = make_contact(make_account(org.rep), "Old")
    client = api(org.rep)
    assert (
        client.patch(f"/contacts/{contact.pk}", {"title": "CTO", "version": 1}).status_code == 200
    )
    assert client.patch(f"/contacts/{contact.pk}", {"name": "New", "version": 1}).status_code == 409
    contact.refresh_from_db()
    assert (contact.name, contact.title, contact.version) == ("Old", "CTO", 2)


def test_delete_archives(org, api):
    contact = make_contact(make_account(org.rep))
    assert api(org.rep).delete(f"/contacts/{contact.pk}").json()["archived"] is True
    assert Contact.objects.get(pk=contact.pk).archived_at is not None
    assert api(org.rep).get("/contacts").json()["items"] == []


def test_list_filters_by_account_and_search(org, api):
    first = make_account(org.rep)
    second = make_account(org.rep)
    make_contact(first, "Alice", title="CFO")
    make_contact(second, "Bob")
    client = api(org.rep)
    assert [c["name"] for c in client.get("/contacts", {"account": first.pk}).json()["items"]] == [
        "Alice"
    ]
    assert [c["name"] for c in client.get("/contacts", {"q": "cfo"}).json()["items"]] == ["Alice"]


def test_list_query_count_is_fixed(org, api, django_assert_num_queries):
    account = make_account(org.rep)
    client = api(org.manager)
    client.get("/me")
    for _ in range(10):
        make_contact(account)
    # token → user, roles from the cache; the manager's subtree ids (`in_subtree`), the page
    # with account and reports_to joined (visibility as subquery)
    with django_assert_num_queries(2):
        assert len(client.get("/contacts", {"limit": 500}).json()["items"]) == 10
    for _ in range(190):
        make_contact(account)
    with django_assert_num_queries(2):
        assert len(client.get("/contacts", {"limit": 500}).json()["items"]) == 200
