"""/opportunities/{id}/strategy, /tactics, /value-proposition and /competitive-tactics."""

from datetime import date

import pytest

from tests.factories import make_contact
from tests.pursuit.factories import answer, make_deal, on_deal
from wuwei.opportunities.models import CompetitiveTactic, DealStrategy, DealTactic
from wuwei.people.models import Activity
from wuwei.pursuit import services


@pytest.fixture
def deal(org):
    return make_deal(org.rep, name="Grid analytics")


def _ids(strategy: str) -> list[int]:
    return list(
        CompetitiveTactic.objects.filter(strategy=strategy)
        .order_by("position")
        .values_list("pk", flat=True)
    )


def _paths(deal, tactic_id=0):
    base = f"/opportunities/{deal.pk}"
    return [
        ("get", f"{base}/strategy", None),
        ("put", f"{base}/strategy", {"strategy": "frontal", "rationale": "x"}),
        ("get", f"{base}/tactics", None),
        ("post", f"{base}/tactics", {"title": "x"}),
        ("patch", f"{base}/tactics/{tactic_id}", {"status": "done", "version": 1}),
        ("delete", f"{base}/tactics/{tactic_id}", None),
        ("post", f"{base}/tactics/{tactic_id}/activity", {"kind": "call"}),
        ("get", f"{base}/value-proposition", None),
        ("put", f"{base}/value-proposition", {"solution": "x"}),
    ]


def _call(client, method, path, body):
    if method in ("get", "delete"):
        return getattr(client, method)(path)
    return getattr(client, method)(path, body)


def test_anonymous_401_and_outsiders_404_and_nothing_changes(org, api, deal):
    (item,) = services.deal_tactics_adopt(user=org.rep, opportunity=deal, titles=["Workshop"])
    for method, path, body in _paths(deal, item.pk):
        assert _call(api(None), method, path, body).status_code == 401, path
        for outsider in (org.other_manager, org.peer_rep, org.partner, org.presales):
            response = _call(api(outsider), method, path, body)
            assert response.status_code == 404, (path, outsider)
            assert response.json()["detail"]
    assert not DealStrategy.objects.exists()
    assert list(DealTactic.objects.values_list("status", "archived_at")) == [("planned", None)]
    assert not Activity.objects.exists()


def test_strategy_get_and_put(org, api, deal):
    (rival,) = on_deal(deal, "Rival")
    answer(deal, (8, 8), [(rival, 4, 4)], win_rate=67)
    client = api(org.rep)

    shown = client.get(f"/opportunities/{deal.pk}/strategy").json()
    assert shown["strategy"] is None and shown["version"] == 0
    assert shown["suggestion"] == {
        "strategy": "frontal",
        "reasons": [
            {
                "code": "clear_lead",
                "params": {"win_rate": 67, "min": 50, "lead": "8"},
                "message": "We rank first with a win rate of 67 % (at least 50 %): attack head-on.",
            }
        ],
    }
    assert shown["position"] == {
        "win_rate": 67,
        "rank": 1,
        "strength": "16",
        "leader_strength": "8",
        "is_incumbent": False,
        "product_lines": 0,
    }
    saved = client.put(
        f"/opportunities/{deal.pk}/strategy",
        {"strategy": "flanking", "rationale": "Make service count"},
    )
    assert saved.status_code == 200
    body = saved.json()
    assert (body["strategy"], body["rationale"], body["version"]) == (
        "flanking",
        "Make service count",
        1,
    )
    assert (body["suggested_when_chosen"], body["chosen_by"]) == ("frontal", org.rep.pk)
    stale = client.put(
        f"/opportunities/{deal.pk}/strategy", {"strategy": "frontal", "rationale": "x"}
    )
    assert stale.status_code == 422  # once chosen, the version is required
    stale = client.put(
        f"/opportunities/{deal.pk}/strategy",
        {"strategy": "frontal", "rationale": "x", "version": 7},
    )
    assert stale.status_code == 409
    assert stale.json()["errors"] == [{"field": "version", "message": "stale"}]
    manager = api(org.manager).put(
        f"/opportunities/{deal.pk}/strategy",
        {"strategy": "frontal", "rationale": "Go", "version": 1},
    )
    assert (manager.status_code, manager.json()["version"]) == (200, 2)


@pytest.mark.parametrize(
    "body",
    [
        {"strategy": "blitz", "rationale": "x"},
        {"strategy": "frontal", "rationale": ""},
        {"strategy": "frontal"},
        {"strategy": "frontal", "rationale": "x", "version": "abc"},
        {},
    ],
)
def test_strategy_bad_input_is_422(org, api, deal, body):
    response = api(org.rep).put(f"/opportunities/{deal.pk}/strategy", body)
    assert response.status_code == 422
    assert response.json()["errors"]
    assert not DealStrategy.objects.exists()


def test_adopt_list_patch_delete(org, api, deal):
    client = api(org.rep)
    first, second = _ids("fragment")[:2]
    path = f"/opportunities/{deal.pk}/tactics"

    created = client.post(path, {"tactics": [first, second, first], "due": "2027-04-01"})
    assert created.status_code == 201
    assert [(t["tactic"], t["strategy"], t["status"], t["due"]) for t in created.json()] == [
        (first, "fragment", "planned", "2027-04-01"),
        (second, "fragment", "planned", "2027-04-01"),
    ]
    again = client.post(path, {"tactics": [second], "title": "Pilot in Nanjing"})
    assert [(t["tactic"], t["title"]) for t in again.json()] == [(None, "Pilot in Nanjing")]
    assert client.post(path, {"tactics": [second]}).json() == []
    listed = client.get(path, {"count": "true"}).json()
    assert listed["count"] == 3 and listed["next"] is None
    own = listed["items"][2]
    patched = client.patch(
        f"{path}/{own['id']}", {"status": "done", "owner": org.peer_rep.pk, "version": 1}
    )
    assert (patched.status_code, patched.json()["owner_name"], patched.json()["version"]) == (
        200,
        "peer",
        2,
    )
    assert (
        client.patch(f"{path}/{own['id']}", {"status": "dropped", "version": 1}).status_code == 409
    )
    assert client.patch(f"{path}/{own['id']}", {"status": None, "version": 2}).status_code == 422
    assert client.patch(f"{path}/{own['id']}", {"status": "lost", "version": 2}).status_code == 422
    assert client.delete(f"{path}/{own['id']}").status_code == 200
    assert [t["id"] for t in client.get(path).json()["items"]] == [
        t["id"] for t in listed["items"][:2]
    ]
    assert client.delete(f"{path}/{own['id']}").status_code == 404


def test_adopt_refusals(org, api, deal):
    client = api(org.rep)
    path = f"/opportunities/{deal.pk}/tactics"
    assert client.post(path, {}).status_code == 422
    assert client.post(path, {"title": "   "}).status_code == 422
    missing = client.post(path, {"tactics": [999_999]})
    assert missing.status_code == 404
    assert missing.json()["errors"] == [{"field": "tactics", "message": "not found"}]
    assert client.post(path, {"tactics": ["x"]}).status_code == 422
    assert client.post(path, {"title": "x", "owner": 999_999}).status_code == 404
    assert not DealTactic.objects.exists()
    assert api(org.presales).post(path, {"title": "x"}).status_code == 404


def test_presales_on_the_deal_team_reads_but_cannot_write(org, api, deal):
    from wuwei.opportunities.services import opportunity_member_set

    opportunity_member_set(user=org.rep, opportunity=deal, member=org.presales, role="presales")
    client = api(org.presales)
    assert client.get(f"/opportunities/{deal.pk}/strategy").status_code == 200
    assert client.get(f"/opportunities/{deal.pk}/value-proposition").status_code == 200
    refused = client.put(
        f"/opportunities/{deal.pk}/strategy", {"strategy": "frontal", "rationale": "x"}
    )
    assert refused.status_code == 403
    assert not DealStrategy.objects.exists()


def test_tactic_becomes_an_activity(org, api, deal):
    contact = make_contact(deal.account, name="李处长")
    client = api(org.rep)
    (item,) = client.post(f"/opportunities/{deal.pk}/tactics", {"title": "Reference visit"}).json()
    path = f"/opportunities/{deal.pk}/tactics/{item['id']}/activity"

    assert client.post(path, {"kind": "site_visit", "contacts": [999_999]}).status_code == 404
    assert client.post(path, {"kind": "party"}).status_code == 422
    made = client.post(
        path, {"kind": "site_visit", "occurred_on": "2027-05-06", "contacts": [contact.pk]}
    )
    assert made.status_code == 201
    activity_id = made.json()["activity"]
    assert made.json()["version"] == 2
    activities = client.get("/activities", {"opportunity": deal.pk}).json()["items"]
    assert [
        (a["id"], a["kind"], a["subject"], a["occurred_on"], a["tags"]) for a in activities
    ] == [(activity_id, "site_visit", "Reference visit", "2027-05-06", ["tactic"])]
    assert activities[0]["contacts"] == [{"id": contact.pk, "name": "李处长"}]
    assert client.get("/activities", {"account": deal.account_id}).json()["items"][0]["id"] == (
        activity_id
    )
    again = client.post(path, {"kind": "call"})
    assert again.status_code == 409
    assert Activity.objects.count() == 1


def test_value_proposition_get_and_put(org, api, deal):
    first, second, third = on_deal(deal, "First", "Second", "Third")
    answer(deal, (6, 6), [(first, 3, 3), (second, 8, 7), (third, 5, 5)], win_rate=30)
    client = api(org.rep)
    path = f"/opportunities/{deal.pk}/value-proposition"

    empty = client.get(path).json()
    assert (empty["solution"], empty["version"], empty["updated_at"]) == ("", 0, None)
    assert empty["competitors"] == [
        {"id": second.pk, "name": "Second", "strength": "15", "source": "questionnaire"},
        {"id": third.pk, "name": "Third", "strength": "10", "source": "questionnaire"},
    ]
    assert [row["dimension"] for row in empty["table"]] == [
        "solution",
        "relationships",
        "hardware",
        "software",
    ]
    saved = client.put(
        path,
        {
            "solution": "Private cloud",
            "business_value": "Half the time to market",
            "comparisons": [
                {"dimension": "solution", "competitor": None, "rating": 4, "note": "ours"},
                {"dimension": "solution", "competitor": second.pk, "rating": 5},
                {"dimension": "solution", "competitor": third.pk, "rating": 2},
                {"dimension": "relationships", "competitor": first.pk, "rating": 1},
            ],
        },
    )
    assert saved.status_code == 200
    body = saved.json()
    assert body["version"] == 1
    assert body["table"][0] == {
        "dimension": "solution",
        "us": {"competitor": None, "rating": 4, "note": "ours", "standing": None},
        "competitors": [
            {"competitor": second.pk, "rating": 5, "note": "", "standing": "lag"},
            {"competitor": third.pk, "rating": 2, "note": "", "standing": "lead"},
        ],
    }
    assert len(body["comparisons"]) == 4  # First is rated though not in the top two
    stale = client.put(path, {"solution": "x", "version": 0})
    assert stale.status_code == 409
    kept = client.put(path, {"solution": "Hybrid cloud", "version": 1}).json()
    assert (kept["solution"], kept["business_value"], len(kept["comparisons"])) == (
        "Hybrid cloud",
        "",
        4,
    )


@pytest.mark.parametrize(
    ("comparison", "status", "field"),
    [
        ({"dimension": "solution", "rating": 0}, 422, "comparisons.0.rating"),
        ({"dimension": "solution", "rating": 6}, 422, "comparisons.0.rating"),
        ({"dimension": "price", "rating": 3}, 422, "comparisons.0.dimension"),
        (
            {"dimension": "solution", "rating": 3, "competitor": 999_999},
            404,
            "comparisons.0.competitor",
        ),
        ({"dimension": "solution", "rating": 3, "competitor": "stranger"}, 422, None),
    ],
)
def test_value_proposition_bad_input(org, api, deal, comparison, status, field):
    stranger = on_deal(make_deal(org.rep), "Stranger")[0]
    if comparison.get("competitor") == "stranger":
        comparison = {**comparison, "competitor": stranger.pk}
        field = "comparisons.0.competitor"
    response = api(org.rep).put(
        f"/opportunities/{deal.pk}/value-proposition",
        {"solution": "x", "comparisons": [comparison]},
    )
    assert response.status_code == status
    assert field in [e["field"] for e in response.json()["errors"]]
    assert api(org.rep).get(f"/opportunities/{deal.pk}/value-proposition").json()["version"] == 0


def test_library_api(org, api):
    rep, manager = api(org.rep), api(org.manager)
    listed = rep.get("/competitive-tactics", {"strategy": "defend", "count": "true"}).json()
    assert listed["count"] == 5
    assert [t["strategy"] for t in listed["items"]] == ["defend"] * 5
    assert rep.get("/competitive-tactics", {"limit": 500}).json()["items"].__len__() == 25
    assert rep.get("/competitive-tactics", {"strategy": "blitz"}).status_code == 422
    assert api(org.partner).get("/competitive-tactics").json()["items"] == []
    assert api(None).get("/competitive-tactics").status_code == 401
    new = {
        "strategy": "frontal",
        "title_en": "Price guarantee",
        "title_zh": "价格保证",
        "description_en": "Match any lower offer.",
    }
    assert rep.post("/competitive-tactics", new).status_code == 403
    assert manager.post("/competitive-tactics", {**new, "title_zh": ""}).status_code == 422
    created = manager.post("/competitive-tactics", new)
    assert created.status_code == 201
    tactic = created.json()
    assert (tactic["title"], tactic["version"], tactic["position"]) == ("Price guarantee", 1, 0)
    path = f"/competitive-tactics/{tactic['id']}"
    assert rep.get(path, **{"Accept-Language": "zh-hans"}).json()["title"] == "价格保证"
    assert manager.patch(path, {"position": 9}).status_code == 422  # version required
    assert manager.patch(path, {"position": 9, "version": 3}).status_code == 409
    assert manager.patch(path, {"title_en": None, "version": 1}).status_code == 422
    patched = manager.patch(path, {"position": 9, "version": 1})
    assert (patched.status_code, patched.json()["position"]) == (200, 9)
    assert rep.delete(path).status_code == 403
    assert manager.delete(path).status_code == 200
    assert rep.get("/competitive-tactics", {"strategy": "frontal"}).json()["items"].__len__() == 5
    assert api(org.partner).get(path).status_code == 404


def test_query_counts_do_not_grow_with_rows(org, api, deal, django_assert_num_queries):
    contact = make_contact(deal.account)
    rivals = on_deal(deal, "R1", "R2", "R3")
    answer(deal, (6, 6), [(r, 5, 5) for r in rivals], win_rate=33)
    client = api(org.rep)
    client.get("/me")
    base = f"/opportunities/{deal.pk}"

    def grow(size: int) -> None:
        titles = [f"Tactic {n}" for n in range(size)]
        services.deal_tactics_adopt(
            user=org.rep, opportunity=deal, tactics=CompetitiveTactic.objects.all(), titles=titles
        )
        for item in DealTactic.objects.filter(activity__isnull=True)[:size]:
            services.deal_tactic_to_activity(
                user=org.rep,
                deal_tactic=item,
                kind="call",
                occurred_on=date(2027, 1, 1),
                contacts=[contact],
            )

    counts = {}
    grow(1)
    for path in (
        f"{base}/strategy",
        f"{base}/tactics?limit=500",
        f"{base}/value-proposition",
        "/competitive-tactics?limit=500",
    ):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        counts[path] = len(captured.captured_queries)
    grow(40)
    services.value_proposition_set(
        user=org.rep,
        opportunity=deal,
        solution="x",
        business_value="y",
        comparisons=[
            services.ComparisonInput(d, c, 3)
            for d in ("solution", "relationships", "hardware", "software")
            for c in (None, *rivals)
        ],
        expected_version=None,
    )
    assert len(client.get(f"{base}/tactics?limit=500").json()["items"]) > 60
    # (the token is cached) deal, products, strategy, questionnaire, answers, config, won deals…
    assert counts == {
        f"{base}/strategy": 7,
        f"{base}/tactics?limit=500": 3,
        f"{base}/value-proposition": 9,
        "/competitive-tactics?limit=500": 1,
    }
    for path, expected in counts.items():
        with django_assert_num_queries(expected):
            assert client.get(path).status_code == 200
