"""GET /opportunities/{id}/decision-map and its writes (METHOD.md §3.1-3.3, §3.5 coverage)."""

import pytest
from django.utils import timezone

from tests.factories import make_account, make_contact, make_user
from tests.people.helpers import log_activity, make_competitor, make_opportunity
from wuwei.people import services
from wuwei.people.models import DecisionParticipant


@pytest.fixture
def deal(org):
    account = make_account(org.rep)
    return make_opportunity(account)


@pytest.mark.parametrize(
    ("status", "strategy"),
    [
        ("strong_positive", "encourage"),
        ("positive", "harmonize"),
        ("neutral", "attack"),
        ("negative", "defend"),
        ("strong_negative", "suppress"),
    ],
)
def test_suggested_strategy_follows_the_per_deal_status(org, api, deal, status, strategy):
    contact = make_contact(deal.account, relationship_status="strong_positive")
    response = api(org.rep).post(
        f"/opportunities/{deal.pk}/decision-map/participants",
        {"contact": contact.pk, "decision_role": "decision_maker", "relationship_status": status},
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["relationship_status"], body["overall_relationship_status"]) == (
        status,
        "strong_positive",
    )
    assert (body["suggested_strategy"], body["strategy"], body["strategy_is_override"]) == (
        strategy,
        strategy,
        False,
    )
    assert len(body["tactics"]) == 3


def test_per_deal_status_defaults_to_overall_and_override_needs_a_reason(org, api, deal):
    contact = make_contact(deal.account, relationship_status="negative")
    client = api(org.rep)
    body = client.post(
        f"/opportunities/{deal.pk}/decision-map/participants",
        {"contact": contact.pk, "decision_role": "approver"},
    ).json()
    assert (body["relationship_status"], body["strategy"]) == ("negative", "defend")
    path = f"/opportunities/{deal.pk}/decision-map/participants/{body['id']}"
    refused = client.patch(path, {"strategy": "suppress", "version": 1})
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "strategy_reason"
    ok = client.patch(
        path, {"strategy": "suppress", "strategy_reason": "Blocks every meeting", "version": 1}
    ).json()
    assert (ok["strategy"], ok["suggested_strategy"], ok["strategy_is_override"]) == (
        "suppress",
        "defend",
        True,
    )
    assert "Reduce their weight" in ok["tactics"][0]


def test_map_has_influences_closeness_coverage_and_competitors(org, api, deal):
    account = deal.account
    approver = make_contact(account, "Approver", influence=5)
    evaluator = make_contact(account, "Evaluator", influence=2)
    rival = make_competitor("Rival")
    services.competitor_relation_set(
        user=org.rep, contact=approver, competitor=rival, status="negative"
    )
    first = services.participant_add(
        user=org.rep,
        opportunity=deal,
        contact=approver,
        decision_role="approver",
        relationship_status="positive",
    )
    second = services.participant_add(
        user=org.rep,
        opportunity=deal,
        contact=evaluator,
        decision_role="evaluator",
        relationship_status="strong_negative",
    )
    services.connection_create(
        user=org.peer_rep, employee=org.peer_rep, contact=approver, how="classmate", strength=4
    )
    log_activity(account, [evaluator], on=timezone.localdate(), opportunity=deal)
    client = api(org.rep)
    created = client.post(
        f"/opportunities/{deal.pk}/decision-map/influences",
        {"source": second.pk, "target": first.pk},
    )
    assert created.status_code == 201
    body = client.get(f"/opportunities/{deal.pk}/decision-map").json()
    assert [p["name"] for p in body["participants"]] == ["Approver", "Evaluator"]
    by_name = {p["name"]: p for p in body["participants"]}
    assert by_name["Evaluator"]["interaction_level"] == "occasional"
    assert by_name["Approver"]["interaction_level"] == "none"
    assert by_name["Approver"]["connections"] == [
        {"employee": org.peer_rep.pk, "employee_name": "peer", "strength": 4, "how": "classmate"}
    ]
    assert body["influences"] == [
        {"id": created.json()["id"], "source": second.pk, "target": first.pk}
    ]
    # us: 50 + 25 × (5×1 + 2×−2) / 7 = 53.6; rival on the approver only: 50 − 25 = 25
    assert body["closeness"] == {
        "us": 53.6,
        "competitors": [{"competitor": rival.pk, "name": "Rival", "value": 25.0}],
    }
    assert body["coverage"] == [
        {"role": "approver", "contacts": 1, "covered": 1},
        {"role": "decision_maker", "contacts": 0, "covered": 0},
        {"role": "evaluator", "contacts": 1, "covered": 0},
        {"role": "user", "contacts": 0, "covered": 0},
    ]


def test_contacts_of_another_account_cannot_join(org, api, deal):
    stranger = make_contact(make_account(org.rep))
    response = api(org.rep).post(
        f"/opportunities/{deal.pk}/decision-map/participants",
        {"contact": stranger.pk, "decision_role": "user"},
    )
    assert response.status_code == 422
    assert DecisionParticipant.objects.count() == 0


def test_decision_map_visibility_and_denied_writes(org, api, deal):
    contact = make_contact(deal.account)
    path = f"/opportunities/{deal.pk}/decision-map"
    assert api(None).get(path).status_code == 401
    assert api(org.other_manager).get(path).status_code == 404
    assert api(org.peer_rep).get(path).status_code == 404
    assert api(org.manager).get(path).status_code == 200
    assert api(org.rep).get(path).status_code == 200
    denied = api(org.other_manager).post(
        f"{path}/participants", {"contact": contact.pk, "decision_role": "user"}
    )
    assert denied.status_code == 404
    assert DecisionParticipant.objects.count() == 0


def test_deal_team_member_sees_the_map(org, api, deal):
    member = make_user("member", team=org.north_ka)
    deal.members.add(member)
    assert api(member).get(f"/opportunities/{deal.pk}/decision-map").status_code == 200


def test_decision_map_query_count_is_fixed(org, api, deal, django_assert_num_queries):
    rival = make_competitor()
    client = api(org.rep)
    client.get("/me")
    counts = []
    for size in (5, 40):
        while DecisionParticipant.objects.count() < size:
            contact = make_contact(deal.account)
            services.participant_add(
                user=org.rep, opportunity=deal, contact=contact, decision_role="user"
            )
            services.competitor_relation_set(
                user=org.rep, contact=contact, competitor=rival, status="neutral"
            )
            services.connection_create(
                user=org.rep, employee=org.rep, contact=contact, how="business"
            )
        with django_assert_num_queries(6) as captured:
            assert (
                len(client.get(f"/opportunities/{deal.pk}/decision-map").json()["participants"])
                == size
            )
        counts.append(len(captured))
    assert counts[0] == counts[1]
