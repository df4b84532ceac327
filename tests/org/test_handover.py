"""Handover (METHOD.md §3.5): everything moves to named successors in one transaction, with
an audit record; nobody inactive owns anything."""

from datetime import date

import pytest

from tests.factories import make_account, make_contact, make_user
from tests.people.helpers import log_activity, make_opportunity
from wuwei.accounts.models import Account
from wuwei.core.errors import ValidationFailed
from wuwei.opportunities.models import Opportunity
from wuwei.org import handover
from wuwei.org.models import HandoverRecord, User
from wuwei.people import services
from wuwei.people.models import Activity, Connection


@pytest.fixture
def leaver_book(org):
    """The rep owns accounts, a deal, is on a colleague's deal team, knows people, logs work."""
    account = make_account(org.rep)
    covered = make_account(org.peer_rep)
    covered.members.add(org.rep)
    contact = make_contact(account)
    known_by_both = make_contact(account)
    deal = make_opportunity(account)
    colleague_deal = make_opportunity(covered, owner=org.peer_rep)
    colleague_deal.members.add(org.rep)
    services.connection_create(user=org.rep, employee=org.rep, contact=contact, how="classmate")
    services.connection_create(user=org.rep, employee=org.rep, contact=known_by_both, how="friend")
    services.connection_create(
        user=org.peer_rep, employee=org.peer_rep, contact=known_by_both, how="business"
    )
    log_activity(account, [contact], on=date.today())
    return {"account": account, "covered": covered, "deal": deal, "colleague_deal": colleague_deal}


def owned_by(user: User) -> dict[str, int]:
    return {p.key: p.count for p in handover.handover_pending(user) if p.count}


def test_deactivation_is_refused_while_the_user_owns_records(org, api, leaver_book):
    response = api(org.admin).patch(f"/users/{org.rep.pk}", {"is_active": False})
    assert response.status_code == 409
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {
        "accounts",
        "account_coverage",
        "opportunities",
        "deal_teams",
        "connections",
        "activities",
        "stage_owners",  # the opportunity's first stage is the owner's (MCI §5.3)
    }
    assert User.objects.get(pk=org.rep.pk).is_active is True


def test_deactivation_with_a_successor_hands_everything_over(org, api, leaver_book):
    response = api(org.admin).patch(
        f"/users/{org.rep.pk}",
        {"is_active": False, "successor": org.peer_rep.pk, "handover_note": "Left in June"},
    )
    assert response.status_code == 200
    assert response.json()["is_active"] is False
    rep = User.objects.get(pk=org.rep.pk)
    assert owned_by(rep) == {}
    assert Account.objects.get(pk=leaver_book["account"].pk).owner_id == org.peer_rep.pk
    assert list(leaver_book["covered"].members.all()) == [org.peer_rep]
    assert Opportunity.objects.get(pk=leaver_book["deal"].pk).owner_id == org.peer_rep.pk
    assert list(leaver_book["colleague_deal"].members.all()) == [org.peer_rep]
    # the peer already knew one of the two people: their own connection stays
    assert Connection.objects.filter(employee=org.peer_rep).count() == 2
    inherited = Connection.objects.get(employee=org.peer_rep, how="classmate")
    assert inherited.note.startswith("Inherited from rep on ")
    assert Activity.objects.get().owner_id == org.peer_rep.pk
    assert Activity.objects.get().created_by_id == org.rep.pk
    record = HandoverRecord.objects.get()
    assert (record.reason, record.deactivated, record.note) == (
        "deactivation",
        True,
        "Left in June",
    )
    assert record.details["accounts"]["count"] == 1
    assert record.details["accounts"]["successor"] == org.peer_rep.pk
    account_history = Account.history.filter(id=leaver_book["account"].pk).first()
    assert (account_history.history_change_reason, account_history.history_user_id) == (
        "handover",
        org.admin.pk,
    )


def test_named_successors_per_step_and_territory_change(org, api, leaver_book):
    newcomer = make_user("newcomer", team=org.east_ka)
    response = api(org.admin).post(
        f"/users/{org.rep.pk}/handover",
        {
            "reason": "territory_change",
            "successor": org.peer_rep.pk,
            "successors": {"opportunities": newcomer.pk},
            "team": org.north_ka.pk,
        },
    )
    assert response.status_code == 201
    assert Opportunity.objects.get(pk=leaver_book["deal"].pk).owner_id == newcomer.pk
    assert Account.objects.get(pk=leaver_book["account"].pk).owner_id == org.peer_rep.pk
    rep = User.objects.get(pk=org.rep.pk)
    assert (rep.is_active, rep.team_id) == (True, org.north_ka.pk)
    assert owned_by(rep) == {}


def test_a_missing_successor_changes_nothing(org, api, leaver_book):
    response = api(org.admin).post(
        f"/users/{org.rep.pk}/handover",
        {"reason": "deactivation", "successors": {"accounts": org.peer_rep.pk}, "deactivate": True},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"].startswith("successors.")
    assert Account.objects.get(pk=leaver_book["account"].pk).owner_id == org.rep.pk
    assert HandoverRecord.objects.count() == 0


def test_handover_is_atomic_when_a_step_fails(org, leaver_book):
    def explode(user, successor, actor):
        raise ValidationFailed("boom")

    handover.register_step("zz_explodes", "Explodes", lambda user: 1, explode)
    try:
        with pytest.raises(ValidationFailed):
            handover.handover_run(
                actor=org.admin,
                user=org.rep,
                reason="deactivation",
                default_successor=org.peer_rep,
                deactivate=True,
            )
    finally:
        handover._steps.pop("zz_explodes")
    assert Account.objects.get(pk=leaver_book["account"].pk).owner_id == org.rep.pk
    assert Connection.objects.filter(employee=org.rep).count() == 2
    assert User.objects.get(pk=org.rep.pk).is_active is True
    assert HandoverRecord.objects.count() == 0


def test_successor_must_be_active_and_someone_else(org, leaver_book):
    with pytest.raises(ValidationFailed):
        handover.handover_run(
            actor=org.admin, user=org.rep, reason="deactivation", default_successor=org.rep
        )
    inactive = make_user("inactive", team=org.east_ka)
    User.objects.filter(pk=inactive.pk).update(is_active=False)
    inactive.refresh_from_db()
    with pytest.raises(ValidationFailed):
        handover.handover_run(
            actor=org.admin, user=org.rep, reason="deactivation", default_successor=inactive
        )


def test_preview_and_permissions(org, api, leaver_book):
    path = f"/users/{org.rep.pk}/handover"
    assert api(None).get(path).status_code == 401
    assert api(org.peer_rep).get(path).status_code == 403
    assert api(org.other_manager).get(path).status_code == 403
    assert api(org.partner).get(path).status_code == 404
    preview = {
        p["key"]: p["count"] for p in api(org.manager).get(path).json()["steps"] if p["count"]
    }
    assert preview == {
        "accounts": 1,
        "account_coverage": 1,
        "opportunities": 1,
        "deal_teams": 1,
        "connections": 2,
        "activities": 1,
        "stage_owners": 1,
    }
    denied = api(org.peer_rep).post(path, {"reason": "deactivation", "successor": org.peer_rep.pk})
    assert denied.status_code == 403
    assert HandoverRecord.objects.count() == 0
    assert api(org.rep).get("/handovers").status_code == 403
    assert api(org.admin).get("/handovers").json()["items"] == []


def test_a_user_who_owns_nothing_can_be_deactivated(org, api):
    response = api(org.admin).patch(f"/users/{org.presales.pk}", {"is_active": False})
    assert response.status_code == 200
    assert response.json()["is_active"] is False
