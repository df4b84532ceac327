"""Exactly-once writes (issue 11 item 3): an Idempotency-Key retry after a worker died returns
the stored answer and never makes a second row; a write that moves a record out of the
caller's sight answers 200/201, never a 404 after committing."""

import threading
import time
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from tests.factories import make_account
from tests.opportunities.factories import make_opportunity
from wuwei.accounts.models import Account
from wuwei.core.idempotency import IdempotencyMiddleware
from wuwei.core.models import IdempotencyRecord
from wuwei.opportunities.models import Opportunity, OpportunityMember


class WorkerKilled(BaseException):
    """What a SIGKILL looks like from inside: no `except Exception` handler sees it."""


@pytest.fixture
def account(org):
    return make_account(org.rep, name="上海地铁")


def _key(value):
    return {"Idempotency-Key": value}


def test_retry_after_a_crash_between_the_write_and_its_stored_answer_makes_one_row(
    org, api, account, monkeypatch
):
    """The worker dies after the view wrote the deal, before the answer was stored. The old
    middleware had committed the deal already; once the key was given up the retry created a
    second deal. Now the write and its stored answer commit together, or not at all."""
    real_init = IdempotencyMiddleware.__init__

    def init(self, get_response):
        def dies_after_the_view(request):
            get_response(request)
            raise WorkerKilled

        real_init(self, dies_after_the_view)

    payload = {"account": account.pk, "name": "Line 18 signalling", "amount": 10}
    monkeypatch.setattr(IdempotencyMiddleware, "__init__", init)
    with pytest.raises(WorkerKilled):
        api(org.rep).post("/opportunities", payload, **_key("crash-1"))
    monkeypatch.setattr(IdempotencyMiddleware, "__init__", real_init)
    # time passes: whatever the dead worker left behind is as old as it will ever get
    IdempotencyRecord.objects.update(created_at=timezone.now() - timedelta(days=1))

    retry = api(org.rep).post("/opportunities", payload, **_key("crash-1"))
    assert retry.status_code == 201
    assert Opportunity.objects.filter(name="Line 18 signalling").count() == 1
    again = api(org.rep).post("/opportunities", payload, **_key("crash-1"))
    assert (again.status_code, again["Idempotent-Replayed"]) == (201, "true")
    assert again.json() == retry.json()
    assert Opportunity.objects.filter(name="Line 18 signalling").count() == 1


def test_retry_after_a_crash_after_the_commit_replays_the_stored_answer(
    org, api, account, monkeypatch
):
    """The worker dies after the commit, before the answer left: the retry gets the stored
    answer (same id) and no second row."""
    real_call = IdempotencyMiddleware.__call__

    def call_then_die(self, request):
        real_call(self, request)
        raise WorkerKilled

    payload = {"account": account.pk, "name": "Line 19 signalling", "amount": 10}
    monkeypatch.setattr(IdempotencyMiddleware, "__call__", call_then_die)
    with pytest.raises(WorkerKilled):
        api(org.rep).post("/opportunities", payload, **_key("crash-2"))
    monkeypatch.setattr(IdempotencyMiddleware, "__call__", real_call)
    created = Opportunity.objects.get(name="Line 19 signalling")

    retry = api(org.rep).post("/opportunities", payload, **_key("crash-2"))
    assert (retry.status_code, retry["Idempotent-Replayed"]) == (201, "true")
    assert retry.json()["id"] == created.pk
    assert Opportunity.objects.filter(name="Line 19 signalling").count() == 1


def test_failed_request_with_a_key_keeps_nothing_and_can_be_corrected(org, api, account):
    client = api(org.rep)
    bad = client.post("/opportunities", {"account": account.pk, "name": ""}, **_key("k"))
    assert bad.status_code == 422
    assert not IdempotencyRecord.objects.filter(key="k").exists()
    good = client.post("/opportunities", {"account": account.pk, "name": "Fixed"}, **_key("k"))
    assert good.status_code == 201
    record = IdempotencyRecord.objects.get(key="k")
    assert (record.status, record.path) == (201, "/api/v1/opportunities")


# ----------------------------------------------------------------------------------------
# writes that move a record out of the caller's sight


def test_rep_creating_a_deal_for_a_colleague_gets_201_and_stays_on_its_team(org, api, account):
    """Before: 201 was a 404 (the rep could not see the deal they had just made for a peer),
    and the client's retry created a duplicate."""
    client = api(org.rep)
    payload = {"account": account.pk, "name": "For my peer", "owner": org.peer_rep.pk}
    response = client.post("/opportunities", payload)
    assert response.status_code == 201
    body = response.json()
    assert (body["name"], body["owner"]) == ("For my peer", org.peer_rep.pk)
    assert OpportunityMember.objects.filter(opportunity_id=body["id"], user=org.rep).exists()
    assert client.get(f"/opportunities/{body['id']}").status_code == 200
    assert Opportunity.objects.filter(name="For my peer").count() == 1


def test_a_manager_creating_for_their_rep_is_not_added_to_the_team(org, api, account):
    response = api(org.manager).post(
        "/opportunities", {"account": account.pk, "name": "Team deal", "owner": org.rep.pk}
    )
    assert response.status_code == 201
    assert not OpportunityMember.objects.filter(opportunity_id=response.json()["id"]).exists()


def test_handing_a_deal_to_another_team_answers_200_not_404(org, api, account):
    deal = make_opportunity(org.rep, account)
    client = api(org.rep)
    response = client.patch(
        f"/opportunities/{deal.pk}", {"owner": org.other_manager.pk, "team": None, "version": 1}
    )
    assert response.status_code == 200
    assert (response.json()["owner"], response.json()["version"]) == (org.other_manager.pk, 2)
    assert client.get(f"/opportunities/{deal.pk}").status_code == 404  # handed over
    assert Opportunity.objects.get(pk=deal.pk).owner_id == org.other_manager.pk


def test_handing_an_account_to_another_team_answers_200_not_404(org, api, account):
    client = api(org.rep)
    response = client.patch(
        f"/accounts/{account.pk}", {"owner": org.other_manager.pk, "version": 1}
    )
    assert response.status_code == 200
    assert response.json()["owner"] == org.other_manager.pk
    assert client.get(f"/accounts/{account.pk}").status_code == 404
    created = client.post("/accounts", {"name": "For the north", "owner": org.other_manager.pk})
    assert created.status_code == 201
    assert Account.objects.filter(name="For the north").count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks between two connections: PostgreSQL"
)
def test_two_concurrent_requests_with_one_key_make_one_row(org, api, account, monkeypatch):
    """The second request waits on the key of the first (unique user+key index), then gets
    the stored answer (or 409 while the first still runs): never a second deal."""
    from wuwei.opportunities import services

    first_in_view = threading.Event()
    real_create = services.opportunity_create

    def slow_create(**kwargs):
        first_in_view.set()
        time.sleep(0.5)  # let the second request arrive while the first holds its key
        return real_create(**kwargs)

    monkeypatch.setattr(services, "opportunity_create", slow_create)
    payload = {"account": account.pk, "name": "Raced", "amount": 10}
    clients = [api(org.rep), api(org.rep)]
    results: list[object] = [None, None]

    def send(index):
        try:
            results[index] = clients[index].post("/opportunities", payload, **_key("race"))
        finally:
            connection.close()

    first = threading.Thread(target=send, args=(0,))
    first.start()
    assert first_in_view.wait(timeout=30)
    second = threading.Thread(target=send, args=(1,))
    second.start()
    first.join(timeout=60)
    second.join(timeout=60)
    assert not first.is_alive() and not second.is_alive()
    statuses = sorted(r.status_code for r in results)
    assert statuses in ([201, 201], [201, 409])
    assert Opportunity.objects.filter(name="Raced").count() == 1
    bodies = [r.json() for r in results if r.status_code == 201]
    assert all(body["id"] == bodies[0]["id"] for body in bodies)
