"""/opportunities/{id}/compelling-events, /questionnaires, /win-rate (API.md)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.opportunities.winning import AT, add_event, adjust, answer, make_deal, stored_win_rate
from wuwei.opportunities.models import CompellingEvent, Questionnaire, WinRateSnapshot
from wuwei.opportunities.services import opportunity_move_stage

DAY = timedelta(days=1)


@pytest.fixture
def deal(org):
    deal, rivals = make_deal(org.rep, rivals=2, primary=True)
    deal.rivals = rivals
    return deal


def _body(deal, us=(5, 5), scores=((6, 6), (4, 4)), coach=True, **extra):
    return {
        "has_inside_source": coach,
        "us": {"fit": us[0], "closeness": us[1]},
        "competitors": [
            {"competitor": rival.pk, "fit": fit, "closeness": closeness}
            for rival, (fit, closeness) in zip(deal.rivals, scores, strict=False)
        ],
        **extra,
    }


def _fields(response):
    return [error["field"] for error in response.json()["errors"]]


# ----------------------------------------------------------------------------------------
# compelling events


def test_event_create_confirm_stale_and_archive(org, api, deal):
    client = api(org.rep)
    base = f"/opportunities/{deal.pk}/compelling-events"
    created = client.post(base, {"description": "CIO set go-live for 2027-06-30"})
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["confirmed"], body["confirmed_by"], body["version"]) == (False, None, 1)
    assert body["reevaluate_on"] == str(timezone.localdate() + timedelta(days=30))
    assert body["reevaluation_due"] is False
    event_id = body["id"]

    confirmed = client.patch(f"{base}/{event_id}", {"confirmed": True, "version": 1})
    assert confirmed.status_code == 200
    assert (confirmed.json()["confirmed"], confirmed.json()["confirmed_by"]) == (True, org.rep.pk)
    assert confirmed.json()["confirmed_at"] is not None
    stale = client.patch(f"{base}/{event_id}", {"confirmed": False, "version": 1})
    assert stale.status_code == 409 and _fields(stale) == ["version"]
    missing = client.patch(f"{base}/{event_id}", {"confirmed": False})
    assert missing.status_code == 422
    by_header = client.patch(
        f"{base}/{event_id}", {"evidence": "Board minutes"}, **{"If-Match": '"2"'}
    )
    assert (by_header.status_code, by_header.json()["evidence"]) == (200, "Board minutes")

    listed = client.get(base).json()
    assert ([e["id"] for e in listed["items"]], listed["next"]) == ([event_id], None)
    archived = client.delete(f"{base}/{event_id}")
    assert (archived.status_code, archived.json()["archived"]) == (200, True)
    assert client.get(base).json()["items"] == []
    assert [e["id"] for e in client.get(base, {"archived": "true"}).json()["items"]] == [event_id]


def test_event_input_errors_are_422_never_500(org, api, deal):
    client = api(org.rep)
    base = f"/opportunities/{deal.pk}/compelling-events"
    for payload, field in (
        ({}, "description"),
        ({"description": ""}, "description"),
        ({"description": "x", "confidence": "certain"}, "confidence"),
        ({"description": "x", "event_date": "2027-02-30"}, "event_date"),
        ({"description": "x" * 5001}, "description"),
    ):
        response = client.post(base, payload)
        assert (response.status_code, _fields(response)) == (422, [field]), payload
    event = add_event(deal, org.rep)
    nulled = client.patch(f"{base}/{event.pk}", {"description": None, "version": 1})
    assert (nulled.status_code, _fields(nulled)) == (422, ["description"])
    assert client.patch(f"{base}/999999", {"version": 1}).status_code == 404
    assert client.patch(f"{base}/abc", {"version": 1}).status_code == 422
    assert CompellingEvent.objects.count() == 1


def test_event_on_another_deal_is_not_found(org, api, deal):
    other, _rivals = make_deal(org.rep)
    event = add_event(other, org.rep)
    response = api(org.rep).patch(
        f"/opportunities/{deal.pk}/compelling-events/{event.pk}", {"confirmed": False, "version": 1}
    )
    assert response.status_code == 404
    event.refresh_from_db()
    assert event.is_confirmed


def test_event_confirmation_rates_the_deal(org, api, deal):
    client = api(org.rep)
    answer(deal, org.rep, (5, 5), [(deal.rivals[0], 6, 6), (deal.rivals[1], 4, 4)])
    base = f"/opportunities/{deal.pk}/compelling-events"
    event = client.post(base, {"description": "Budget approved", "confirmed": True}).json()
    assert (event["confirmed"], stored_win_rate(deal)) == (True, 33)
    client.patch(f"{base}/{event['id']}", {"confirmed": False, "version": 1})
    assert stored_win_rate(deal) is None


# ----------------------------------------------------------------------------------------
# questionnaires


def test_questionnaire_201_with_answers_win_rate_and_explanation(org, api, deal):
    add_event(deal, org.rep)
    main, second = deal.rivals
    response = api(org.rep).post(
        f"/opportunities/{deal.pk}/questionnaires",
        _body(deal, coach=False, comment="CIO now prefers us"),
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    # METHOD.md §4.6: us second of three, 10 / (10 + 12 + 8) = 33.3 %; x 0.7 = 23.3 % → 23
    assert (body["win_rate"], body["role"], body["adjusts"], body["answered_by"]) == (
        23,
        "rep",
        None,
        org.rep.pk,
    )
    assert (body["us"], body["has_inside_source"], body["comment"]) == (
        {"fit": 5, "closeness": 5},
        False,
        "CIO now prefers us",
    )
    assert body["competitors"] == [
        {"competitor": main.pk, "name": main.name, "fit": 6, "closeness": 6},
        {"competitor": second.pk, "name": second.name, "fit": 4, "closeness": 4},
    ]
    assert [e["code"] for e in body["explanation"]] == [
        "strength",
        "compared_with_competitor",
        "compared_with_competitor",
        "raw_share",
        "no_inside_source",
        "win_rate_rounded",
    ]
    messages = [e["message"] for e in body["explanation"]]
    assert messages[0] == "Our strength 10 ranks 2 of 3 parties."
    assert messages[1] == f"Compared with {main.name} (strength 12), the number 1 competitor."
    assert messages[3] == "Our share is 10 / 30 = 0.3333."
    assert messages[4] == "Without an inside source the share is multiplied by 0.7."
    assert messages[5] == "23.3333 % rounds to a win rate of 23 %."
    assert body["explanation"][1]["params"] == {
        "position": 1,
        "competitor_id": main.pk,
        "strength": "12",
    }
    assert stored_win_rate(deal) == 23


@pytest.mark.parametrize(
    ("us", "scores", "coach", "win_rate"),
    [
        ((8, 7), ((3, 2),), True, 75),  # 15 / (15 + 5)
        ((8, 7), ((3, 2),), False, 53),  # 52.5 rounds half up
        ((5, 5), ((4, 6),), True, 50),  # a tie puts us second
        ((2, 3), ((5, 5), (3, 2)), False, 18),  # 5 / 20 x 0.7 = 17.5 → 18
    ],
)
def test_questionnaire_win_rates_of_method_examples(org, api, us, scores, coach, win_rate):
    deal, rivals = make_deal(org.rep, rivals=len(scores))
    deal.rivals = rivals
    add_event(deal, org.rep)
    body = api(org.rep).post(
        f"/opportunities/{deal.pk}/questionnaires", _body(deal, us, scores, coach)
    )
    assert (body.status_code, body.json()["win_rate"]) == (201, win_rate)


def test_not_in_top_three_is_zero_and_says_why(org, api):
    deal, rivals = make_deal(org.rep, rivals=3)
    deal.rivals = rivals
    add_event(deal, org.rep)
    body = (
        api(org.rep)
        .post(
            f"/opportunities/{deal.pk}/questionnaires",
            _body(deal, (4, 4), ((8, 7), (7, 7), (5, 4))),
        )
        .json()
    )
    assert (body["win_rate"], [e["code"] for e in body["explanation"]]) == (
        0,
        ["strength", "not_in_top_n"],
    )
    assert body["explanation"][1]["message"] == "We rank 4, outside the top 3: the win rate is 0 %."


def test_questionnaire_without_confirmed_event_is_not_rated(org, api, deal):
    add_event(deal, org.rep, confirmed=False)
    body = api(org.rep).post(f"/opportunities/{deal.pk}/questionnaires", _body(deal)).json()
    assert (body["win_rate"], body["explanation"]) == (
        None,
        [
            {
                "code": "no_compelling_event",
                "params": {},
                "message": "Not rated: no confirmed compelling event.",
            }
        ],
    )


@pytest.mark.parametrize(
    ("change", "fields"),
    [
        ({"us": {"fit": 11, "closeness": 5}}, ["us.fit"]),
        ({"us": {"fit": "5", "closeness": 5}}, ["us.fit"]),
        ({"us": {"fit": 5.5, "closeness": 5}}, ["us.fit"]),
        ({"us": {"fit": 5}}, ["us.closeness"]),
        ({"has_inside_source": "yes"}, ["has_inside_source"]),
        ({"has_inside_source": None}, ["has_inside_source"]),
        ({"competitors": [{"competitor": "x", "fit": 1, "closeness": 1}]}, None),
        ({"competitors": "all"}, ["competitors"]),
        ({"competitors": [{"competitor": 999999, "fit": 1, "closeness": 1}]}, None),
        ({"competitors": []}, ["competitors", "competitors"]),  # two needed, main threat
    ],
)
def test_questionnaire_422_with_field_errors(org, api, deal, change, fields):
    response = api(org.rep).post(
        f"/opportunities/{deal.pk}/questionnaires", {**_body(deal), **change}
    )
    assert response.status_code == 422, response.json()
    if fields is not None:
        assert _fields(response) == fields
    assert not Questionnaire.objects.exists()


def test_questionnaire_rules_of_the_deal_are_422(org, api, deal):
    main, second = deal.rivals
    _other, (stranger,) = make_deal(org.rep)
    client = api(org.rep)
    url = f"/opportunities/{deal.pk}/questionnaires"
    twice = {**_body(deal), "competitors": [{"competitor": main.pk, "fit": 1, "closeness": 1}] * 2}
    response = client.post(url, twice)
    assert _fields(response) == ["competitors.1.competitor", "competitors"]
    foreign = _body(deal)
    foreign["competitors"][1]["competitor"] = stranger.pk
    response = client.post(url, foreign)
    assert _fields(response) == ["competitors.1.competitor", "competitors"]
    no_main = {**_body(deal), "competitors": [{"competitor": second.pk, "fit": 1, "closeness": 1}]}
    response = client.post(url, no_main)
    assert response.json()["errors"] == [
        {"field": "competitors", "message": "score at least 2 competitors: the most threatening"},
        {"field": "competitors", "message": f"score the main threat: {main.name}"},
    ]
    for garbage in ("not json", "[1, 2]"):
        raw = client.client.post(
            f"/api/v1{url}", garbage, content_type="application/json", headers=client.headers
        )
        assert raw.status_code in (400, 422)
    assert not Questionnaire.objects.exists()


def test_questionnaire_history_newest_first_with_both_versions(org, api, deal):
    add_event(deal, org.rep)
    main, second = deal.rivals
    first = answer(deal, org.rep, (5, 5), [(main, 6, 6), (second, 4, 4)], at=AT)
    adjusted = adjust(
        first, org.manager, (5, 5), [(main, 6, 6), (second, 4, 4)], coach=False, at=AT + DAY
    )
    latest = answer(deal, org.rep, (7, 7), [(main, 6, 6), (second, 4, 4)], at=AT + 2 * DAY)
    client = api(org.manager)
    page = client.get(f"/opportunities/{deal.pk}/questionnaires", {"limit": 2}).json()
    assert [(q["id"], q["role"], q["adjusts"]) for q in page["items"]] == [
        (latest.pk, "rep", None),
        (adjusted.pk, "manager", first.pk),
    ]
    assert page["items"][1]["answered_by"] == org.manager.pk
    rest = client.get(
        f"/opportunities/{deal.pk}/questionnaires", {"limit": 2, "cursor": page["next"]}
    ).json()
    assert ([q["id"] for q in rest["items"]], rest["next"]) == ([first.pk], None)
    one = client.get(f"/opportunities/{deal.pk}/questionnaires/{first.pk}").json()
    assert (one["win_rate"], one["us"]) == (33, {"fit": 5, "closeness": 5})


def test_adjustment_endpoint_for_managers_only(org, api, deal):
    add_event(deal, org.rep)
    rep_answers = answer(deal, org.rep, (5, 5), [(deal.rivals[0], 6, 6), (deal.rivals[1], 4, 4)])
    url = f"/opportunities/{deal.pk}/questionnaires/{rep_answers.pk}/adjustment"
    assert api(org.rep).post(url, _body(deal, coach=False)).status_code == 403
    assert api(org.other_manager).post(url, _body(deal, coach=False)).status_code == 404
    response = api(org.manager).post(url, _body(deal, coach=False, comment="No coach yet"))
    assert response.status_code == 201, response.json()
    assert (response.json()["role"], response.json()["adjusts"], response.json()["win_rate"]) == (
        "manager",
        rep_answers.pk,
        23,
    )
    assert stored_win_rate(deal) == 23
    bad = api(org.manager).post(url, _body(deal, us=(12, 1)))
    assert (bad.status_code, _fields(bad)) == (422, ["us.fit"])
    other, (rival,) = make_deal(org.rep)
    elsewhere = answer(other, org.rep, (5, 5), [(rival, 5, 5)])
    wrong_deal = f"/opportunities/{deal.pk}/questionnaires/{elsewhere.pk}/adjustment"
    assert api(org.manager).post(wrong_deal, _body(deal)).status_code == 404


# ----------------------------------------------------------------------------------------
# win rate


def test_win_rate_with_explanation_weekly_history_and_stage_changes(org, api):
    deal, (rival,) = make_deal(org.rep, amount=100_000)
    add_event(deal, org.rep, at=AT - timedelta(days=14))  # 2027-W01: not rated
    answer(deal, org.rep, (8, 7), [(rival, 3, 2)], at=AT)  # 2027-W03: 75
    opportunity_move_stage(user=org.rep, opportunity=deal, to="initiate", at=AT)
    answer(deal, org.rep, (8, 7), [(rival, 3, 2)], coach=False, at=AT + timedelta(days=7))
    body = api(org.rep).get(f"/opportunities/{deal.pk}/win-rate").json()
    assert body["win_rate"] == 53
    assert [e["code"] for e in body["explanation"]][-2:] == ["no_inside_source", "win_rate_rounded"]
    assert body["explanation"][1]["message"] == (
        f"Compared with {rival.name} (strength 5), the number 1 competitor."
    )
    assert body["history"] == [
        {"week": "2027-W01", "week_start": "2027-01-04", "win_rate": None, "stage": "validate"},
        {"week": "2027-W03", "week_start": "2027-01-18", "win_rate": 75, "stage": "validate"},
        {"week": "2027-W04", "week_start": "2027-01-25", "win_rate": 53, "stage": "initiate"},
    ]
    assert [s["stage"] for s in body["stage_changes"]] == ["validate", "initiate"]
    assert body["stage_changes"][1]["entered_at"].startswith("2027-01-20T")


def test_win_rate_not_rated_reasons(org, api, deal):
    url = f"/opportunities/{deal.pk}/win-rate"
    body = api(org.rep).get(url).json()
    assert (body["win_rate"], [e["code"] for e in body["explanation"]], body["history"]) == (
        None,
        ["no_compelling_event"],
        [],
    )
    add_event(deal, org.rep)
    body = api(org.rep).get(url).json()
    assert body["explanation"] == [
        {
            "code": "no_questionnaire",
            "params": {},
            "message": "Not rated: no questionnaire has been answered yet.",
        }
    ]


def test_partner_gets_no_win_rate_or_questionnaire_even_on_a_deal_they_own(org, api):
    """The win rate and the questionnaires are internal work (METHOD.md §1): 404 to a
    partner user, exactly as for a deal they cannot see (issue 11 item 2)."""
    from wuwei.opportunities.models import Opportunity

    deal, (rival,) = make_deal(org.rep)
    add_event(deal, org.rep)
    answer(deal, org.rep, (8, 7), [(rival, 3, 2)])
    Opportunity.objects.filter(pk=deal.pk).update(owner=org.partner)
    client = api(org.partner)
    assert client.get(f"/opportunities/{deal.pk}").json()["win_rate"] is None
    for path in ("win-rate", "questionnaires"):
        response = client.get(f"/opportunities/{deal.pk}/{path}")
        assert response.status_code == 404, path
        assert rival.name not in response.content.decode()
    refused = client.post(f"/opportunities/{deal.pk}/questionnaires", _body_for(rival))
    assert refused.status_code == 404


def _body_for(rival):
    return {
        "has_inside_source": True,
        "us": {"fit": 5, "closeness": 5},
        "competitors": [{"competitor": rival.pk, "fit": 5, "closeness": 5}],
    }


# ----------------------------------------------------------------------------------------
# access and query counts


def test_every_endpoint_is_401_anonymous_and_404_outsider(org, api, deal):
    event = add_event(deal, org.rep)
    rep_answers = answer(deal, org.rep, (5, 5), [(deal.rivals[0], 6, 6), (deal.rivals[1], 4, 4)])
    base = f"/opportunities/{deal.pk}"
    calls = [
        ("get", f"{base}/compelling-events", None),
        ("post", f"{base}/compelling-events", {"description": "x"}),
        ("get", f"{base}/compelling-events/{event.pk}", None),
        ("patch", f"{base}/compelling-events/{event.pk}", {"confirmed": False, "version": 1}),
        ("delete", f"{base}/compelling-events/{event.pk}", None),
        ("get", f"{base}/questionnaires", None),
        ("post", f"{base}/questionnaires", _body(deal)),
        ("get", f"{base}/questionnaires/{rep_answers.pk}", None),
        ("post", f"{base}/questionnaires/{rep_answers.pk}/adjustment", _body(deal)),
        ("get", f"{base}/win-rate", None),
    ]
    for user, status in ((None, 401), (org.other_manager, 404), (org.peer_rep, 404)):
        client = api(user)
        for method, url, data in calls:
            response = getattr(client, method)(url, data) if data else getattr(client, method)(url)
            assert response.status_code == status, (user, method, url)
    for method, url, _data in calls:
        if method == "get":
            assert getattr(api(org.manager_above), method)(url).status_code == 200, url
    assert (
        CompellingEvent.objects.filter(archived_at__isnull=True).count(),
        Questionnaire.objects.count(),
    ) == (1, 1)
    event.refresh_from_db()
    assert (event.version, event.is_confirmed) == (1, True)


def _count(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_query_counts_do_not_grow_with_rows(org, api, deal, django_assert_num_queries):
    main, second = deal.rivals
    add_event(deal, org.rep, at=AT)
    answer(deal, org.rep, (5, 5), [(main, 6, 6), (second, 4, 4)], at=AT)
    client = api(org.manager)
    client.get("/me")
    urls = {
        "events": f"/opportunities/{deal.pk}/compelling-events",
        "questionnaires": f"/opportunities/{deal.pk}/questionnaires",
        "win_rate": f"/opportunities/{deal.pk}/win-rate",
    }
    counts = {key: _count(client, url) for key, url in urls.items()}
    # (the token is cached) the deal, then: the page (+ answers for questionnaires); for the
    # win rate: configuration, confirmed event, effective questionnaire + answers, the
    # snapshots, the stage history
    assert counts == {"events": 2, "questionnaires": 3, "win_rate": 7}
    for week in range(1, 30):
        at = AT + timedelta(days=7 * week)
        add_event(deal, org.rep, at=at, confirmed=week % 2 == 0)
        rep = answer(deal, org.rep, (5, week % 10), [(main, 6, 6), (second, 4, 4)], at=at)
        adjust(rep, org.manager, (5, 5), [(main, 6, 6), (second, 4, 4)], at=at)
    assert WinRateSnapshot.objects.filter(opportunity=deal).count() == 30
    for key, url in urls.items():
        with django_assert_num_queries(counts[key]):
            assert client.get(url, {"limit": 500} if key != "win_rate" else None).status_code == 200
