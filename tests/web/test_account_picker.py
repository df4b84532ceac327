"""The one type-ahead account picker: its JSON endpoint answers through visibility with a
fixed number of queries, and every form that chooses an account uses it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_account

PICKER = "/accounts/picker/"


def _names(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return [item["name"] for item in response.json()["items"]]


def test_picker_finds_visible_accounts_as_you_type(org, web):
    make_account(org.rep, name="Shanghai Metro", region="Shanghai", industry="transport")
    make_account(org.rep, name="Shanghai Water")
    make_account(org.rep, name="Beijing Grid")
    response = web(org.rep).get(PICKER, {"q": "shanghai"})
    assert _names(response) == ["Shanghai Metro", "Shanghai Water"]
    first = response.json()["items"][0]
    assert set(first) == {"id", "name", "detail"}
    assert "Shanghai" in first["detail"]


def test_picker_shows_an_outsider_nothing_of_another_team(org, web):
    make_account(org.rep, name="Rep's Secret Account")
    assert _names(web(org.other_manager).get(PICKER, {"q": "secret"})) == []
    assert _names(web(org.other_manager).get(PICKER)) == []


def test_picker_is_not_part_of_the_partner_portal(org, web):
    make_account(org.rep, name="Internal Customer")
    response = web(org.partner).get(PICKER, {"q": ""})
    assert response.status_code == 404 and b"Internal Customer" not in response.content


def test_picker_manager_sees_the_team_accounts(org, web):
    make_account(org.rep, name="Team Account")
    assert _names(web(org.manager).get(PICKER, {"q": "team"})) == ["Team Account"]


def test_picker_needs_a_login(client):
    response = client.get(PICKER)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_picker_leaves_out_archived_accounts_and_survives_odd_input(org, web):
    from wuwei.accounts.services import account_archive

    gone = make_account(org.rep, name="Gone Ltd")
    account_archive(user=org.rep, account=gone)
    client = web(org.rep)
    assert _names(client.get(PICKER, {"q": "gone"})) == []
    for text in ("%", "_", "'; drop table", "x" * 500, "\u4e2d\u6587"):
        assert client.get(PICKER, {"q": text}).status_code == 200


def test_picker_query_count_does_not_grow_with_accounts(org, web):
    client = web(org.rep)
    for n in range(3):
        make_account(org.rep, name=f"Count {n}")
    client.get(PICKER)  # warm the session
    with CaptureQueriesContext(connection) as few:
        assert len(_names(client.get(PICKER, {"q": "count"}))) == 3
    for n in range(3, 40):
        make_account(org.rep, name=f"Count {n}")
    with CaptureQueriesContext(connection) as many:
        assert len(_names(client.get(PICKER, {"q": "count"}))) == 20  # one page of matches
    assert len(many) == len(few)


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/opportunities/new/", "account"),
        ("/contacts/new/", "account"),
        ("/accounts/new/", "parent"),
        ("/connections/activities/new/", "account"),
    ],
)
def test_forms_choosing_an_account_use_the_picker(org, web, path, field):
    html = web(org.rep).get(path).content.decode()
    assert f'data-picker-url="{PICKER}"' in html
    assert f'<input type="hidden" name="{field}" value="" data-picker-value>' in html
    assert 'role="combobox"' in html
    assert "/accounts/options/" not in html  # no second search box beside a select


def test_new_deal_from_the_account_shows_the_account_chosen(org, web):
    account = make_account(org.rep, name="Prefilled Co")
    html = web(org.rep).get(f"/opportunities/new/?account={account.pk}").content.decode()
    assert f'name="account" value="{account.pk}" data-picker-value' in html
    assert 'value="Prefilled Co"' in html
    assert f'href="/accounts/{account.pk}/" id="opportunity-cancel"' in html  # back to it


def test_picker_does_not_reveal_a_hidden_prefilled_account(org, web):
    account = make_account(org.rep, name="Not Yours Co")
    html = web(org.other_manager).get(f"/opportunities/new/?account={account.pk}").content.decode()
    assert "Not Yours Co" not in html
    assert '<input type="hidden" name="account" value="" data-picker-value>' in html


def test_deal_created_with_the_picked_account_opens_the_new_deal(org, web):
    account = make_account(org.rep, name="Picked Co")
    response = web(org.rep).post(
        "/opportunities/new/",
        {
            "account": account.pk,
            "name": "Picked deal",
            "amount": "120000",
            "currency": "CNY",
            "owner": org.rep.pk,
            "source": "lead",
        },
    )
    assert response.status_code == 302
    deal = account.opportunities.get()
    assert response["Location"] == f"/opportunities/{deal.pk}/"


def test_activity_account_step_goes_on_with_the_picked_account(org, web):
    account = make_account(org.rep, name="Visited Co")
    html = web(org.rep).get("/connections/activities/new/", {"account": account.pk}).content
    assert b'id="activity-form"' in html and b"Visited Co" in html


def test_picker_escapes_a_hostile_account_name(org, web):
    hostile = '<img src=x onerror="alert(1)">'
    account = make_account(org.rep, name=hostile)
    client = web(org.rep)
    assert _names(client.get(PICKER, {"q": "img"})) == [hostile]  # data, shown by textContent
    html = client.get(f"/opportunities/new/?account={account.pk}").content.decode()
    assert hostile not in html
    assert 'value="&lt;img src=x onerror=&quot;alert(1)&quot;&gt;"' in html
