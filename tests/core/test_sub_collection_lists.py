"""The sub-collections (a deal's team, a contact's influences, one's own tokens…) answer the
keyset envelope of API.md "Lists" like every other list: `?limit=` and `?cursor=` page through
all rows in a stable order, `?count=true` counts, a bad cursor or limit is a 422, the query
count of a page does not grow with the rows, and whoever may not see the parent gets a 404."""

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import make_account, make_contact, make_user
from tests.opportunities.factories import make_competitor, make_opportunity
from wuwei.accounts.services import evaluation_save
from wuwei.opportunities.models import StageHistory
from wuwei.opportunities.services import opportunity_competitor_add, opportunity_member_set
from wuwei.org.models import ApiToken
from wuwei.org.tokens import token_create
from wuwei.people import services as people
from wuwei.support.services import level_rate_set

HOSTILE = '<script>alert("x")</script> \' " & 名'


@pytest.fixture
def world(org: Any) -> dict[str, Any]:
    account = make_account(org.rep, "Acme")
    boss = make_contact(account, "Boss")
    target = make_contact(account, "Target", reports_to=boss)
    deal = make_opportunity(org.rep, account)
    return {"account": account, "boss": boss, "target": target, "deal": deal}


def _grow(org: Any, world: dict[str, Any], start: int, stop: int) -> None:
    """Rows numbered start…stop-1 in every sub-collection."""
    account, target, deal = world["account"], world["target"], world["deal"]
    entered = timezone.now() - timedelta(days=400)
    for i in range(start, stop):
        token_create(user=org.rep, name=f"token {i}")
        evaluation_save(
            user=org.rep,
            account=account,
            year=2000 + i,
            solution_score=50,
            relationship_score=40,
            incubation_score=30,
        )
        rival = make_competitor(org.rep, f"{HOSTILE} {i:03}")
        people.competitor_relation_set(
            user=org.rep, contact=target, competitor=rival, status="neutral"
        )
        opportunity_competitor_add(
            user=org.rep, opportunity=deal, competitor=rival, is_primary=i == start
        )
        other = make_contact(account, f"{HOSTILE} contact {i}")
        people.influence_add(user=org.rep, source=target, target=other)
        colleague = make_user(f"colleague{i:03}", team=org.east_ka)
        people.connection_create(
            user=org.admin,
            employee=colleague,
            contact=target if i % 2 else world["boss"],
            how="friend",
            strength=1 + i % 5,
        )
        opportunity_member_set(user=org.rep, opportunity=deal, member=colleague, role="presales")
        StageHistory.objects.create(
            opportunity=deal,
            stage="validate",
            entered_at=entered + timedelta(days=i // 2),  # two rows per instant
            entered_by=org.rep,
            left_at=entered + timedelta(days=i // 2, hours=1),
            left_by=org.rep,
        )
        level_rate_set(user=org.admin, level=f"L{i:03}", day_rate=Decimal(1000 + (i // 2)))


def _paths(world: dict[str, Any]) -> dict[str, str]:
    account, contact, deal = world["account"].pk, world["target"].pk, world["deal"].pk
    return {
        "tokens": "/auth/tokens",
        "evaluations": f"/accounts/{account}/evaluations",
        "contact_competitors": f"/contacts/{contact}/competitors",
        "influences": f"/contacts/{contact}/influences",
        "introducers": f"/contacts/{contact}/introducers",
        "stage_history": f"/opportunities/{deal}/stage-history",
        "members": f"/opportunities/{deal}/members",
        "deal_competitors": f"/opportunities/{deal}/competitors",
        "levels": "/presales/levels",
    }


def _walk(client: Any, path: str, limit: int) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    cursor = None
    for _page in range(100):
        query: dict[str, Any] = {"limit": limit}
        if cursor:
            query["cursor"] = cursor
        response = client.get(path, query)
        assert response.status_code == 200, (path, response.json())
        body = response.json()
        assert set(body) == {"items", "next", "count"}
        assert len(body["items"]) <= limit
        items += body["items"]
        cursor = body["next"]
        if cursor is None:
            return items
    raise AssertionError(f"{path}: the cursor never ends")


def _key(item: dict[str, Any]) -> Any:
    return item.get("id", item.get("competitor", item.get("user", item.get("employee"))))


def test_every_sub_collection_pages_through_all_rows_once_in_order(org, api, world, settings):
    _grow(org, world, 0, 7)
    client = api(org.rep)
    admin = api(org.admin)
    for name, path in _paths(world).items():
        caller = admin if name == "levels" else client
        whole = caller.get(path, {"limit": 500, "count": "true"}).json()
        assert whole["next"] is None and whole["count"] == len(whole["items"]) > 0, name
        paged = _walk(caller, path, 2)
        assert paged == whole["items"], name
        if name != "stage_history":  # stage history rows have no id of their own in the API
            assert len({_key(item) for item in paged}) == len(paged), name
    # Orders: documented per list, and the same on every page.
    items = {
        name: client.get(path, {"limit": 500}).json()["items"]
        for name, path in _paths(world).items()
    }
    assert [e["year"] for e in items["evaluations"]] == list(range(2006, 1999, -1))
    names = [c["competitor_name"] for c in items["contact_competitors"]]
    assert names == sorted(names)
    deal_competitors = items["deal_competitors"]
    assert deal_competitors[0]["is_primary"] and not any(
        c["is_primary"] for c in deal_competitors[1:]
    )
    rest = [c["name"] for c in deal_competitors[1:]]
    assert rest == sorted(rest)
    entered = [h["entered_at"] for h in items["stage_history"]]
    assert entered == sorted(entered) and len(set(entered)) < len(entered)  # ties page too
    members = [(m["role"], m["name"]) for m in items["members"]]
    assert members == sorted(members)
    scores = [(-i["score"], i["distance"], -i["strength"]) for i in items["introducers"]]
    assert scores == sorted(scores)
    assert all(i["score"] == i["strength"] - i["distance"] for i in items["introducers"])
    assert {i["via_name"] for i in items["introducers"]} == {"Target", "Boss"}
    tokens = [t["created_at"] for t in items["tokens"]]
    assert tokens == sorted(tokens, reverse=True) and len(tokens) == 8  # + the client's own


@pytest.mark.parametrize(
    "query", [{"cursor": "not-a-cursor"}, {"cursor": "W10"}, {"limit": 0}, {"limit": 501}]
)
def test_a_bad_cursor_or_limit_is_422_on_every_sub_collection(org, api, world, query):
    client = api(org.admin)
    for path in _paths(world).values():
        response = client.get(path, query)
        assert response.status_code == 422, path
        assert response.json()["errors"][0]["field"] in {"cursor", "limit"}, path


def _count(client: Any, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, {"limit": 500})
        assert response.status_code == 200, path
    return len(captured.captured_queries)


def test_query_counts_do_not_grow_with_rows(org, api, world):
    _grow(org, world, 0, 2)
    client = api(org.admin)
    client.get("/me")
    paths = _paths(world)
    few = {name: _count(client, path) for name, path in paths.items()}
    _grow(org, world, 2, 14)
    many = {name: _count(client, path) for name, path in paths.items()}
    assert many == few
    # (the token is cached) the parent where there is one, then one query for the page
    assert few == {
        "tokens": 1,
        "evaluations": 2,
        "contact_competitors": 2,
        "influences": 2,
        "introducers": 3,  # the contact, its account's reporting lines, the page
        "stage_history": 2,
        "members": 2,
        "deal_competitors": 2,
        "levels": 1,
    }


def test_outsiders_and_partners_get_404(org, api, world):
    _grow(org, world, 0, 1)
    paths = _paths(world)
    for user in (org.other_manager, org.partner):
        client = api(user)
        for name in ("evaluations", "contact_competitors", "influences", "introducers"):
            assert client.get(paths[name]).status_code == 404, (user, name)
        for name in ("stage_history", "members", "deal_competitors"):
            assert client.get(paths[name]).status_code == 404, (user, name)
        # one's own tokens only: the client's, none of the rep's
        tokens = client.get(paths["tokens"]).json()["items"]
        assert [t["id"] for t in tokens] == list(
            ApiToken.objects.filter(user=user).values_list("id", flat=True)
        )
    # the day rates are internal: a partner sees none
    assert api(org.partner).get(paths["levels"]).json() == {
        "items": [],
        "next": None,
        "count": None,
    }
