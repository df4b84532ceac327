"""The account timeline in keyset pages (API.md "Lists", issue #12 item 7): every entry exactly
once and in order, whatever the page size, with entries of several kinds at the same moment and
history records the timeline hides; a bad cursor or limit is a 422; a fixed number of queries a
page; outsiders and partners get 404."""

from datetime import date, datetime, time
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from tests.accounts.factories import grade, make_plan
from tests.factories import make_account
from wuwei.accounts.models import AccountGrading, PlanAction
from wuwei.accounts.services import action_create, monitoring_record_create, visit_plan
from wuwei.accounts.timeline import account_timeline
from wuwei.people.models import ActivityKind
from wuwei.people.services import activity_create

HOSTILE = "<img src=x onerror=alert(1)>\"'&"
DAY = date(2027, 3, 9)


def _fill(org, account, rounds: int, year: int = 2027) -> None:
    """Entries of every account source, with ties: gradings and plan actions stamped at the
    same instant (the noon of DAY, where monitoring readings, visits and activities of DAY
    sort too), several readings and visits on DAY, and gradings and readings whose history
    records the timeline hides."""
    noon = timezone.make_aware(datetime.combine(DAY, time(12, 0)))
    plan = make_plan(account, year)
    for n in range(rounds):
        grade(account, (60 + n, 70, 80, 90))
        monitoring_record_create(
            user=org.rep,
            account=account,
            recorded_on=DAY,
            importance=50 + n,
            capability_fit=50,
            closeness=Decimal(40 + n),
        )
        visit_plan(user=org.rep, account=account, planned_on=DAY, purpose=f"{HOSTILE} {n}")
        activity_create(
            user=org.rep,
            account=account,
            kind=ActivityKind.MEETING,
            occurred_on=DAY,
            subject=f"{HOSTILE} {n}",
        )
        action_create(user=org.rep, plan=plan, title=f"{HOSTILE} {n}")
    AccountGrading.objects.filter(account=account).update(created_at=noon)
    PlanAction.objects.filter(plan=plan).update(updated_at=noon)


def _pages(client, account, limit: int) -> tuple[list[dict], int]:
    items, cursor, pages = [], None, 0
    while True:
        query = {"limit": limit} | ({"cursor": cursor} if cursor else {})
        response = client.get(f"/accounts/{account.pk}/timeline", query)
        assert response.status_code == 200, response.content
        body = response.json()
        items += body["items"]
        pages += 1
        cursor = body["next"]
        if cursor is None:
            return items, pages


def _shown(entry) -> tuple:
    when = entry.when.replace(microsecond=entry.when.microsecond // 1000 * 1000)  # JSON: ms
    return (when, entry.kind, entry.title, entry.details)


@pytest.mark.parametrize("limit", [1, 3, 7, 500])
def test_pages_hold_every_entry_once_in_order(org, api, limit):
    account = make_account(org.rep, name=HOSTILE)
    _fill(org, account, rounds=4)
    with translation.override("en"):  # the language the API client asks for
        every = account_timeline(user=org.rep, account=account, limit=1000)
    assert len(every) > 20
    items, pages = _pages(api(org.rep), account, limit)
    got = [
        (datetime.fromisoformat(i["when"]), i["kind"], i["title"], tuple(i["details"]))
        for i in items
    ]
    assert got == [_shown(e) for e in every]
    assert pages == -(-len(every) // limit)
    assert [e.when for e in every] == sorted((e.when for e in every), reverse=True)
    assert {"grading", "monitoring", "visit", "activity", "action", "change"} <= {
        e.kind for e in every
    }


def test_the_page_without_a_cursor_is_the_newest(org, api):
    account = make_account(org.rep)
    _fill(org, account, rounds=2)
    body = api(org.rep).get(f"/accounts/{account.pk}/timeline", {"limit": 4}).json()
    with translation.override("en"):
        newest = account_timeline(user=org.rep, account=account, limit=4)
    assert [i["title"] for i in body["items"]] == [e.title for e in newest]
    assert body["next"]


@pytest.mark.parametrize(
    "query", [{"cursor": "not-a-cursor"}, {"cursor": "WyIxIl0"}, {"limit": 0}, {"limit": 501}]
)
def test_a_bad_cursor_or_limit_is_a_422(org, api, query):
    account = make_account(org.rep)
    response = api(org.rep).get(f"/accounts/{account.pk}/timeline", query)
    assert response.status_code == 422


def _page_queries(client, account, cursor=None) -> int:
    query = {"limit": 5} | ({"cursor": cursor} if cursor else {})
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/accounts/{account.pk}/timeline", query)
        assert response.status_code == 200
    return len(queries)


def test_a_page_costs_the_same_queries_with_more_entries(org, api):
    """One query a source, however many entries there are. (The history source reads on, a
    query a further chunk, only while the newest records are ones the timeline hides —
    gradings and readings shown by their own entries.)"""
    client = api(org.rep)
    account = make_account(org.rep)
    _fill(org, account, rounds=2)
    client.get("/me")
    cursor = client.get(f"/accounts/{account.pk}/timeline", {"limit": 5}).json()["next"]
    few = (_page_queries(client, account), _page_queries(client, account, cursor))
    plan = make_plan(account, 2028)
    for n in range(12):
        visit_plan(user=org.rep, account=account, planned_on=DAY, purpose=f"more {n}")
        activity_create(
            user=org.rep, account=account, kind=ActivityKind.CALL, occurred_on=DAY, subject="x"
        )
        action_create(user=org.rep, plan=plan, title=f"more {n}")
    cursor = client.get(f"/accounts/{account.pk}/timeline", {"limit": 5}).json()["next"]
    assert (_page_queries(client, account), _page_queries(client, account, cursor)) == few


def test_outsiders_and_partners_get_404(org, api):
    account = make_account(org.rep)
    _fill(org, account, rounds=1)
    for outsider in (org.other_manager, org.partner):
        response = api(outsider).get(f"/accounts/{account.pk}/timeline")
        assert response.status_code == 404
