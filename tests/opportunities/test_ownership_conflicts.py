"""Ownership conflicts on deals (METHOD.md §7.3): a deal or a partner registration on an
account another segment team owns goes to the conflict queue, once per account and deal."""

from datetime import date

from tests.factories import make_account, make_team, make_user
from tests.opportunities.factories import make_opportunity, products
from wuwei.accounts.models import OwnershipConflict
from wuwei.opportunities.registrations import registration_convert, registration_create


def _ownership() -> list[OwnershipConflict]:
    return list(OwnershipConflict.objects.filter(kind="ownership").order_by("id"))


def test_deal_on_another_teams_account_raises_a_conflict(org):
    # given an account of East KA and a North KA rep who covers it
    account = make_account(org.rep, name="Acme Group")
    north_rep = make_user("north_rep", team=org.north_ka)
    account.members.add(north_rep)
    # when the North KA rep opens a deal on it
    deal = make_opportunity(north_rep, account, name="CRM rollout")
    # then one ownership conflict names the deal, both teams and the account
    [conflict] = _ownership()
    assert (conflict.status, conflict.account_id, conflict.opportunity_id) == (
        "open",
        account.pk,
        deal.pk,
    )
    assert conflict.details == {"team": org.north_ka.pk, "owning_team": org.east_ka.pk}
    assert conflict.raised_by_id == north_rep.pk
    assert conflict.summary == "North KA works on Acme Group, which East KA owns"


def test_deal_by_own_team_or_the_line_above_raises_nothing(org):
    account = make_account(org.rep)
    make_opportunity(org.rep, account)  # own team
    make_opportunity(org.peer_rep, account)  # same team
    make_opportunity(org.manager_above, account)  # the region above the owning team
    sub_team = make_team("East KA 1", parent=org.east_ka)
    make_opportunity(make_user("sub_rep", team=sub_team), account)  # a sub-team
    make_opportunity(org.executive, account)  # the company
    assert _ownership() == []


def test_once_per_account_and_deal(org):
    account = make_account(org.rep)
    north_rep = make_user("north_rep", team=org.north_ka)
    first = make_opportunity(north_rep, account)
    second = make_opportunity(north_rep, account)
    from wuwei.accounts.conflicts import ownership_conflict_check

    again = ownership_conflict_check(
        user=north_rep, account=account, team=org.north_ka, opportunity=first
    )
    assert [c.opportunity_id for c in _ownership()] == [first.pk, second.pk]
    assert again is not None and again.opportunity_id == first.pk


def test_partner_registration_on_an_owned_account_raises_once_with_its_deal(org):
    account = make_account(org.rep, registration_number="91330200MA0009")
    registration = registration_create(
        user=org.partner, account=account, products=products("cloud"), today=date.today()
    )
    [conflict] = _ownership()
    assert registration.conflict_id == conflict.pk
    assert conflict.details["registration"] == registration.pk
    assert conflict.opportunity_id is None
    # converting the registration makes it the same deal: the conflict names it, no second one
    deal = registration_convert(
        user=org.partner, registration=registration, name="Cloud", amount=300_000
    )
    [conflict] = _ownership()
    assert conflict.opportunity_id == deal.pk


def test_manager_of_the_owning_team_resolves_it(org, api):
    account = make_account(org.rep)
    north_rep = make_user("north_rep", team=org.north_ka)
    make_opportunity(north_rep, account)
    [conflict] = _ownership()
    # the owning team's manager sees it in the queue and decides
    queue = api(org.manager).get("/conflicts", {"kind": "ownership", "status": "open"}).json()
    assert [item["id"] for item in queue["items"]] == [conflict.pk]
    response = api(org.manager).post(
        f"/conflicts/{conflict.pk}/resolve",
        {"decision": "East KA keeps the account; North joins the deal team.", "version": 1},
    )
    assert response.status_code == 200, response.json()
    conflict.refresh_from_db()
    assert (conflict.status, conflict.decided_by_id) == ("resolved", org.manager.pk)
    # an outsider does not see it
    assert api(org.partner).get(f"/conflicts/{conflict.pk}").status_code == 404
