"""/coaching/queue, /coaching/reviews, /coaching/actions (API.md)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.coaching.helpers import ago, make_deal, review, set_win_rate
from tests.factories import make_account
from wuwei.coaching.models import CoachingAction, CoachingReview

DUE = timezone.localdate() + timedelta(days=7)


@pytest.fixture
def deal(org):
    deal = make_deal(org.rep, make_account(org.rep, name="Acme"), 8_000_000, name="Core upgrade")
    set_win_rate(deal, 40)
    review(org.manager, deal, at=ago(10), actions=[("Call the CFO", org.rep, DUE)])
    return set_win_rate(deal, 55)


@pytest.mark.parametrize(
    "method,path",
    [
        ("get", "/coaching/queue"),
        ("get", "/coaching/reviews"),
        ("post", "/coaching/reviews"),
        ("get", "/coaching/reviews/1"),
        ("get", "/coaching/actions"),
        ("patch", "/coaching/actions/1"),
    ],
)
def test_anonymous_gets_401(db, api, method, path):
    assert getattr(api(None), method)(path).status_code == 401


def test_queue_lists_what_changed(org, api, deal):
    body = api(org.manager).get("/coaching/queue").json()
    assert body["count"] == 1 and body["next"] is None
    item = body["items"][0]
    assert {k: v for k, v in item.items() if k not in ("changes", "last_reviewed_at")} == {
        "opportunity": deal.pk,
        "name": "Core upgrade",
        "account": deal.account_id,
        "account_name": "Acme",
        "owner": org.rep.pk,
        "owner_name": "rep",
        "grade": "A",
        "amount": "8000000.00",
        "currency": "CNY",
        "win_rate": 55,
        "stage": "validate",
        "open_actions": 1,
    }
    assert item["changes"] == [
        {
            "kind": "win_rate",
            "message": "Win rate moved from 40 % to 55 %",
            "from": 40,
            "to": 55,
            "at": None,
        }
    ]
    assert item["last_reviewed_at"] is not None


def test_queue_is_empty_for_outsiders_and_reps(org, api, deal):
    assert api(org.other_manager).get("/coaching/queue").json()["items"] == []
    assert api(org.rep).get("/coaching/queue").json()["items"] == []


def test_queue_rejects_bad_filters(org, api):
    client = api(org.manager)
    response = client.get("/coaching/queue", {"grade": "Z"})
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "grade", "message": "invalid"}]
    assert client.get("/coaching/queue", {"cursor": "nonsense"}).status_code == 422
    assert client.get("/coaching/queue", {"lookback_days": 0}).status_code == 422
    assert client.get("/coaching/queue", {"limit": 0}).status_code == 422


def test_queue_query_count_does_not_grow_with_deals(org, api, django_assert_num_queries):
    client = api(org.manager)
    account = make_account(org.rep)

    def add(count):
        for index in range(count):
            deal = make_deal(org.rep, account, 1000 * (index + 1), at=ago(1))
            if index % 2:
                review(org.manager, deal)

    add(2)
    client.get("/coaching/queue")  # the token's first use is recorded once
    # token 1, viewer roles and team 2, candidates 1, sources 4 (PRM risks: 1), page 1
    with django_assert_num_queries(6):
        assert len(client.get("/coaching/queue").json()["items"]) == 1
    add(38)
    with django_assert_num_queries(6):
        assert len(client.get("/coaching/queue").json()["items"]) == 20


def test_create_a_review_with_actions(org, api, deal):
    payload = {
        "opportunity": deal.pk,
        "comments": "Win rate up: keep pushing.",
        "actions": [{"title": "Book the demo", "owner": org.rep.pk, "due": DUE.isoformat()}],
    }
    response = api(org.manager).post("/coaching/reviews", payload)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["opportunity"], body["reviewer"], body["win_rate_at_review"]) == (
        deal.pk,
        org.manager.pk,
        55,
    )
    assert [(a["title"], a["owner"], a["due"], a["status"]) for a in body["actions"]] == [
        ("Book the demo", org.rep.pk, DUE.isoformat(), "open")
    ]
    assert api(org.manager).get("/coaching/queue").json()["items"] == []


def test_create_refusals(org, api, deal):
    payload = {"opportunity": deal.pk, "comments": "ok"}
    assert api(org.other_manager).post("/coaching/reviews", payload).status_code == 404
    assert api(org.rep).post("/coaching/reviews", payload).status_code == 403
    missing = api(org.manager).post("/coaching/reviews", {**payload, "opportunity": 999999})
    assert missing.status_code == 404
    assert missing.json()["errors"] == [{"field": "opportunity", "message": "not found"}]
    blank = api(org.manager).post("/coaching/reviews", {**payload, "comments": " "})
    assert blank.status_code == 422
    assert blank.json()["errors"] == [{"field": "comments", "message": "This field is required."}]
    bad_due = {**payload, "actions": [{"title": "x", "owner": org.rep.pk, "due": "someday"}]}
    response = api(org.manager).post("/coaching/reviews", bad_due)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "actions.0.due"
    assert api(org.manager).post("/coaching/reviews", {"opportunity": "x"}).status_code == 422
    assert CoachingReview.objects.count() == 1  # the fixture's


def test_review_list_and_detail_follow_the_deal(org, api, deal):
    body = api(org.rep).get("/coaching/reviews", {"opportunity": deal.pk, "count": True}).json()
    assert body["count"] == 1
    review_id = body["items"][0]["id"]
    assert body["items"][0]["comments"] == "Looks fine."
    assert api(org.rep).get(f"/coaching/reviews/{review_id}").status_code == 200
    assert api(org.other_manager).get("/coaching/reviews").json()["items"] == []
    assert api(org.other_manager).get(f"/coaching/reviews/{review_id}").status_code == 404
    assert api(org.partner).get(f"/coaching/reviews/{review_id}").status_code == 404


def test_review_and_action_lists_page_with_fixed_queries(org, api, deal, django_assert_num_queries):
    client = api(org.manager)
    client.get("/coaching/reviews")  # the token's first use is recorded once
    with django_assert_num_queries(2):  # page, actions (the token is cached)
        assert len(client.get("/coaching/reviews", {"limit": 500}).json()["items"]) == 1
    with django_assert_num_queries(1):  # page
        assert len(client.get("/coaching/actions", {"limit": 500}).json()["items"]) == 1
    for _ in range(4):
        review(org.manager, deal, actions=[("Next", org.rep, DUE)])
    with django_assert_num_queries(2):
        assert len(client.get("/coaching/reviews", {"limit": 500}).json()["items"]) == 5
    with django_assert_num_queries(1):
        assert len(client.get("/coaching/actions", {"limit": 500}).json()["items"]) == 5
    first = client.get("/coaching/reviews", {"limit": 3}).json()
    second = client.get("/coaching/reviews", {"limit": 3, "cursor": first["next"]}).json()
    assert len(first["items"]) == 3 and len(second["items"]) == 2 and second["next"] is None


def test_patch_action(org, api, deal):
    action = CoachingAction.objects.get()
    url = f"/coaching/actions/{action.pk}"
    assert api(org.other_manager).patch(url, {"status": "done", "version": 1}).status_code == 404
    assert api(org.rep).patch(url, {"title": "Skip", "version": 1}).status_code == 403
    assert api(org.rep).patch(url, {"status": "done"}).status_code == 422
    assert api(org.rep).patch(url, {"status": "finished", "version": 1}).status_code == 422
    done = api(org.rep).patch(url, {"status": "done", "version": 1})
    assert done.status_code == 200
    assert (done.json()["status"], done.json()["version"]) == ("done", 2)
    assert done.json()["done_at"] is not None
    assert api(org.manager).patch(url, {"status": "open", "version": 1}).status_code == 409
    assert api(org.manager).patch(url, {"title": None, "version": 2}).status_code == 422
    moved = api(org.manager).patch(
        url, {"owner": org.manager.pk, "version": 2}, **{"If-Match": "2"}
    )
    assert moved.json()["owner"] == org.manager.pk


def test_my_open_actions(org, api, deal):
    body = api(org.rep).get("/coaching/actions", {"owner": "me", "status": "open"}).json()
    assert [a["title"] for a in body["items"]] == ["Call the CFO"]
    assert api(org.manager).get("/coaching/actions", {"owner": "me"}).json()["items"] == []
    assert api(org.rep).get("/coaching/actions", {"owner": "x"}).status_code == 422
