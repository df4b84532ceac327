"""People pages: login required, outsiders 404, owners 200; the forms call the services."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_account, make_contact
from tests.people.helpers import log_activity, make_competitor, make_opportunity
from wuwei.org.models import HandoverRecord
from wuwei.people import services
from wuwei.people.models import Activity, Contact, DecisionParticipant


@pytest.fixture
def book(org):
    account = make_account(org.rep)
    boss = make_contact(account, "Boss", influence=5)
    contact = make_contact(account, "Alice", reports_to=boss, circle="Tech")
    deal = make_opportunity(account)
    participant = services.participant_add(
        user=org.rep, opportunity=deal, contact=contact, decision_role="evaluator"
    )
    rival = make_competitor("Rival")
    services.competitor_relation_set(
        user=org.rep, contact=contact, competitor=rival, status="positive"
    )
    services.connection_create(user=org.rep, employee=org.rep, contact=boss, how="classmate")
    activity = log_activity(account, [contact], on=date.today(), opportunity=deal, tags=("budget",))
    return {
        "account": account,
        "contact": contact,
        "deal": deal,
        "participant": participant,
        "activity": activity,
        "rival": rival,
    }


def page_paths(book):
    return [
        f"/connections/accounts/{book['account'].pk}/map/",
        f"/connections/contacts/{book['contact'].pk}/persona/",
        f"/connections/deals/{book['deal'].pk}/decision-map/",
        f"/contacts/{book['contact'].pk}/",
        f"/connections/activities/new/?account={book['account'].pk}",
    ]


def test_anonymous_is_sent_to_login(book, client):
    for path in [
        *page_paths(book),
        "/connections/",
        "/connections/activities/",
        "/org/handover/",
    ]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/login/")


def test_outsider_gets_404_and_changes_nothing(org, web, book):
    client = web(org.other_manager)
    for path in page_paths(book):
        assert client.get(path).status_code == 404, path
    posts = [
        f"/connections/contacts/{book['contact'].pk}/persona/",
        f"/connections/deals/{book['deal'].pk}/decision-map/participants/"
        f"{book['participant'].pk}/remove/",
        f"/connections/activities/{book['activity'].pk}/archive/",
        f"/contacts/{book['contact'].pk}/competitors/{book['rival'].pk}/remove/",
    ]
    for path in posts:
        assert client.post(path, {"relationship_status": "negative"}).status_code == 404, path
    assert DecisionParticipant.objects.count() == 1
    assert Activity.objects.get().archived_at is None
    assert Contact.objects.get(pk=book["contact"].pk).relationship_status == "neutral"
    lists = client.get("/connections/activities/").content.decode()
    assert book["activity"].subject not in lists


def test_owner_sees_every_page(org, web, book):
    client = web(org.rep)
    for path in [*page_paths(book), "/connections/", "/connections/activities/?tag=budget"]:
        response = client.get(path)
        assert response.status_code == 200, path
    html = client.get(f"/contacts/{book['contact'].pk}/").content.decode()
    assert "Rival" in html and "Boss" in html  # competitor standing; introducer via the boss
    map_html = client.get(f"/connections/accounts/{book['account'].pk}/map/").content.decode()
    assert 'id="relationship-map"' in map_html and '"circles": ["Tech"]' in map_html


def test_persona_is_saved_inline_and_tells_the_map(org, web, book):
    contact = book["contact"]
    response = web(org.rep).post(
        f"/connections/contacts/{contact.pk}/persona/",
        {
            "influence": 4,
            "circle": "Reformers",
            "behavior_orientation": "pragmatic",
            "relationship_status": "strong_positive",
            "version": contact.version,
        },
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert response["HX-Trigger"] == f'{{"persona-saved": {{"contact": {contact.pk}}}}}'
    contact.refresh_from_db()
    assert (contact.influence, contact.circle, contact.relationship_status) == (
        4,
        "Reformers",
        "strong_positive",
    )
    stale = web(org.rep).post(
        f"/connections/contacts/{contact.pk}/persona/",
        {"influence": 1, "relationship_status": "negative", "version": 1},
    )
    assert "Someone else changed this record" in stale.content.decode()
    assert "HX-Trigger" not in stale


def test_decision_map_page_adds_and_edits(org, web, book):
    account, deal = book["account"], book["deal"]
    newcomer = make_contact(account, "Newcomer", relationship_status="negative")
    client = web(org.rep)
    path = f"/connections/deals/{deal.pk}/decision-map/"
    added = client.post(path, {"contact": newcomer.pk, "decision_role": "approver"})
    assert added.status_code == 302
    participant = DecisionParticipant.objects.get(contact=newcomer)
    assert participant.relationship_status == "negative"
    html = client.get(path).content.decode()
    assert "Newcomer" in html and "Understand the objection" in html
    edit = f"{path}participants/{participant.pk}/"
    client.post(
        edit,
        {
            f"p{participant.pk}-decision_role": "approver",
            f"p{participant.pk}-relationship_status": "negative",
            f"p{participant.pk}-strategy": "suppress",
            f"p{participant.pk}-strategy_reason": "",
            f"p{participant.pk}-version": 1,
        },
    )
    participant.refresh_from_db()
    assert participant.strategy == ""  # an override without a reason is refused


def test_activity_form_logs_and_updates_the_level(org, web, book):
    account = book["account"]
    boss = Contact.objects.get(name="Boss")
    response = web(org.rep).post(
        f"/connections/activities/new/?account={account.pk}",
        {
            "kind": "site_visit",
            "occurred_on": date.today().isoformat(),
            "subject": "Plant tour",
            "contacts": [boss.pk],
            "tags": "budget, plant",
        },
    )
    assert response.status_code == 302
    boss.refresh_from_db()
    assert boss.interaction_level == "deep"
    assert Activity.objects.get(subject="Plant tour").tags == ",budget,plant,"


def test_handover_page(org, web, book):
    assert web(org.rep).get("/org/handover/").status_code == 403
    client = web(org.admin)
    page = client.get(f"/org/handover/?user={org.rep.pk}")
    assert page.status_code == 200
    response = client.post(
        f"/org/handover/?user={org.rep.pk}",
        {"reason": "deactivation", "successor": org.peer_rep.pk, "deactivate": "on"},
    )
    assert response.status_code == 302
    record = HandoverRecord.objects.get()
    assert record.deactivated and record.details["accounts"]["successor"] == org.peer_rep.pk
    assert web(org.other_manager).get(f"/org/handover/?user={org.rep.pk}").status_code == 403


def test_map_page_query_count_is_fixed(org, web, book):
    client = web(org.rep)
    path = f"/connections/accounts/{book['account'].pk}/map/"
    client.get(path)
    counts = []
    for extra in (0, 40):
        for _ in range(extra):
            make_contact(book["account"], reports_to=book["contact"])
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]
