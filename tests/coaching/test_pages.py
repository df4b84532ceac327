"""Coaching pages: the queue with the inline review form (htmx), my actions, the deal tab,
and reviews on the deal and account timelines."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.coaching.helpers import ago, make_deal, review, set_win_rate
from tests.factories import make_account
from wuwei.coaching.models import CoachingAction, CoachingReview

DUE = timezone.localdate() + timedelta(days=7)
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def deal(org):
    deal = make_deal(org.rep, make_account(org.rep, name="Acme"), name="Core upgrade")
    set_win_rate(deal, 40)
    review(org.manager, deal, at=ago(10), actions=[("Call the CFO", org.rep, DUE)])
    return set_win_rate(deal, 55)


def _review_post(deal, **extra):
    data = {
        "origin": "queue",
        "comments": "Good move, keep going.",
        "actions-TOTAL_FORMS": "3",
        "actions-INITIAL_FORMS": "0",
        "actions-MIN_NUM_FORMS": "0",
        "actions-MAX_NUM_FORMS": "20",
        "actions-0-title": "Book the demo",
        "actions-0-owner": str(deal.owner_id),
        "actions-0-due": DUE.isoformat(),
    }
    data.update(extra)
    return data


@pytest.mark.parametrize(
    "path", ["/coaching/", "/coaching/actions/", "/coaching/deals/1/", "/coaching/deals/1/review/"]
)
def test_anonymous_is_sent_to_login(db, client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_queue_page_lists_the_deal_and_what_changed(org, web, deal):
    html = web(org.manager).get("/coaching/").content.decode()
    assert 'data-area="coaching"' in html
    assert "Core upgrade" in html and "Win rate moved from 40 % to 55 %" in html
    assert "1 open action" in html and f'id="queue-item-{deal.pk}"' in html


def test_reps_have_no_queue_and_no_nav_entry_but_their_actions(org, web, deal):
    client = web(org.rep)
    html = client.get("/coaching/").content.decode()
    assert 'data-testid="not-a-reviewer"' in html and "Core upgrade" not in html
    assert 'data-area="coaching"' not in html
    assert 'id="my-coaching-actions"' in html
    actions = client.get("/coaching/actions/").content.decode()
    assert "Call the CFO" in actions and 'data-testid="action-done"' in actions


def test_queue_page_query_count_does_not_grow(org, web, django_assert_num_queries):
    account = make_account(org.rep)
    client = web(org.manager)

    def add(count):
        for index in range(count):
            make_deal(org.rep, account, 1000 * (index + 1), at=ago(1))

    add(2)
    client.get("/coaching/")
    # session and user 2, roles, team, queue 6 (PRM risks since the review: 1), the risk
    # count on the page's deals 4, bell 1
    with django_assert_num_queries(15):
        client.get("/coaching/")
    add(18)
    with django_assert_num_queries(15):
        assert client.get("/coaching/").content.decode().count('data-testid="review-button"') == 20


def test_review_form_comes_inline_and_saves(org, web, deal):
    client = web(org.manager)
    form = client.get(f"/coaching/deals/{deal.pk}/review/?origin=queue", **HTMX)
    html = form.content.decode()
    assert form.status_code == 200 and 'data-testid="review-form"' in html
    assert f'hx-target="#review-slot-{deal.pk}"' in html
    assert f'<option value="{org.rep.pk}">rep</option>' in html
    assert f'<option value="{org.manager.pk}">manager</option>' in html
    response = client.post(f"/coaching/deals/{deal.pk}/review/new/", _review_post(deal), **HTMX)
    assert response.status_code == 200
    assert response["HX-Retarget"] == f"#queue-item-{deal.pk}"
    assert response["HX-Reswap"] == "outerHTML"
    assert "Core upgrade reviewed, 1 action item." in response.content.decode()
    stored = CoachingReview.objects.latest("id")
    assert (stored.reviewer, stored.comments, stored.win_rate_at_review) == (
        org.manager,
        "Good move, keep going.",
        55,
    )
    assert [(a.title, a.owner, a.due) for a in stored.actions.all()] == [
        ("Book the demo", org.rep, DUE)
    ]
    assert "Core upgrade" not in client.get("/coaching/").content.decode()


def test_review_form_shows_errors_in_place(org, web, deal):
    client = web(org.manager)
    past = (timezone.localdate() - timedelta(days=3)).isoformat()
    data = _review_post(deal, comments="ok", **{"actions-0-due": past, "actions-1-title": "x"})
    response = client.post(f"/coaching/deals/{deal.pk}/review/new/", data, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200 and "HX-Retarget" not in response
    assert html.count("This field is required.") == 2  # row 1: owner and due
    data = _review_post(deal, **{"actions-0-due": past})
    html = client.post(f"/coaching/deals/{deal.pk}/review/new/", data, **HTMX).content.decode()
    assert "The due date is in the past." in html
    assert CoachingReview.objects.count() == 1


def test_review_form_is_refused_to_reps_and_hidden_from_outsiders(org, web, deal):
    url = f"/coaching/deals/{deal.pk}/review/"
    assert web(org.rep).get(url).status_code == 403
    assert web(org.rep).post(url + "new/", _review_post(deal)).status_code == 403
    assert web(org.other_manager).get(url).status_code == 404
    assert web(org.other_manager).post(url + "new/", _review_post(deal)).status_code == 404
    assert CoachingReview.objects.count() == 1


def test_deal_tab_shows_reviews_and_the_form_for_reviewers(org, web, deal):
    url = f"/coaching/deals/{deal.pk}/"
    manager = web(org.manager).get(url, **HTMX).content.decode()
    assert "Looks fine." in manager and "Call the CFO" in manager
    assert 'data-testid="review-form"' in manager
    rep = web(org.rep).get(url, **HTMX).content.decode()
    assert "Looks fine." in rep and 'data-testid="review-form"' not in rep
    assert web(org.other_manager).get(url, **HTMX).status_code == 404


def test_deal_tab_review_refreshes_the_tab(org, web, deal):
    data = _review_post(deal, origin="tab", comments="Second look.")
    response = web(org.manager).post(f"/coaching/deals/{deal.pk}/review/new/", data, **HTMX)
    html = response.content.decode()
    assert f'id="coaching-tab-{deal.pk}"' in html
    assert "Second look." in html and "Looks fine." in html and "Book the demo" in html


def test_deal_page_has_the_coaching_tab_and_the_review_on_its_timeline(org, web, deal):
    html = web(org.rep).get(f"/opportunities/{deal.pk}/").content.decode()
    assert f'hx-get="/coaching/deals/{deal.pk}/"' in html and 'id="tab-coaching"' in html
    assert 'data-testid="deal-timeline"' in html
    assert 'data-kind="coaching"' in html and "Coaching review" in html
    assert "Action for rep, due" in html and "Call the CFO" in html


def test_account_timeline_shows_the_review(org, web, deal):
    html = web(org.rep).get(f"/accounts/{deal.account_id}/tab/timeline/").content.decode()
    assert "Coaching review of Core upgrade" in html


def test_tick_an_action_done_with_htmx(org, web, deal):
    action = CoachingAction.objects.get()
    url = f"/coaching/actions/{action.pk}/status/"
    assert web(org.other_manager).post(url, {"status": "done", "version": 1}).status_code == 404
    response = web(org.rep).post(url, {"status": "done", "version": 1}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200 and 'data-status="done"' in html and "Reopen" in html
    assert CoachingAction.objects.get().status == "done"
    stale = web(org.rep).post(url, {"status": "open", "version": 1}, **HTMX).content.decode()
    assert "Someone else changed this record" in stale
    assert "Call the CFO" not in web(org.rep).get("/coaching/actions/").content.decode()
    reopened = web(org.manager).post(url, {"status": "open", "version": 2, "in_deal": "1"}, **HTMX)
    html = reopened.content.decode()
    assert 'data-status="open"' in html and 'name="in_deal"' in html
    assert f"/opportunities/{deal.pk}/" not in html  # the deal tab has no deal column


def test_deal_tab_and_my_actions_query_counts_do_not_grow(
    org, web, deal, django_assert_num_queries
):
    manager = web(org.manager)
    tab = f"/coaching/deals/{deal.pk}/"
    manager.get(tab, **HTMX)
    # session 2, roles, team, deal 2 (row, products), owner's team, reviews 2, people 1
    with django_assert_num_queries(10):
        manager.get(tab, **HTMX)
    for _ in range(5):
        review(org.manager, deal, actions=[("Next step", org.rep, DUE), ("More", org.manager, DUE)])
    with django_assert_num_queries(10):
        assert manager.get(tab, **HTMX).content.decode().count('data-testid="review"') == 6
    rep = web(org.rep)
    with django_assert_num_queries(5):  # session 2, roles, my actions 1, bell 1
        assert rep.get("/coaching/actions/").content.decode().count("Next step") == 5
