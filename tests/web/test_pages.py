"""Pages: login required, outsiders get 404, lists render with a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_account, make_contact
from wuwei.accounts.models import Account
from wuwei.people.models import Contact


@pytest.mark.parametrize(
    "path", ["/", "/accounts/", "/accounts/new/", "/contacts/", "/contacts/new/", "/playbook/"]
)
def test_anonymous_is_sent_to_login(db, client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_detail_and_edit_pages_are_404_for_outsiders(org, web):
    account = make_account(org.rep)
    contact = make_contact(account)
    client = web(org.other_manager)
    for path in [
        f"/accounts/{account.pk}/",
        f"/accounts/{account.pk}/edit/",
        f"/contacts/{contact.pk}/",
        f"/contacts/{contact.pk}/edit/",
        f"/contacts/new/?account={account.pk}",
    ]:
        assert client.get(path).status_code == 404, path
    assert client.post(f"/accounts/{account.pk}/archive/").status_code == 404
    assert Account.objects.get(pk=account.pk).archived_at is None


def test_owner_sees_detail_with_contacts_and_history(org, web):
    account = make_account(org.rep, name="Acme")
    make_contact(account, "Alice")
    response = web(org.rep).get(f"/accounts/{account.pk}/", {"tab": "contacts"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Acme" in html and "Alice" in html


def test_edit_form_saves_and_detects_stale_version(org, web):
    account = make_account(org.rep, name="Old name")
    client = web(org.rep)
    form = {
        "name": "New name",
        "industry": "it",
        "segment": "KA",
        "status": "customer",
        "owner": org.rep.pk,
        "hq_scope": "local",
        "version": 1,
    }
    assert client.post(f"/accounts/{account.pk}/edit/", form).status_code == 302
    stale = client.post(f"/accounts/{account.pk}/edit/", {**form, "name": "Lost"})
    assert stale.status_code == 200
    assert "Someone else changed this record" in stale.content.decode()
    account.refresh_from_db()
    assert (account.name, account.version) == ("New name", 2)


def test_create_account_page(org, web):
    client = web(org.rep)
    response = client.post(
        "/accounts/new/",
        {
            "name": "Created via form",
            "industry": "it",
            "segment": "SMB",
            "status": "prospect",
            "owner": org.rep.pk,
            "hq_scope": "local",
        },
    )
    account = Account.objects.get(name="Created via form")
    assert response["Location"] == f"/accounts/{account.pk}/"
    assert account.created_by == org.rep


def test_contact_create_page_for_account(org, web):
    account = make_account(org.rep)
    boss = make_contact(account, "Boss")
    client = web(org.rep)
    response = client.post(
        f"/contacts/new/?account={account.pk}",
        {"account": account.pk, "name": "New person", "reports_to": boss.pk},
    )
    assert response.status_code == 302
    assert Contact.objects.get(name="New person").reports_to == boss


def test_htmx_search_returns_only_the_table(org, web):
    make_account(org.rep, name="Findable Ltd")
    make_account(org.rep, name="Zebra Co")
    response = web(org.rep).get("/accounts/", {"q": "findable"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<html" not in html
    assert "Findable Ltd" in html and "Zebra Co" not in html


@pytest.mark.parametrize(("path", "maker"), [("/accounts/", "account"), ("/contacts/", "contact")])
def test_list_pages_have_fixed_query_count(org, web, path, maker):
    account = make_account(org.rep)

    def add(n):
        for _ in range(n):
            make_account(org.rep) if maker == "account" else make_contact(account)

    client = web(org.manager)
    add(10)
    with CaptureQueriesContext(connection) as small:
        assert client.get(path).status_code == 200
    add(190)
    with CaptureQueriesContext(connection) as large:
        assert client.get(path).status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries) <= 8


def test_playbook_shows_the_configuration_in_force(org, web):
    html = web(org.rep).get("/playbook/").content.decode()
    assert "0.40" in html or "0.4" in html


def test_missing_page_uses_the_app_layout_when_not_debugging(org, web, settings):
    settings.DEBUG = False
    response = web(org.rep).get("/accounts/999999/")
    assert response.status_code == 404
    assert "This page does not exist, or you do not have access to it." in response.content.decode()
