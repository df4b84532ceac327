"""/opportunities API: create, grade and track, override, stage moves, filters, pagination."""

from datetime import UTC, date, timedelta
from decimal import Decimal

import pytest

from tests.factories import make_account
from tests.opportunities.factories import make_competitor, make_opportunity, version_of
from wuwei.competitors.models import CompetitorPrice
from wuwei.opportunities.models import Opportunity, StageHistory


@pytest.fixture
def account(org):
    return make_account(org.rep, name="上海银行")


@pytest.mark.parametrize(
    ("amount", "grade", "track"),
    [
        ("0", "D", "fast_track"),
        ("199999.99", "D", "fast_track"),
        ("200000", "C", "fast_track"),
        ("200000.00", "C", "fast_track"),
        ("999999.99", "C", "fast_track"),
        ("1000000", "B", "big_project"),
        ("4999999.99", "B", "big_project"),
        ("5000000", "A", "big_project"),
        ("5000000.00", "A", "big_project"),
    ],
)
def test_grade_thresholds_at_the_boundaries(org, api, account, amount, grade, track):
    response = api(org.rep).post(
        "/opportunities", {"account": account.pk, "name": "Core banking", "amount": amount}
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["grade"], body["track"], body["stage"]) == (grade, track, "validate")
    assert body["amount"] == str(Decimal(amount).quantize(Decimal("0.01")))


def test_grade_follows_the_amount_on_patch(org, api, account):
    client = api(org.rep)
    deal = client.post("/opportunities", {"account": account.pk, "name": "X", "amount": 199999.99})
    body = client.patch(f"/opportunities/{deal.json()['id']}", {"amount": "200000", "version": 1})
    assert (body.json()["grade"], body.json()["version"]) == ("C", 2)


def test_negative_amount_is_422(org, api, account):
    response = api(org.rep).post(
        "/opportunities", {"account": account.pk, "name": "X", "amount": -1}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "amount"


def test_override_without_reason_is_422_and_changes_nothing(org, api, account):
    deal = make_opportunity(org.rep, account, amount=300_000)
    response = api(org.rep).patch(
        f"/opportunities/{deal.pk}", {"grade_override": "A", "version": 1}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "grade_override_reason"
    deal.refresh_from_db()
    assert (deal.grade, deal.grade_override, deal.version) == ("C", "", 1)


def test_override_with_reason_changes_grade_and_track_and_is_audited(org, api, account):
    deal = make_opportunity(org.rep, account, amount=300_000)
    response = api(org.rep).patch(
        f"/opportunities/{deal.pk}",
        {"grade_override": "A", "grade_override_reason": "Flagship reference", "version": 1},
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["grade"], body["track"], body["grade_override"]) == ("A", "big_project", "A")
    record = Opportunity.history.filter(id=deal.pk).order_by("-history_id").first()
    assert record.history_user == org.rep
    assert record.history_change_reason == "grade override — → A: Flagship reference"
    assert record.prev_record.grade == "C"


def test_override_down_and_clear_again(org, api, account):
    deal = make_opportunity(org.rep, account, amount=6_000_000)
    client = api(org.rep)
    down = client.patch(
        f"/opportunities/{deal.pk}",
        {"grade_override": "C", "grade_override_reason": "Pilot only", "version": 1},
    ).json()
    assert (down["grade"], down["track"]) == ("C", "fast_track")
    cleared = client.patch(
        f"/opportunities/{deal.pk}", {"grade_override": None, "version": 2}
    ).json()
    assert (cleared["grade"], cleared["grade_override"], cleared["grade_override_reason"]) == (
        "A",
        "",
        "",
    )


def test_override_on_create_needs_a_reason(org, api, account):
    client = api(org.rep)
    payload = {"account": account.pk, "name": "X", "amount": 10, "grade_override": "B"}
    assert client.post("/opportunities", payload).status_code == 422
    payload["grade_override_reason"] = "Strategic logo"
    assert client.post("/opportunities", payload).json()["grade"] == "B"


def test_override_to_e_is_refused(org, api, account):
    deal = make_opportunity(org.rep, account)
    response = api(org.rep).patch(
        f"/opportunities/{deal.pk}",
        {"grade_override": "E", "grade_override_reason": "why not", "version": 1},
    )
    assert response.status_code == 422


def test_fast_track_jumps_from_validate_to_negotiation(org, api, account):
    deal = make_opportunity(org.rep, account, amount=300_000)  # C
    response = api(org.rep).post(
        f"/opportunities/{deal.pk}/stage", {"to": "negotiation", "version": version_of(deal.pk)}
    )
    assert response.status_code == 200
    assert response.json()["stage"] == "negotiation"


def test_big_project_cannot_skip_a_stage(org, api, account):
    deal = make_opportunity(org.rep, account, amount=1_000_000)  # B
    response = api(org.rep).post(
        f"/opportunities/{deal.pk}/stage", {"to": "negotiation", "version": version_of(deal.pk)}
    )
    assert response.status_code == 409
    body = response.json()
    assert body["detail"] == "This stage move is not allowed."
    assert [r["code"] for r in body["reasons"]] == ["skip_not_allowed"]
    assert body["reasons"][0]["params"]["next_stage"] == "initiate"
    assert "Initiate" in body["reasons"][0]["message"]  # stage names from the template
    english = api(org.rep).post(
        f"/opportunities/{deal.pk}/stage",
        {"to": "negotiation", "version": version_of(deal.pk)},
        **{"Accept-Language": "en"},
    )
    assert (
        "the next stage is Initiate, not Negotiation & signing"
        in english.json()["reasons"][0]["message"]
    )
    assert body["errors"][0]["field"] == "to"
    deal.refresh_from_db()
    assert (deal.stage, deal.version) == ("validate", 1)
    assert StageHistory.objects.filter(opportunity=deal).count() == 1


def test_big_project_moves_one_stage_and_back(org, api, account):
    deal = make_opportunity(org.rep, account, amount=5_000_000)
    client = api(org.rep)
    assert (
        client.post(
            f"/opportunities/{deal.pk}/stage", {"to": "initiate", "version": version_of(deal.pk)}
        ).status_code
        == 200
    )
    assert (
        client.post(
            f"/opportunities/{deal.pk}/stage", {"to": "validate", "version": version_of(deal.pk)}
        ).status_code
        == 200
    )


def test_lost_needs_a_reason_and_records_the_winner_and_price(org, api, account):
    deal = make_opportunity(org.rep, account, amount=300_000)
    rival = make_competitor(org.rep, "Rival Co")
    client = api(org.rep)
    refused = client.post(
        f"/opportunities/{deal.pk}/stage", {"to": "lost", "version": version_of(deal.pk)}
    )
    assert refused.status_code == 409
    assert [r["code"] for r in refused.json()["reasons"]] == ["lost_needs_reason"]
    response = client.post(
        f"/opportunities/{deal.pk}/stage",
        {
            "to": "lost",
            "reason": "Price",
            "winning_competitor": rival.pk,
            "winning_price": "250000",
            "version": version_of(deal.pk),
        },
    )
    body = response.json()
    assert (body["stage"], body["loss_reason"], body["winning_competitor"]) == (
        "lost",
        "Price",
        rival.pk,
    )
    assert body["winning_price"] == "250000.00"
    assert body["closed_on"] is not None
    price = CompetitorPrice.objects.get(competitor=rival)
    assert (price.price, price.opportunity_id) == (Decimal("250000.00"), deal.pk)
    assert (
        client.get(f"/opportunities/{deal.pk}/competitors").json()["items"][0]["competitor"]
        == rival.pk
    )
    # closed is final
    again = client.post(
        f"/opportunities/{deal.pk}/stage", {"to": "validate", "version": version_of(deal.pk)}
    )
    assert [r["code"] for r in again.json()["reasons"]] == ["stage_closed"]


def test_won_only_from_negotiation(org, api, account):
    deal = make_opportunity(org.rep, account, amount=300_000)
    client = api(org.rep)
    response = client.post(
        f"/opportunities/{deal.pk}/stage", {"to": "won", "version": version_of(deal.pk)}
    )
    assert [r["code"] for r in response.json()["reasons"]] == ["won_only_from_negotiation"]
    client.post(
        f"/opportunities/{deal.pk}/stage", {"to": "negotiation", "version": version_of(deal.pk)}
    )
    assert (
        client.post(
            f"/opportunities/{deal.pk}/stage", {"to": "won", "version": version_of(deal.pk)}
        ).json()["stage"]
        == "won"
    )


def test_stage_move_with_stale_version_is_409(org, api, account):
    deal = make_opportunity(org.rep, account, amount=300_000)
    client = api(org.rep)
    client.patch(f"/opportunities/{deal.pk}", {"notes": "x", "version": 1})
    response = client.post(f"/opportunities/{deal.pk}/stage", {"to": "initiate", "version": 1})
    assert response.status_code == 409
    assert response.json()["errors"] == [{"field": "version", "message": "stale"}]


def test_stage_move_without_version_is_422_and_changes_nothing(org, api, account):
    deal = make_opportunity(org.rep, account, amount=300_000)
    client = api(org.rep)
    response = client.post(f"/opportunities/{deal.pk}/stage", {"to": "initiate"})
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "version", "message": "This field is required."}]
    deal.refresh_from_db()
    assert (deal.stage, deal.version) == ("validate", 1)
    by_header = client.post(
        f"/opportunities/{deal.pk}/stage", {"to": "initiate"}, **{"If-Match": '"1"'}
    )
    assert by_header.status_code == 200
    stale = client.post(f"/opportunities/{deal.pk}/stage", {"to": "validate"}, **{"If-Match": "1"})
    assert stale.status_code == 409


def test_unknown_stage_is_422(org, api, account):
    deal = make_opportunity(org.rep, account)
    assert (
        api(org.rep)
        .post(f"/opportunities/{deal.pk}/stage", {"to": "heaven", "version": version_of(deal.pk)})
        .status_code
        == 422
    )


def test_stage_history_lists_entered_and_left_by_whom(org, api, account):
    deal = make_opportunity(org.rep, account, amount=2_000_000)
    client = api(org.manager)
    client.post(
        f"/opportunities/{deal.pk}/stage",
        {"to": "initiate", "reason": "approved", "version": version_of(deal.pk)},
    )
    history = api(org.rep).get(f"/opportunities/{deal.pk}/stage-history").json()["items"]
    assert [(h["stage"], h["entered_by"], h["left_by"]) for h in history] == [
        ("validate", org.rep.pk, org.manager.pk),
        ("initiate", org.manager.pk, None),
    ]
    assert history[0]["left_at"] == history[1]["entered_at"]
    assert history[1]["reason"] == "approved"
    assert history[1]["left_at"] is None


def test_filters_by_stage_grade_owner_account_and_close_period(org, api, account):
    other = make_account(org.rep, name="Other")
    a = make_opportunity(
        org.rep, account, 6_000_000, name="A deal", expected_close=date(2027, 2, 10)
    )
    b = make_opportunity(org.rep, other, 300_000, name="C deal", expected_close=date(2027, 5, 1))
    c = make_opportunity(
        org.manager, account, 50_000, name="D deal", expected_close=date(2027, 2, 1)
    )
    api(org.rep).post(
        f"/opportunities/{b.pk}/stage", {"to": "bidding", "version": version_of(b.pk)}
    )
    client = api(org.manager)

    def names(params):
        return sorted(o["name"] for o in client.get("/opportunities", params).json()["items"])

    assert names({"grade": "A"}) == ["A deal"]
    assert names({"stage": "bidding"}) == ["C deal"]
    assert names({"owner": "me"}) == ["D deal"]
    assert names({"owner": str(org.rep.pk), "account": account.pk}) == ["A deal"]
    assert names({"close_period": "2027-Q1"}) == ["A deal", "D deal"]
    assert names({"close_period": "2027-05"}) == ["C deal"]
    assert names({"close_from": "2027-02-05", "close_to": "2027-12-31"}) == ["A deal", "C deal"]
    assert names({"team": org.east_ka.pk, "q": "deal", "track": "fast_track"}) == [
        "C deal",
        "D deal",
    ]
    assert names({"status": "open"}) == ["A deal", "C deal", "D deal"]
    assert client.get("/opportunities", {"close_period": "2027-13"}).status_code == 422
    assert {a.pk, c.pk} <= {o["id"] for o in client.get("/opportunities").json()["items"]}


def test_member_filter_and_deal_team_roles(org, api, account):
    deal = make_opportunity(org.rep, account)
    client = api(org.rep)
    added = client.post(
        f"/opportunities/{deal.pk}/members", {"user": org.presales.pk, "role": "presales"}
    )
    assert added.status_code == 201
    assert added.json() == {"user": org.presales.pk, "name": "presales", "role": "presales"}
    assert [
        o["id"] for o in api(org.presales).get("/opportunities", {"member": "me"}).json()["items"]
    ] == [deal.pk]
    assert client.delete(f"/opportunities/{deal.pk}/members/{org.presales.pk}").status_code == 204
    assert api(org.presales).get(f"/opportunities/{deal.pk}").status_code == 404


def test_keyset_pagination_walks_every_row_once(org, api, account):
    for i in range(7):
        make_opportunity(org.rep, account, amount=1000 * (i % 3), name=f"Deal {i}")
    client = api(org.rep)
    seen, cursor = [], None
    while True:
        params = {"limit": 3, "count": "true", **({"cursor": cursor} if cursor else {})}
        body = client.get("/opportunities", params).json()
        assert body["count"] == 7
        seen += [o["name"] for o in body["items"]]
        cursor = body["next"]
        if cursor is None:
            break
    assert sorted(seen) == [f"Deal {i}" for i in range(7)]
    assert len(seen) == 7


def test_summary_totals_by_stage_and_grade(org, api, account):
    make_opportunity(org.rep, account, 6_000_000)
    make_opportunity(org.rep, account, 300_000)
    deal = make_opportunity(org.rep, account, 200_000)
    api(org.rep).post(
        f"/opportunities/{deal.pk}/stage", {"to": "bidding", "version": version_of(deal.pk)}
    )
    body = api(org.rep).get("/opportunities/summary").json()
    assert (body["count"], body["amount"]) == (3, "6500000.00")
    stages = {t["key"]: (t["count"], t["amount"]) for t in body["by_stage"]}
    assert stages["validate"] == (2, "6300000.00")
    assert stages["bidding"] == (1, "200000.00")
    grades = {t["key"]: t["count"] for t in body["by_grade"]}
    assert grades == {"A": 1, "B": 0, "C": 2, "D": 0, "E": 0}


def test_stage_template_is_served_in_both_languages(org, api):
    rows = api(org.rep).get("/opportunities/stage-template").json()["stages"]
    assert [r["stage"] for r in rows] == [
        "validate",
        "initiate",
        "needs_analysis",
        "value_presentation",
        "tender_preparation",
        "bidding",
        "negotiation",
    ]
    assert (rows[0]["name_zh"], rows[6]["name_zh"]) == ("认证商机", "谈判签约")
    assert rows[6]["exit_criteria_en"] == "The contract is signed."
    for row in rows:
        for field in ("method", "department", "position", "assessment"):
            assert row[f"{field}_en"] and row[f"{field}_zh"]
        assert row["steps_en"] and len(row["steps_en"]) == len(row["steps_zh"])


def test_idempotency_key_creates_once(org, api, account):
    client = api(org.rep)
    payload = {"account": account.pk, "name": "Once", "amount": 10}
    first = client.post("/opportunities", payload, **{"Idempotency-Key": "opp-1"})
    again = client.post("/opportunities", payload, **{"Idempotency-Key": "opp-1"})
    assert first.json() == again.json()
    assert Opportunity.objects.filter(name="Once").count() == 1


def test_archive_hides_and_admin_restores(org, api, account):
    deal = make_opportunity(org.rep, account)
    client = api(org.rep)
    assert client.delete(f"/opportunities/{deal.pk}").json()["archived"] is True
    assert client.get("/opportunities").json()["items"] == []
    assert client.post(f"/opportunities/{deal.pk}/restore").status_code == 403
    assert api(org.admin).post(f"/opportunities/{deal.pk}/restore").json()["archived"] is False


def test_products_are_validated(org, api, account):
    response = api(org.rep).post(
        "/opportunities", {"account": account.pk, "name": "X", "products": ["cloud", "teleport"]}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "products"


def test_time_in_stage_uses_the_recorded_times(org, account):
    start = date(2027, 1, 1)
    from datetime import datetime

    at = datetime(2027, 1, 1, 9, tzinfo=UTC)
    deal = make_opportunity(org.rep, account, 300_000, at=at)
    from wuwei.opportunities.services import opportunity_move_stage

    opportunity_move_stage(user=org.rep, opportunity=deal, to="initiate", at=at + timedelta(days=5))
    first = StageHistory.objects.filter(opportunity=deal).order_by("entered_at").first()
    assert first.duration == timedelta(days=5)
    assert start.year == 2027
