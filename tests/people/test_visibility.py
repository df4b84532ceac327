"""Every people endpoint: anonymous → 401, outsider → 404 (and nothing changes), owner → 2xx."""

from datetime import date

import pytest

from tests.factories import make_account, make_contact
from tests.people.helpers import log_activity, make_competitor, make_opportunity
from wuwei.people import services
from wuwei.people.models import (
    Connection,
    ContactCompetitorStance,
    DecisionInfluence,
    DecisionParticipant,
    Influence,
)


@pytest.fixture
def book(org):
    account = make_account(org.rep)
    boss, contact = make_contact(account, "Boss"), make_contact(account, "Alice")
    deal = make_opportunity(account)
    first = services.participant_add(
        user=org.rep, opportunity=deal, contact=boss, decision_role="approver"
    )
    second = services.participant_add(
        user=org.rep, opportunity=deal, contact=contact, decision_role="user"
    )
    edge = services.decision_influence_add(user=org.rep, source=second, target=first)
    rival = make_competitor()
    services.competitor_relation_set(
        user=org.rep, contact=contact, competitor=rival, status="positive"
    )
    services.influence_add(user=org.rep, source=contact, target=boss)
    connection = services.connection_create(
        user=org.rep, employee=org.rep, contact=contact, how="friend"
    )
    activity = log_activity(account, [contact], on=date.today())
    return {
        "account": account,
        "boss": boss,
        "contact": contact,
        "deal": deal,
        "first": first,
        "second": second,
        "edge": edge,
        "rival": rival,
        "connection": connection,
        "activity": activity,
    }


def endpoints(b):
    c, d = b["contact"].pk, b["deal"].pk
    p = f"/opportunities/{d}/decision-map"
    return [
        ("get", f"/accounts/{b['account'].pk}/relationship-map", None, 200),
        ("get", p, None, 200),
        ("patch", f"{p}/participants/{b['second'].pk}", {"notes": "x", "version": 1}, 200),
        ("post", f"{p}/influences", {"source": b["first"].pk, "target": b["second"].pk}, 201),
        ("delete", f"{p}/influences/{b['edge'].pk}", None, 204),
        ("delete", f"{p}/participants/{b['first'].pk}", None, 204),
        ("get", f"/contacts/{c}/competitors", None, 200),
        (
            "put",
            f"/contacts/{c}/competitors",
            {"competitor": b["rival"].pk, "status": "negative"},
            200,
        ),
        ("delete", f"/contacts/{c}/competitors/{b['rival'].pk}", None, 204),
        ("get", f"/contacts/{c}/influences", None, 200),
        ("post", f"/contacts/{c}/influences", {"target": b["boss"].pk}, 409),
        ("delete", f"/contacts/{c}/influences/{b['boss'].pk}", None, 204),
        ("get", f"/contacts/{c}/introducers", None, 200),
        ("get", f"/activities/{b['activity'].pk}", None, 200),
        ("patch", f"/activities/{b['activity'].pk}", {"subject": "x", "version": 1}, 200),
        ("delete", f"/activities/{b['activity'].pk}", None, 200),
        ("get", f"/connections/{b['connection'].pk}", None, 200),
        ("patch", f"/connections/{b['connection'].pk}", {"strength": 5, "version": 1}, 200),
        ("delete", f"/connections/{b['connection'].pk}", None, 204),
    ]


def snapshot():
    return (
        DecisionParticipant.objects.count(),
        DecisionInfluence.objects.count(),
        ContactCompetitorStance.objects.count(),
        Influence.objects.count(),
        Connection.objects.count(),
    )


def call(client, method, path, body):
    return (
        getattr(client, method)(path, body) if body is not None else getattr(client, method)(path)
    )


def test_anonymous_and_outsider_are_refused_and_change_nothing(org, api, book):
    before = snapshot()
    for method, path, body, _ok in endpoints(book):
        assert call(api(None), method, path, body).status_code == 401, (method, path)
        assert call(api(org.other_manager), method, path, body).status_code == 404, (method, path)
    assert snapshot() == before
    assert api(org.other_manager).get("/activities").json()["items"] == []
    assert api(org.other_manager).get("/connections").json()["items"] == []


def test_owner_is_served(org, api, book):
    client = api(org.rep)
    for method, path, body, ok in endpoints(book):
        assert call(client, method, path, body).status_code == ok, (method, path)
