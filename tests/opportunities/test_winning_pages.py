"""The deal page's Compelling events and Win rate tabs (htmx fragments)."""

import json
import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.opportunities.winning import AT, add_event, adjust, answer, make_deal, stored_win_rate
from wuwei.opportunities.models import CompellingEvent, Questionnaire

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def deal(org):
    deal, rivals = make_deal(org.rep, rivals=2, primary=True, name="Grid analytics")
    deal.rivals = rivals
    return deal


def _post(deal, **overrides):
    main, second = deal.rivals
    data = {
        "has_inside_source": "no",
        "us_fit": "5",
        "us_closeness": "5",
        f"c{main.pk}_fit": "6",
        f"c{main.pk}_closeness": "6",
        f"c{second.pk}_fit": "4",
        f"c{second.pk}_closeness": "4",
        "comment": "",
    }
    data.update(overrides)
    return data


def _curve(html):
    found = re.search(r'<script id="winrate-data-\d+" type="application/json">(.*?)</script>', html)
    assert found
    return json.loads(found.group(1))


def test_deal_page_has_both_tabs_loaded_lazily(org, web, deal):
    html = web(org.rep).get(f"/opportunities/{deal.pk}/").content.decode()
    assert 'id="tab-events"' in html and 'id="tab-winrate"' in html
    assert f'hx-get="/opportunities/{deal.pk}/events/"' in html
    assert f'hx-get="/opportunities/{deal.pk}/winrate/"' in html
    assert (
        html.index('id="tab-events"')
        < html.index('id="tab-winrate"')
        < html.index('id="tab-timeline"')
    )
    assert "vendor/echarts/echarts.min.js" in html and "opportunities/winrate.js" in html


def test_tabs_redirect_anonymous_404_outsiders_and_writes_change_nothing(org, client, web, deal):
    event = add_event(deal, org.rep)
    rep_answers = answer(deal, org.rep, (5, 5), [(deal.rivals[0], 6, 6), (deal.rivals[1], 4, 4)])
    gets = [f"/opportunities/{deal.pk}/winrate/", f"/opportunities/{deal.pk}/events/"]
    posts = [
        f"/opportunities/{deal.pk}/winrate/questionnaire/",
        f"/opportunities/{deal.pk}/winrate/questionnaire/{rep_answers.pk}/adjust/",
        f"/opportunities/{deal.pk}/events/new/",
        f"/opportunities/{deal.pk}/events/{event.pk}/edit/",
        f"/opportunities/{deal.pk}/events/{event.pk}/confirm/",
        f"/opportunities/{deal.pk}/events/{event.pk}/archive/",
    ]
    for url in gets:
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]
    for user in (org.other_manager, org.peer_rep):
        outsider = web(user)
        for url in gets:
            assert outsider.get(url).status_code == 404, url
        for url in posts:
            assert outsider.post(url, {"version": 1, "description": "x"}).status_code == 404
    event.refresh_from_db()
    assert (event.version, event.archived_at, Questionnaire.objects.count()) == (1, None, 1)
    owner = web(org.rep)
    assert [owner.get(url).status_code for url in gets] == [200, 200]


def test_win_rate_tab_shows_the_value_sentences_curve_and_form(org, web, deal):
    main, second = deal.rivals
    add_event(deal, org.rep, at=AT)
    answer(deal, org.rep, (5, 5), [(main, 6, 6), (second, 4, 4)], coach=False, at=AT)
    html = web(org.rep).get(f"/opportunities/{deal.pk}/winrate/").content.decode()
    assert 'data-testid="winrate-value">23 %' in html
    assert "Our strength 10 ranks 2 of 3 parties." in html
    assert f"Compared with {main.name} (strength 12), the number 1 competitor." in html
    assert "Without an inside source the share is multiplied by 0.7." in html
    assert 'data-points="1" data-rated-points="1"' in html
    curve = _curve(html)
    assert (curve["weeks"][0], curve["values"][0], curve["stages"]) == ("2027-W03", 23, [])
    # side by side: us and each competitor are the columns, fit and closeness the rows
    assert 'data-party="us"' in html and f'data-party="c{main.pk}"' in html
    assert 'name="us_fit"' in html and f'name="c{second.pk}_closeness"' in html
    assert 'value="6"' in html  # last answers are the starting point
    assert 'id="adjust-form"' not in html  # the rep does not adjust


def test_not_rated_tab_says_why(org, web, deal):
    html = web(org.rep).get(f"/opportunities/{deal.pk}/winrate/").content.decode()
    assert "not rated" in html and "Not rated: no confirmed compelling event." in html
    assert 'data-points="0"' in html and 'data-testid="no-questionnaire"' in html


def test_htmx_submit_saves_and_rerenders_with_a_new_point(org, web, deal):
    add_event(deal, org.rep)
    client = web(org.rep)
    response = client.post(f"/opportunities/{deal.pk}/winrate/questionnaire/", _post(deal), **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="questionnaire-saved"' in html
    assert 'data-testid="winrate-value">23 %' in html
    assert 'data-rated-points="1"' in html
    # the header's win rate is swapped out of band
    assert "hx-swap-oob=\"innerHTML:[data-slot='win-rate']\">23 %</span>" in html
    assert stored_win_rate(deal) == 23
    saved = Questionnaire.objects.get()
    assert (saved.answered_by, saved.has_inside_source, saved.role) == (org.rep, False, "rep")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"us_fit": "11"}, "Ensure this value is less than or equal to 10."),
        ({"us_fit": "abc"}, "Enter a whole number."),
        ({"has_inside_source": ""}, "This field is required."),
        ({"c{main}_closeness": ""}, "Give both scores, or neither."),
        (
            {"c{main}_fit": "", "c{main}_closeness": ""},
            "score the main threat",
        ),
        (
            {
                "c{main}_fit": "",
                "c{main}_closeness": "",
                "c{second}_fit": "",
                "c{second}_closeness": "",
            },
            "score at least 2 competitors: the most threatening",
        ),
    ],
)
def test_invalid_answers_show_errors_and_save_nothing(org, web, deal, overrides, message):
    main, second = deal.rivals
    data = _post(deal)
    for key, value in overrides.items():
        data[key.format(main=main.pk, second=second.pk)] = value
    response = web(org.rep).post(f"/opportunities/{deal.pk}/winrate/questionnaire/", data, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html and 'data-testid="questionnaire-saved"' not in html
    assert not Questionnaire.objects.exists()


def test_manager_adjusts_and_both_versions_show_side_by_side(org, web, deal):
    main, second = deal.rivals
    add_event(deal, org.rep)
    rep_answers = answer(deal, org.rep, (5, 5), [(main, 6, 6), (second, 4, 4)])
    manager = web(org.manager)
    html = manager.get(f"/opportunities/{deal.pk}/winrate/").content.decode()
    assert 'id="adjust-form"' in html and 'name="adjust-us_fit"' in html
    data = {f"adjust-{key}": value for key, value in _post(deal, us_fit="3").items()}
    url = f"/opportunities/{deal.pk}/winrate/questionnaire/{rep_answers.pk}/adjust/"
    html = manager.post(url, data, **HTMX).content.decode()
    assert 'data-testid="adjustment-saved"' in html
    # us 8 vs 12 and 8 → 8 / 28 = 28.6 %, x 0.7 = 20 %
    assert stored_win_rate(deal) == 20
    assert 'data-testid="rep-win-rate">33 %' in html
    assert 'data-testid="manager-win-rate">20 %' in html
    assert '<td class="fw-semibold text-primary">3 · 5</td>' in html  # the manager's change
    # the rep cannot: refused on the form, nothing stored
    refused = web(org.rep).post(url, data, **HTMX).content.decode()
    assert "Only a manager above the deal owner" in refused
    assert Questionnaire.objects.filter(role="manager").count() == 1


def test_events_tab_add_confirm_edit_archive(org, web, deal):
    client = web(org.rep)
    base = f"/opportunities/{deal.pk}/events"
    html = client.get(f"{base}/").content.decode()
    assert 'data-testid="no-confirmed-event"' in html
    refused = client.post(f"{base}/new/", {"description": "", "confidence": "high"}, **HTMX)
    assert "This field is required." in refused.content.decode()
    created = client.post(
        f"{base}/new/",
        {"description": "Go-live set by the CIO", "confidence": "high", "event_date": "2027-03-01"},
        **HTMX,
    )
    assert created["HX-Trigger"] == "winrate-changed"
    event = CompellingEvent.objects.get()
    assert (event.confidence, event.is_confirmed) == ("high", False)
    confirmed = client.post(
        f"{base}/{event.pk}/confirm/", {"confirmed": "on", "version": 1}, **HTMX
    )
    assert 'data-testid="confirmed"' in confirmed.content.decode()
    stale = client.post(f"{base}/{event.pk}/confirm/", {"version": 1}, **HTMX).content.decode()
    assert 'data-testid="events-error"' in stale
    event.refresh_from_db()
    assert (event.is_confirmed, event.confirmed_by, event.version) == (True, org.rep, 2)
    form = client.get(f"{base}/{event.pk}/edit/", **HTMX).content.decode()
    assert 'id="event-edit-form"' in form and "Go-live set by the CIO" in form
    edited = client.post(
        f"{base}/{event.pk}/edit/",
        {"description": "Go-live moved to April", "confidence": "medium", "version": 2},
        **HTMX,
    )
    assert "Go-live moved to April" in edited.content.decode()
    client.post(f"{base}/{event.pk}/archive/", **HTMX)
    event.refresh_from_db()
    assert (event.description, event.version, event.archived_at is not None) == (
        "Go-live moved to April",
        4,
        True,
    )
    assert "Go-live moved to April" not in client.get(f"{base}/").content.decode()


def test_events_due_for_reevaluation_are_flagged(org, web, deal):
    today = timezone.localdate()
    add_event(deal, org.rep, reevaluate_on=today - timedelta(days=1))
    add_event(deal, org.rep, reevaluate_on=today + timedelta(days=10))
    html = web(org.rep).get(f"/opportunities/{deal.pk}/events/").content.decode()
    assert 'data-testid="reevaluation-warning"' in html
    assert "1 compelling event is due for re-evaluation" in html
    assert html.count('data-due="true"') == 1


def test_presales_sees_the_tabs_but_cannot_write(org, web, deal):
    from wuwei.opportunities.services import opportunity_member_set

    opportunity_member_set(user=org.rep, opportunity=deal, member=org.presales, role="presales")
    client = web(org.presales)
    html = client.get(f"/opportunities/{deal.pk}/events/").content.decode()
    assert 'id="event-form"' not in html
    refused = client.post(
        f"/opportunities/{deal.pk}/events/new/", {"description": "x", "confidence": "low"}, **HTMX
    )
    assert refused.status_code == 200 and not CompellingEvent.objects.exists()
    assert (
        'id="questionnaire-form"'
        not in client.get(f"/opportunities/{deal.pk}/winrate/").content.decode()
    )


def _count(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_tab_query_counts_do_not_grow_with_rows(org, web, deal, django_assert_num_queries):
    main, second = deal.rivals
    add_event(deal, org.rep, at=AT)
    rep = answer(deal, org.rep, (5, 5), [(main, 6, 6), (second, 4, 4)], at=AT)
    adjust(rep, org.manager, (5, 5), [(main, 6, 6), (second, 4, 4)], at=AT)
    client = web(org.manager)
    client.get(f"/opportunities/{deal.pk}/events/")  # warm the session
    urls = [f"/opportunities/{deal.pk}/winrate/", f"/opportunities/{deal.pk}/events/"]
    counts = [_count(client, url) for url in urls]
    for week in range(1, 25):
        at = AT + timedelta(days=7 * week)
        add_event(deal, org.rep, at=at, event_date=date(2027, 6, 1))
        rep = answer(deal, org.rep, (5, week % 10), [(main, 6, 6), (second, 4, 4)], at=at)
        adjust(rep, org.manager, (6, 5), [(main, 6, 6), (second, 4, 4)], at=at)
    for url, expected in zip(urls, counts, strict=True):
        with django_assert_num_queries(expected):
            html = client.get(url).content.decode()
    assert html.count("data-event=") == 25


def test_closed_deal_shows_its_rate_and_refuses_answers(org, web):
    from wuwei.opportunities.services import opportunity_move_stage

    deal, (rival,) = make_deal(org.rep, amount=100_000)
    add_event(deal, org.rep)
    answer(deal, org.rep, (8, 7), [(rival, 3, 2)])
    opportunity_move_stage(user=org.rep, opportunity=deal, to="lost", reason="Price")
    client = web(org.rep)
    html = client.get(f"/opportunities/{deal.pk}/winrate/").content.decode()
    assert 'data-testid="winrate-value">75 %' in html and 'id="questionnaire-form"' not in html
    data = {"has_inside_source": "yes", "us_fit": "1", "us_closeness": "1"}
    data.update({f"c{rival.pk}_fit": "9", f"c{rival.pk}_closeness": "9"})
    refused = client.post(f"/opportunities/{deal.pk}/winrate/questionnaire/", data, **HTMX)
    assert "The opportunity is closed." in refused.content.decode()
    assert (stored_win_rate(deal), Questionnaire.objects.count()) == (75, 1)
    assert 'id="event-form"' not in client.get(f"/opportunities/{deal.pk}/events/").content.decode()
