"""Contacts added from the account page and the relationship map in a drawer (htmx form);
activities logged from the deal page and shown on its timeline (METHOD.md §4.9)."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_account, make_contact
from tests.opportunities.factories import make_opportunity
from wuwei.people.models import Activity, Contact

HTMX = {"HX-Request": "true"}


@pytest.fixture
def account(org):
    return make_account(org.rep, name="Drawer Co")


@pytest.fixture
def deal(org, account):
    return make_opportunity(org.rep, account, 100_000, name="Drawer deal")


def _drawer(account):
    return f"/contacts/new/accounts/{account.pk}/"


def _deal_activity(deal):
    return f"/connections/deals/{deal.pk}/activities/"


# --- the contact drawer ---------------------------------------------------------------------


def test_account_page_and_map_open_the_drawer(org, web, account):
    client = web(org.rep)
    for path, button, refreshes in (
        (f"/accounts/{account.pk}/", "account-add-contact", False),
        (f"/accounts/{account.pk}/?tab=contacts", "contacts-add-contact", True),
        (f"/connections/accounts/{account.pk}/map/", "map-add-contact", True),
    ):
        html = client.get(path).content.decode()
        assert f'id="{button}"' in html, path
        assert f'hx-get="{_drawer(account)}"' in html
        assert 'id="contact-drawer"' in html and 'class="offcanvas offcanvas-end"' in html
        # the list (contacts tab) or map reloads when a contact is added
        assert ('hx-trigger="contact-created from:body"' in html) is refreshes, path


def test_drawer_form_is_a_fragment_for_the_account(org, web, account):
    html = web(org.rep).get(_drawer(account), headers=HTMX).content.decode()
    assert "<html" not in html
    assert f'hx-post="{_drawer(account)}"' in html
    assert 'name="drawer-name"' in html and 'name="drawer-account"' not in html


def test_drawer_adds_the_contact_and_tells_the_page(org, web, account):
    boss = make_contact(account, name="Chief Zhang")
    response = web(org.rep).post(
        _drawer(account),
        {"drawer-name": "Li Na", "drawer-title": "CIO", "drawer-reports_to": boss.pk},
        headers=HTMX,
    )
    assert response.status_code == 200
    contact = Contact.objects.get(name="Li Na")
    assert (contact.account_id, contact.title, contact.reports_to_id) == (
        account.pk,
        "CIO",
        boss.pk,
    )
    assert json.loads(response["HX-Trigger"]) == {"contact-created": {"contact": contact.pk}}
    html = response.content.decode()
    assert 'data-testid="contact-created"' in html and "Li Na was added." in html
    assert 'name="drawer-name" value="Li Na"' not in html  # a fresh form for the next one


def test_drawer_shows_validation_errors_in_the_drawer(org, web, account):
    response = web(org.rep).post(
        _drawer(account), {"drawer-name": "", "drawer-email": "not-an-email"}, headers=HTMX
    )
    assert response.status_code == 200
    assert "HX-Trigger" not in response
    html = response.content.decode()
    assert html.count("invalid-feedback") == 2
    assert 'id="contact-drawer-form"' in html
    assert not Contact.objects.filter(account=account).exists()


@pytest.mark.parametrize("who", ["other_manager", "partner"])
def test_drawer_is_404_for_outsiders_and_partners(org, web, account, who):
    client = web(getattr(org, who))
    assert client.get(_drawer(account)).status_code == 404
    assert client.post(_drawer(account), {"drawer-name": "Spy"}).status_code == 404
    assert not Contact.objects.filter(name="Spy").exists()


def test_drawer_needs_a_login(client, account):
    response = client.get(_drawer(account))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_contacts_tab_reloads_with_the_new_contact(org, web, account):
    client = web(org.rep)
    client.post(_drawer(account), {"drawer-name": "Wang Fang"}, headers=HTMX)
    html = client.get(
        f"/accounts/{account.pk}/tab/contacts/", headers={**HTMX, "HX-Target": "account-tab"}
    ).content.decode()
    assert "Wang Fang" in html and "<html" not in html


def test_drawer_query_count_is_fixed(org, web, account):
    client = web(org.rep)
    for _ in range(2):
        make_contact(account)
    client.get(_drawer(account), headers=HTMX)
    with CaptureQueriesContext(connection) as few:
        client.get(_drawer(account), headers=HTMX)
    for _ in range(30):
        make_contact(account)
    with CaptureQueriesContext(connection) as many:
        client.get(_drawer(account), headers=HTMX)
    assert len(many) == len(few)


# --- activities on the deal ---------------------------------------------------------------


def test_deal_timeline_tab_loads_the_activity_form(org, web, deal):
    html = web(org.rep).get(f"/opportunities/{deal.pk}/").content.decode()
    assert f'hx-get="{_deal_activity(deal)}"' in html
    assert 'hx-trigger="activity-logged from:body"' in html


def test_activity_logged_on_the_deal_appears_on_its_timeline(org, web, account, deal):
    contact = make_contact(account, name="Zhou Min")
    client = web(org.rep)
    form = client.get(_deal_activity(deal), headers=HTMX).content.decode()
    assert 'name="deal-opportunity"' not in form and "Zhou Min" in form
    response = client.post(
        _deal_activity(deal),
        {
            "deal-kind": "meeting",
            "deal-occurred_on": "2026-11-20",
            "deal-subject": "Budget review with the CIO",
            "deal-contacts": [contact.pk],
            "deal-notes": "Budget confirmed for Q1",
        },
        headers=HTMX,
    )
    assert response.status_code == 200
    activity = Activity.objects.get(subject="Budget review with the CIO")
    assert (activity.opportunity_id, activity.account_id) == (deal.pk, account.pk)
    assert list(activity.contacts.all()) == [contact]
    assert json.loads(response["HX-Trigger"]) == {"activity-logged": {"activity": activity.pk}}
    assert 'data-testid="activity-logged"' in response.content.decode()
    page = client.get(f"/opportunities/{deal.pk}/").content.decode()
    timeline = page[page.index('id="deal-events"') :]
    timeline = timeline[: timeline.index('data-testid="stage-history"')]
    assert 'data-kind="activity"' in timeline
    assert "Meeting: Budget review with the CIO" in timeline
    assert "Zhou Min" in timeline and "Budget confirmed for Q1" in timeline


def test_an_activity_of_another_deal_stays_off_this_timeline(org, web, account, deal):
    other = make_opportunity(org.rep, account, 100_000, name="Other deal")
    web(org.rep).post(
        _deal_activity(other),
        {"deal-kind": "call", "deal-occurred_on": "2026-11-20", "deal-subject": "Other call"},
        headers=HTMX,
    )
    page = web(org.rep).get(f"/opportunities/{deal.pk}/").content.decode()
    assert "Other call" not in page


def test_deal_activity_errors_stay_in_the_form(org, web, deal):
    response = web(org.rep).post(
        _deal_activity(deal), {"deal-kind": "meeting", "deal-subject": ""}, headers=HTMX
    )
    assert response.status_code == 200 and "HX-Trigger" not in response
    assert response.content.decode().count("invalid-feedback") == 2  # date and subject
    assert not Activity.objects.filter(opportunity=deal).exists()


@pytest.mark.parametrize("who", ["other_manager", "partner"])
def test_deal_activity_is_404_for_outsiders_and_partners(org, web, deal, who):
    client = web(getattr(org, who))
    assert client.get(_deal_activity(deal)).status_code == 404
    response = client.post(
        _deal_activity(deal),
        {"deal-kind": "call", "deal-occurred_on": "2026-11-20", "deal-subject": "Spy"},
    )
    assert response.status_code == 404
    assert not Activity.objects.filter(subject="Spy").exists()


def test_deal_activity_form_and_timeline_query_counts_are_fixed(org, web, account, deal):
    client = web(org.rep)

    def log(n):
        for i in range(n):
            contact = make_contact(account)
            client.post(
                _deal_activity(deal),
                {
                    "deal-kind": "call",
                    "deal-occurred_on": "2026-11-20",
                    "deal-subject": f"Call {i}",
                    "deal-contacts": [contact.pk],
                },
                headers=HTMX,
            )

    log(2)
    with CaptureQueriesContext(connection) as form_few:
        client.get(_deal_activity(deal), headers=HTMX)
    with CaptureQueriesContext(connection) as page_few:
        client.get(f"/opportunities/{deal.pk}/")
    log(12)
    with CaptureQueriesContext(connection) as form_many:
        client.get(_deal_activity(deal), headers=HTMX)
    with CaptureQueriesContext(connection) as page_many:
        client.get(f"/opportunities/{deal.pk}/")
    assert len(form_many) == len(form_few)
    assert len(page_many) == len(page_few)


# --- new deal from the account; the decision map's labels ------------------------------------


def test_account_page_offers_a_new_deal_for_this_account(org, web, account):
    html = web(org.rep).get(f"/accounts/{account.pk}/").content.decode()
    assert f'href="/opportunities/new/?account={account.pk}" id="account-new-deal"' in html


def test_decision_map_names_people_and_roles_and_explains_closeness(org, web, account, deal):
    from wuwei.people.services.decision import decision_influence_add, participant_add

    cio = make_contact(account, name="Chen Jie", title="CIO")
    cfo = make_contact(account, name="Sun Li", title="CFO")
    source = participant_add(user=org.rep, opportunity=deal, contact=cio, decision_role="approver")
    target = participant_add(
        user=org.rep, opportunity=deal, contact=cfo, decision_role="decision_maker"
    )
    decision_influence_add(user=org.rep, source=source, target=target)
    html = web(org.rep).get(f"/connections/deals/{deal.pk}/decision-map/").content.decode()
    # the "who influences whom" picker and list name people and their roles, not ids
    assert f'<option value="{source.pk}">Chen Jie (CIO) · Approver</option>' in html
    assert "Chen Jie · Approver → Sun Li · Decision maker" in html
    assert f"{cio.pk} @ {deal.pk}" not in html
    # the closeness index explains itself on hover and links to the glossary
    assert 'href="/help/glossary/#closeness"' in html
    assert 'data-testid="deal-closeness" data-bs-toggle="tooltip" data-bs-title="0–100:' in html
