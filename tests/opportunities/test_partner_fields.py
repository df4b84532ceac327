"""Partners are outsiders to internal work (METHOD.md §1; issue 11 item 2): on the deals their
company registered, a partner user reads and writes only the partner fields; internal
sub-resources answer 404; the internal rep never loses their deal."""

from datetime import date
from decimal import Decimal

import pytest

from tests.factories import make_account
from tests.opportunities.factories import make_competitor, products
from tests.opportunities.winning import add_event
from wuwei.accounts.models import Account
from wuwei.opportunities.models import Opportunity, OpportunityMember
from wuwei.opportunities.registrations import registration_convert, registration_create
from wuwei.opportunities.services import opportunity_competitor_add
from wuwei.people.services.activities import activity_create

SECRET = "<img src=x onerror=alert(1)> internal: the CIO favours us, price floor 7.2M"
INTERNAL_FIELDS = (
    "grade",
    "grade_override",
    "grade_override_reason",
    "track",
    "source",
    "owner",
    "owner_name",
    "team",
    "win_rate",
    "loss_reason",
    "winning_competitor",
    "winning_price",
    "notes",
)


@pytest.fixture
def account(org):
    return make_account(org.rep, name="宁波港集团", registration_number="91330200MA0001")


def _partner_led(org, account, *, by, owner=None, name="Port cloud"):
    registration = registration_create(
        user=by, account=account, partner=org.partner_team, products=products("cloud")
    )
    return registration_convert(
        user=by, registration=registration, name=name, amount=Decimal(8_000_000), owner=owner
    )


@pytest.fixture
def rep_deal(org, account):
    """A partner-led deal owned by an internal rep, with internal work on it."""
    deal = _partner_led(org, account, by=org.rep)
    opportunity_competitor_add(
        user=org.rep, opportunity=deal, competitor=make_competitor(org.rep, name="Rival Soft")
    )
    add_event(deal, org.rep)
    Opportunity.objects.filter(pk=deal.pk).update(win_rate=70, notes=SECRET)
    deal.refresh_from_db()
    return deal


@pytest.fixture
def partner_deal(org, account):
    """A partner-led deal the partner's company runs (converted by the partner)."""
    return _partner_led(org, account, by=org.partner, name="Partner run")


def _unchanged(deal, org):
    fresh = Opportunity.objects.get(pk=deal.pk)
    assert (fresh.owner_id, fresh.amount, fresh.stage, fresh.version) == (
        org.rep.pk,
        deal.amount,
        deal.stage,
        deal.version,
    )


# ----------------------------------------------------------------------------------------
# writes


@pytest.mark.parametrize(
    "payload",
    [
        {"owner": "partner"},
        {"amount": "1"},
        {"name": "renamed"},
        {"expected_close": "2027-06-30"},
        {"notes": "x"},
        {"team": "partner_team"},
    ],
    ids=lambda p: next(iter(p)),
)
def test_partner_patch_of_a_deal_run_by_our_rep_is_refused(org, api, rep_deal, payload):
    ids = {"partner": org.partner.pk, "partner_team": org.partner_team.pk}
    body = {k: ids.get(v, v) for k, v in payload.items()}
    response = api(org.partner).patch(
        f"/opportunities/{rep_deal.pk}", {**body, "version": rep_deal.version}
    )
    assert response.status_code == 403
    assert response.json()["detail"]
    _unchanged(rep_deal, org)
    assert api(org.rep).get(f"/opportunities/{rep_deal.pk}").status_code == 200


def test_partner_cannot_mark_a_deal_run_by_our_rep_lost(org, api, rep_deal):
    response = api(org.partner).post(
        f"/opportunities/{rep_deal.pk}/stage",
        {"to": "lost", "reason": "gone", "version": rep_deal.version},
    )
    assert response.status_code == 403
    _unchanged(rep_deal, org)


def test_partner_cannot_add_members_or_touch_compelling_events(org, api, rep_deal):
    client = api(org.partner)
    event = rep_deal.compelling_events.get()
    assert (
        client.post(f"/opportunities/{rep_deal.pk}/members", {"user": org.partner.pk}).status_code
        == 404
    )
    assert not OpportunityMember.objects.filter(opportunity=rep_deal, user=org.partner).exists()
    path = f"/opportunities/{rep_deal.pk}/compelling-events"
    assert client.post(path, {"description": "y"}).status_code == 404
    patched = client.patch(f"{path}/{event.pk}", {"description": "cut", "version": event.version})
    assert patched.status_code == 404
    assert client.delete(f"{path}/{event.pk}").status_code == 404
    event.refresh_from_db()
    assert event.archived_at is None and event.description != "cut"


def test_rep_keeps_their_deal_after_every_partner_attempt(org, api, rep_deal):
    client = api(org.partner)
    client.patch(f"/opportunities/{rep_deal.pk}", {"owner": org.partner.pk})
    client.post(f"/opportunities/{rep_deal.pk}/stage", {"to": "lost", "reason": "x"})
    client.delete(f"/opportunities/{rep_deal.pk}")
    body = api(org.rep).get(f"/opportunities/{rep_deal.pk}").json()
    assert (body["owner"], body["stage"], body["archived"]) == (org.rep.pk, "validate", False)


def test_partner_edits_the_partner_fields_of_a_deal_their_company_runs(
    org, api, partner_deal, rep_deal
):
    client = api(org.partner)
    path = f"/opportunities/{partner_deal.pk}"
    ok = client.patch(
        path,
        {"amount": "9000000", "expected_close": "2027-09-30", "products": ["cloud", "data"]},
        **{"If-Match": str(partner_deal.version)},
    )
    assert ok.status_code == 200, ok.json()
    assert (ok.json()["amount"], ok.json()["products"]) == ("9000000.00", ["cloud", "data"])
    version = ok.json()["version"]
    for internal in ({"notes": "x"}, {"grade_override": "A"}, {"source": "lead"}):
        refused = client.patch(path, {**internal, "version": version})
        assert refused.status_code == 403, internal
    # owner: never to anyone outside their company (other users are not even visible to them)
    assert client.patch(path, {"owner": org.rep.pk, "version": version}).status_code == 404
    moved = client.post(f"{path}/stage", {"to": "negotiation", "version": version})
    assert moved.status_code == 200
    assert Opportunity.objects.get(pk=partner_deal.pk).owner_id == org.partner.pk


def test_partner_cannot_create_a_direct_deal(org, api):
    own = make_account(org.rep, name="Partner's own customer")
    Account.objects.filter(pk=own.pk).update(owner=org.partner)
    response = api(org.partner).post("/opportunities", {"account": own.pk, "name": "Direct"})
    assert response.status_code == 403
    assert not Opportunity.objects.filter(name="Direct").exists()


# ----------------------------------------------------------------------------------------
# reads


INTERNAL_PATHS = [
    "competitors",
    "compelling-events",
    "questionnaires",
    "win-rate",
    "strategy",
    "tactics",
    "value-proposition",
    "decision-map",
    "ledger",
    "members",
    "stage-history",
]


@pytest.mark.parametrize("sub", INTERNAL_PATHS)
def test_partner_gets_404_on_every_internal_sub_resource(org, api, rep_deal, partner_deal, sub):
    for deal in (rep_deal, partner_deal):
        response = api(org.partner).get(f"/opportunities/{deal.pk}/{sub}")
        assert response.status_code == 404, (sub, deal.name)
        assert response.json() == api(org.partner).get(f"/opportunities/0/{sub}").json()
    assert api(org.rep).get(f"/opportunities/{rep_deal.pk}/{sub}").status_code == 200


def test_partner_lists_of_internal_records_are_empty(org, api, rep_deal):
    activity_create(
        user=org.rep,
        account=rep_deal.account,
        opportunity=rep_deal,
        kind="visit",
        occurred_on=date(2027, 1, 5),
        subject="Dinner with the CIO",
        notes=SECRET,
    )
    client = api(org.partner)
    for path in ("/presales/requests", "/coaching/reviews", "/competitors", "/activities"):
        assert client.get(path, {"opportunity": rep_deal.pk}).json()["items"] == [], path


def test_partner_deal_detail_has_no_internal_fields(org, api, rep_deal):
    body = api(org.partner).get(f"/opportunities/{rep_deal.pk}").json()
    assert {name: body[name] for name in INTERNAL_FIELDS} == dict.fromkeys(INTERNAL_FIELDS)
    assert SECRET not in str(body) and "Rival Soft" not in str(body)
    registration = rep_deal.registration
    assert (body["name"], body["amount"], body["stage"], body["products"]) == (
        "Port cloud",
        "8000000.00",
        "validate",
        ["cloud"],
    )
    assert body["account_registration_number"] == "91330200MA0001"
    assert body["protected_until"] == registration.expires_on.isoformat()
    # staff see everything
    staff = api(org.rep).get(f"/opportunities/{rep_deal.pk}").json()
    assert (staff["owner"], staff["win_rate"], staff["notes"], staff["grade"]) == (
        org.rep.pk,
        70,
        SECRET,
        "E",
    )


def test_partner_list_summary_and_filters_show_no_internal_fields(org, api, rep_deal):
    client = api(org.partner)
    items = client.get("/opportunities").json()["items"]
    assert [item["id"] for item in items] == [rep_deal.pk]
    assert all(item[name] is None for item in items for name in INTERNAL_FIELDS)
    summary = client.get("/opportunities/summary").json()
    assert (summary["count"], summary["by_grade"]) == (1, [])
    # filters on internal fields are no oracle: they are ignored for partners
    competitor = rep_deal.competitor_links.get().competitor_id
    for query in ({"grade": "A"}, {"competitor": competitor + 1000}, {"track": "big_project"}):
        assert [o["id"] for o in client.get("/opportunities", query).json()["items"]] == [
            rep_deal.pk
        ]


# ----------------------------------------------------------------------------------------
# pages


def test_partner_deal_page_shows_only_partner_fields_and_no_internal_tab(org, web, rep_deal):
    client = web(org.partner)
    page = client.get(f"/opportunities/{rep_deal.pk}/").content.decode()
    assert 'id="tab-overview"' in page
    for tab in ("team", "competitors", "timeline", "winrate", "events", "strategy", "value"):
        assert f'id="tab-{tab}"' not in page, tab
    markers = ('data-testid="grade"', 'data-testid="win-rate"', 'data-testid="process"')
    for internal in ("Rival Soft", "onerror", "price floor", "opportunity-decision-map", *markers):
        assert internal not in page, internal
    assert "91330200MA0001" in page and 'data-testid="protected-until"' in page
    # a deal run by our rep: no edit button, no stage form
    assert 'id="opportunity-edit"' not in page and 'id="stage-form"' not in page


@pytest.mark.parametrize(
    "path",
    [
        "/opportunities/{id}/winrate/",
        "/opportunities/{id}/events/",
        "/opportunities/{id}/strategy/",
        "/opportunities/{id}/value/",
        "/coaching/deals/{id}/",
        "/support/deals/{id}/",
        "/connections/deals/{id}/decision-map/",
    ],
)
def test_partner_internal_deal_pages_are_404(org, web, rep_deal, path):
    from django.urls import resolve

    url = path.format(id=rep_deal.pk)
    resolve(url)  # the path exists
    assert web(org.partner).get(url).status_code == 404


def test_partner_edit_page_has_only_partner_fields(org, web, rep_deal, partner_deal):
    client = web(org.partner)
    assert client.get(f"/opportunities/{rep_deal.pk}/edit/").status_code == 403
    page = client.get(f"/opportunities/{partner_deal.pk}/edit/").content.decode()
    for name in ("amount", "expected_close", "products"):
        assert f'name="{name}"' in page
    for name in ("notes", "owner", "team", "source", "grade_override"):
        assert f'name="{name}"' not in page, name
    own = client.get(f"/opportunities/{partner_deal.pk}/").content.decode()
    assert 'id="opportunity-edit"' in own and 'id="stage-form"' in own
    assert 'name="winning_competitor"' not in own


def test_partner_list_and_board_pages_show_no_owner_or_grade(org, web, rep_deal):
    client = web(org.partner)
    for url in ("/opportunities/", "/opportunities/board/"):
        page = client.get(url).content.decode()
        assert "Port cloud" in page, url
        assert "ww-grade-E" not in page and ">rep<" not in page, url
        assert 'data-testid="totals-by-grade"' not in page
    staff = web(org.rep).get("/opportunities/").content.decode()
    assert "ww-grade-E" in staff


# ----------------------------------------------------------------------------------------
# the list's rows (issue #17: built from values() rows, not model objects)


@pytest.mark.parametrize("who", ["rep", "manager", "executive", "partner"])
def test_every_list_item_is_exactly_the_deal_detail(org, api, rep_deal, partner_deal, who):
    """The list and the detail build their items from the columns they print; each is byte
    for byte what OpportunityOut over the model gives, for internal users and partners."""
    from tests.opportunities.factories import make_opportunity

    make_opportunity(org.rep, rep_deal.account, products=["data", "security"], name="Two lines")
    owner = org.rep
    owner.first_name, owner.last_name = "Li", "Lei"
    owner.save()
    archived = make_opportunity(org.rep, rep_deal.account, name="Gone")
    from wuwei.opportunities.services import opportunity_archive

    opportunity_archive(user=org.rep, opportunity=archived)
    client = api(getattr(org, who))
    for query in ({"limit": 500}, {"limit": 500, "archived": "true"}):
        items = client.get("/opportunities", query).json()["items"]
        assert items or (who == "partner" and "archived" in query)
        for item in items:
            assert item == client.get(f"/opportunities/{item['id']}").json()
            assert item == _schema_answer(getattr(org, who), item["id"])


def _schema_answer(user, deal_id):
    """OpportunityOut over the model graph, as ninja would render it: the reference."""
    import json

    from ninja.responses import NinjaJSONEncoder

    from wuwei.opportunities import partners, selectors
    from wuwei.opportunities.api.deals import OpportunityOut

    deal = selectors.opportunity_get(user=user, id=deal_id)
    data = OpportunityOut.from_orm(partners.shown(user, deal)).model_dump()
    return json.loads(json.dumps(data, cls=NinjaJSONEncoder))


def test_list_pages_through_values_rows(org, api, rep_deal, partner_deal):
    from tests.opportunities.factories import make_opportunity

    make_opportunity(org.rep, rep_deal.account, name="Another")
    client = api(org.rep)
    first = client.get("/opportunities", {"limit": 1, "sort": "name"}).json()
    second = client.get("/opportunities", {"limit": 1, "sort": "name", "cursor": first["next"]})
    names = [first["items"][0]["name"], second.json()["items"][0]["name"]]
    assert names == sorted(names) and names[0] != names[1]


def test_partner_company_of_several_users_sees_its_deal_once(org, api, partner_deal):
    """A deal the partner user owns, led by their company of two: one row, not one per
    colleague (the detail answered 500 and the list repeated the deal)."""
    from tests.factories import make_user
    from wuwei.org.models import Role

    make_user("partner2", roles=[Role.PARTNER_USER], team=org.partner_team)
    client = api(org.partner)
    assert client.get(f"/opportunities/{partner_deal.pk}").status_code == 200
    ids = [item["id"] for item in client.get("/opportunities", {"limit": 100}).json()["items"]]
    assert ids.count(partner_deal.pk) == 1
    version = partner_deal.version
    moved = client.patch(f"/opportunities/{partner_deal.pk}", {"name": "Ours", "version": version})
    assert moved.status_code == 200, moved.json()
