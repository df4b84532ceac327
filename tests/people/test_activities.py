"""/activities (METHOD.md §4.9): contacts involved, tags, timelines, visibility."""

from datetime import date

from tests.factories import make_account, make_contact
from tests.people.helpers import log_activity, make_opportunity
from wuwei.people.models import Activity, Contact
from wuwei.people.selectors import account_activities


def test_create_activity_with_contacts_and_tags(org, api):
    account = make_account(org.rep)
    deal = make_opportunity(account)
    alice, bob = make_contact(account, "Alice"), make_contact(account, "Bob")
    response = api(org.rep).post(
        "/activities",
        {
            "account": account.pk,
            "opportunity": deal.pk,
            "kind": "executive_meeting",
            "occurred_on": date.today().isoformat(),
            "subject": "Budget review",
            "contacts": [bob.pk, alice.pk],
            "tags": ["Budget", " pricing ", "budget"],
        },
    )
    assert response.status_code == 201
    body = response.json()
    assert [c["name"] for c in body["contacts"]] == ["Alice", "Bob"]
    assert (body["tags"], body["owner"], body["opportunity"]) == (
        ["budget", "pricing"],
        org.rep.pk,
        deal.pk,
    )
    assert Contact.objects.get(pk=alice.pk).interaction_level == "deep"
    listed = api(org.rep).get("/activities", {"tag": "budget", "contact": alice.pk}).json()
    assert [a["id"] for a in listed["items"]] == [body["id"]]
    assert api(org.rep).get("/activities", {"tag": "budg"}).json()["items"] == []


def test_contacts_must_belong_to_the_account(org, api):
    account = make_account(org.rep)
    stranger = make_contact(make_account(org.rep))
    response = api(org.rep).post(
        "/activities",
        {
            "account": account.pk,
            "kind": "call",
            "occurred_on": "2027-01-05",
            "subject": "Hello",
            "contacts": [stranger.pk],
        },
    )
    assert response.status_code == 422
    assert Activity.objects.count() == 0


def test_patch_is_versioned_and_delete_archives(org, api):
    account = make_account(org.rep)
    contact = make_contact(account)
    activity = log_activity(account, [contact], on=date.today())
    client = api(org.rep)
    path = f"/activities/{activity.pk}"
    assert client.patch(path, {"subject": "New", "version": 1}).status_code == 200
    assert client.patch(path, {"subject": "Stale", "version": 1}).status_code == 409
    assert client.delete(path).json()["archived"] is True
    assert Contact.objects.get(pk=contact.pk).interaction_level == "none"


def test_visibility(org, api):
    account = make_account(org.rep)
    activity = log_activity(account, [make_contact(account)], on=date.today())
    path = f"/activities/{activity.pk}"
    assert api(None).get(path).status_code == 401
    assert api(org.other_manager).get(path).status_code == 404
    assert api(org.other_manager).get("/activities").json()["items"] == []
    assert api(org.other_manager).delete(path).status_code == 404
    assert Activity.objects.get(pk=activity.pk).archived_at is None
    assert api(org.manager).get(path).status_code == 200
    assert api(org.rep).get(path).status_code == 200


def test_list_and_timeline_query_counts_are_fixed(org, api, django_assert_num_queries):
    account = make_account(org.rep)
    contacts = [make_contact(account) for _ in range(3)]
    client = api(org.rep)
    client.get("/me")
    for size in (5, 60):
        while Activity.objects.count() < size:
            log_activity(account, contacts, on=date.today())
        # (the token is cached) the page (account, opportunity, owner joined), contacts
        with django_assert_num_queries(2):
            assert len(client.get("/activities", {"limit": 500}).json()["items"]) == size
    with django_assert_num_queries(2):
        timeline = account_activities(user=org.rep, account=account, limit=50)
        assert len(timeline) == 50 and len(timeline[0].contacts.all()) == 3
