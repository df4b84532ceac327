"""Partner registrations (§4.2 E): protection, overlap conflicts, partner-only visibility."""

from datetime import date, timedelta

import pytest

from tests.factories import make_account, make_team, make_user
from tests.opportunities.factories import make_opportunity, products, version_of
from wuwei.accounts.models import OwnershipConflict
from wuwei.opportunities.models import PartnerRegistration
from wuwei.opportunities.registrations import registration_create
from wuwei.org.models import Role, TeamKind


@pytest.fixture
def account(org):
    return make_account(org.rep, name="宁波港集团", registration_number="91330200MA0001")


@pytest.fixture
def rival_partner(org):
    team = make_team("Rival Partner", kind=TeamKind.PARTNER, parent=org.company)
    return make_user("rival_partner", roles=[Role.PARTNER_USER], team=team)


def register(client, account, codes, **extra):
    payload = {"customer_registration_number": account.registration_number, "products": codes}
    return client.post("/registrations", {**payload, **extra})


def test_partner_registers_with_90_day_protection(org, api, account):
    response = register(api(org.partner), account, ["cloud"])
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["partner"], body["account"], body["products"]) == (
        org.partner_team.pk,
        account.pk,
        ["cloud"],
    )
    registered = date.fromisoformat(body["registered_on"])
    assert date.fromisoformat(body["expires_on"]) - registered == timedelta(days=90)
    assert body["status"] == "active"
    # the account belongs to East KA: a partner working it is an ownership conflict (§7.3)
    assert OwnershipConflict.objects.get(pk=body["conflict"]).kind == "ownership"


def test_protection_days_come_from_the_method_configuration(org, account):
    from wuwei.core.config import method_config_update

    method_config_update(
        user=org.admin, data={"partner": {"protection_days": 30}}, expected_version=None
    )
    registration = registration_create(
        user=org.partner, account=account, products=products("cloud"), today=date(2027, 1, 1)
    )
    assert registration.expires_on == date(2027, 1, 31)


def test_overlapping_second_registration_opens_a_conflict(org, api, account, rival_partner):
    first = register(api(org.partner), account, ["cloud", "network"]).json()
    second = register(api(rival_partner), account, ["network", "security"]).json()
    assert OwnershipConflict.objects.get(pk=first["conflict"]).kind == "ownership"
    conflict = OwnershipConflict.objects.get(pk=second["conflict"])
    assert (conflict.kind, conflict.status, conflict.account_id) == (
        "registration_overlap",
        "open",
        account.pk,
    )
    assert conflict.details["overlapping_registrations"] == [first["id"]]
    assert conflict.details["products"] == ["network", "security"]


def test_disjoint_scope_or_expired_registration_is_no_conflict(org, api, account, rival_partner):
    registration_create(
        user=org.partner,
        account=account,
        products=products("cloud"),
        today=date.today() - timedelta(days=91),
    )  # protection over
    register(api(org.partner), account, ["cloud"])
    response = register(api(rival_partner), account, ["security"])
    # no overlap: only the ownership conflicts of a partner on East KA's account (§7.3)
    assert OwnershipConflict.objects.get(pk=response.json()["conflict"]).kind == "ownership"
    assert OwnershipConflict.objects.exclude(kind="ownership").count() == 0


def test_direct_deal_on_registered_scope_opens_a_conflict(org, api, account):
    register(api(org.partner), account, ["data"])
    deal = make_opportunity(org.rep, account, products=["data", "cloud"])
    conflict = OwnershipConflict.objects.exclude(kind="ownership").get()
    assert (conflict.kind, conflict.opportunity_id) == ("direct_vs_registration", deal.pk)
    make_opportunity(org.rep, account, products=["cloud"])
    assert OwnershipConflict.objects.exclude(kind="ownership").count() == 1


def test_registration_on_a_direct_deal_scope_opens_a_conflict(org, api, account):
    deal = make_opportunity(org.rep, account, products=["software"])
    body = register(api(org.partner), account, ["software"]).json()
    conflict = OwnershipConflict.objects.get(pk=body["conflict"])
    assert (conflict.kind, conflict.opportunity_id) == ("direct_vs_registration", deal.pk)


def test_partner_converts_registration_to_a_grade_e_deal(org, api, account):
    client = api(org.partner)
    registration = register(client, account, ["cloud"]).json()
    response = client.post(
        f"/registrations/{registration['id']}/convert", {"name": "Port cloud", "amount": "8000000"}
    )
    assert response.status_code == 201
    body = response.json()
    # grade, track and source are internal (METHOD.md §1): null for the partner, set for staff
    assert (body["grade"], body["track"], body["partner"], body["source"]) == (
        None,
        None,
        org.partner_team.pk,
        None,
    )
    staff = api(org.admin).get(f"/opportunities/{body['id']}").json()
    assert (staff["grade"], staff["track"], staff["source"]) == ("E", "partner", "partner")
    assert body["products"] == ["cloud"]
    assert client.get(f"/registrations/{registration['id']}").json()["status"] == "converted"
    # the partner sees and moves their own deal, fast (E may jump)
    assert (
        client.post(
            f"/opportunities/{body['id']}/stage",
            {"to": "negotiation", "version": version_of(body["id"])},
        ).status_code
        == 200
    )
    assert (
        client.post(
            f"/registrations/{registration['id']}/convert", {"name": "again", "amount": 1}
        ).status_code
        == 409
    )


def test_partner_user_sees_only_their_own_registrations_and_deals(org, api, account, rival_partner):
    mine = register(api(org.partner), account, ["cloud"]).json()
    theirs = register(api(rival_partner), account, ["security"]).json()
    mine_deal = (
        api(org.partner)
        .post(f"/registrations/{mine['id']}/convert", {"name": "Mine", "amount": 1})
        .json()
    )
    direct = make_opportunity(org.rep, account, name="Direct")
    client = api(org.partner)
    assert [r["id"] for r in client.get("/registrations").json()["items"]] == [mine["id"]]
    assert client.get(f"/registrations/{theirs['id']}").status_code == 404
    assert [o["id"] for o in client.get("/opportunities").json()["items"]] == [mine_deal["id"]]
    assert client.get(f"/opportunities/{direct.pk}").status_code == 404
    assert client.get("/opportunities/summary").json()["count"] == 1
    assert client.get("/competitors").json()["items"] == []
    # staff who can see the account see both registrations
    ids = {r["id"] for r in api(org.manager).get("/registrations").json()["items"]}
    assert ids == {mine["id"], theirs["id"]}
    assert api(org.other_manager).get("/registrations").json()["items"] == []


def test_partner_cannot_register_for_another_partner_or_unknown_customer(
    org, api, account, rival_partner
):
    client = api(org.partner)
    other_team = rival_partner.team
    response = register(client, account, ["cloud"], partner=other_team.pk)
    assert response.status_code in (403, 404)
    unknown = client.post(
        "/registrations", {"customer_registration_number": "nope", "products": ["cloud"]}
    )
    assert unknown.status_code == 404
    assert PartnerRegistration.objects.count() == 0


def test_staff_register_on_behalf_of_a_partner(org, api, account):
    client = api(org.rep)
    assert (
        client.post("/registrations", {"account": account.pk, "products": ["cloud"]}).status_code
        == 422
    )
    response = client.post(
        "/registrations",
        {"account": account.pk, "products": ["cloud"], "partner": org.partner_team.pk},
    )
    assert response.status_code == 201
    assert api(org.partner).get(f"/registrations/{response.json()['id']}").status_code == 200
