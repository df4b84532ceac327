"""GET /accounts/{id}/relationship-map: nodes, edges, competitors, closeness; fixed queries."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import make_account, make_contact
from tests.people.helpers import log_activity, make_competitor
from wuwei.people import services
from wuwei.people.models import ClosenessSnapshot


def build_map(org):
    account = make_account(org.rep, name="Acme")
    ceo = make_contact(
        account, "CEO", influence=5, relationship_status="positive", circle="Old guard"
    )
    cio = make_contact(
        account,
        "CIO",
        reports_to=ceo,
        influence=4,
        relationship_status="neutral",
        behavior_orientation="technical",
        circle="Old guard",
    )
    architect = make_contact(
        account, "Architect", reports_to=cio, influence=1, relationship_status="strong_negative"
    )
    services.influence_add(user=org.rep, source=architect, target=cio, note="trusted advisor")
    rival = make_competitor("Rival")
    services.competitor_relation_set(
        user=org.rep,
        contact=cio,
        competitor=rival,
        status="strong_positive",
        interaction_level="deep",
    )
    log_activity(account, [ceo, cio], on=timezone.localdate() - timedelta(days=3))
    return account, ceo, cio, architect, rival


def test_map_returns_nodes_edges_competitors_and_closeness(org, api):
    account, ceo, cio, architect, rival = build_map(org)
    response = api(org.rep).get(f"/accounts/{account.pk}/relationship-map")
    assert response.status_code == 200
    body = response.json()
    nodes = {n["name"]: n for n in body["nodes"]}
    assert [nodes[n]["depth"] for n in ("CEO", "CIO", "Architect")] == [0, 1, 2]
    assert nodes["CIO"] | {"competitors": None} == nodes["CIO"] | {
        "id": cio.pk,
        "reports_to": ceo.pk,
        "influence": 4,
        "circle": "Old guard",
        "behavior_orientation": "technical",
        "relationship_status": "neutral",
        "interaction_level": "occasional",
        "competitors": None,
    }
    assert nodes["CIO"]["competitors"] == [
        {"competitor": rival.pk, "status": "strong_positive", "interaction_level": "deep"}
    ]
    assert nodes["Architect"]["interaction_level"] == "none"
    assert sorted((e["source"], e["target"], e["kind"]) for e in body["edges"]) == sorted(
        [
            (cio.pk, ceo.pk, "reports_to"),
            (architect.pk, cio.pk, "reports_to"),
            (architect.pk, cio.pk, "influences"),
        ]
    )
    assert body["circles"] == ["Old guard"]
    assert body["competitors"] == [{"id": rival.pk, "name": "Rival"}]
    # us: 50 + 25 × (5×1 + 4×0 + 1×−2) / 10 = 57.5; rival: 50 + 25 × 4×2/4 = 100
    assert body["closeness"] == {
        "us": 57.5,
        "competitors": [{"competitor": rival.pk, "name": "Rival", "value": 100.0}],
    }
    today = timezone.localdate().isoformat()
    assert {(p["date"], p["competitor"], p["value"]) for p in body["closeness_history"]} == {
        (today, None, 57.5),
        (today, rival.pk, 100.0),
    }


def test_map_answer_is_what_its_schema_prints(org, api):
    """The map is answered from plain dicts, not through the response schema (issue #17):
    every field RelationshipMapOut documents, of its type, and nothing else (validation drops
    unknown keys, so an extra one would differ)."""
    from wuwei.people.api.maps import RelationshipMapOut

    account, *_ = build_map(org)
    body = api(org.rep).get(f"/accounts/{account.pk}/relationship-map").json()
    assert body == RelationshipMapOut.model_validate(body).model_dump(mode="json")


def test_status_change_stores_one_snapshot_per_day(org, api):
    account, ceo, *_ = build_map(org)
    client = api(org.rep)
    assert (
        client.patch(
            f"/contacts/{ceo.pk}", {"relationship_status": "strong_positive", "version": 1}
        ).status_code
        == 200
    )
    ours = ClosenessSnapshot.objects.filter(account=account, competitor__isnull=True)
    # 50 + 25 × (5×2 + 0 − 2) / 10 = 70
    assert [(s.recorded_on, float(s.value)) for s in ours] == [(timezone.localdate(), 70.0)]


def test_map_visibility(org, api):
    account, *_ = build_map(org)
    path = f"/accounts/{account.pk}/relationship-map"
    assert api(None).get(path).status_code == 401
    assert api(org.other_manager).get(path).status_code == 404
    assert api(org.peer_rep).get(path).status_code == 404
    assert api(org.partner).get(path).status_code == 404
    assert api(org.manager).get(path).status_code == 200
    assert api(org.rep).get(path).status_code == 200


@pytest.mark.parametrize("size", [10, 300])
def test_map_query_count_is_fixed(org, api, django_assert_num_queries, size):
    account = make_account(org.rep)
    rival = make_competitor()
    boss = make_contact(account, "Boss")
    previous = boss
    for index in range(size - 1):
        contact = make_contact(account, reports_to=previous if index % 3 else boss)
        if index % 4 == 0:
            services.competitor_relation_set(
                user=org.rep, contact=contact, competitor=rival, status="positive"
            )
        if index % 5 == 0:
            services.influence_add(user=org.rep, source=contact, target=boss)
        previous = contact
    client = api(org.rep)
    client.get("/me")
    # token → user, roles, account (visibility), contacts, connection counts, competitor
    # relations, influence edges, closeness series
    with django_assert_num_queries(6):
        body = client.get(f"/accounts/{account.pk}/relationship-map").json()
    assert len(body["nodes"]) == size
