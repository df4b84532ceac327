"""Stage-exit scoring asked for when a stage ends (issue 16 item 3, METHOD.md §5.4): a presales
owner of the stage a deal leaves is notified, finds the scores they owe on a page and on the
deal's Stage scores tab, and submits them there through the same service as the API."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.support.conftest import make_deal, make_request
from wuwei.notifications.models import Notification
from wuwei.opportunities.services import opportunity_member_set, opportunity_move_stage
from wuwei.support import selectors, services
from wuwei.support.models import StageScore


def _staffed_deal(org, mci, amount="5000000"):
    """A deal with the presales engineer alice assigned and owning its first stage, and the
    peer rep on the deal team."""
    deal = make_deal(org.rep, amount)
    request = make_request(deal)
    services.assignment_create(
        user=mci.lead,
        request=request,
        resource=mci.alice,
        days=Decimal(1),
        start=date(2027, 1, 4),
        end=date(2027, 1, 8),
    )
    opportunity_member_set(user=org.rep, opportunity=deal, member=org.peer_rep, role="sales")
    services.stage_owner_reassign(
        user=org.rep, opportunity=deal, stage=deal.stage, owner=mci.alice.user
    )
    deal.refresh_from_db()
    return deal


def _move(org, deal, to):
    moved = opportunity_move_stage(
        user=org.rep, opportunity=deal, to=to, expected_version=deal.version
    )
    deal.refresh_from_db()
    return moved


@pytest.fixture
def left(org, mci):
    deal = _staffed_deal(org, mci)
    first = deal.stage
    _move(org, deal, "initiate" if first == "validate" else "needs_analysis")
    return deal, first


def test_leaving_a_stage_notifies_its_presales_owner_once(org, mci, left):
    deal, _first = left
    notes = Notification.objects.filter(recipient=mci.alice.user, kind="stage_scores")
    assert [n.url for n in notes] == [f"/support/deals/{deal.pk}/scores/"]
    # rendered in the recipient's language (the site's default, Chinese, unless they chose)
    assert "还有 2 人待评分" in notes[0].body and "认证商机" in notes[0].title
    # the rep owns the next stage: no prompt for them, and none when nothing is owed
    assert not Notification.objects.filter(recipient=org.rep, kind="stage_scores").exists()


def test_a_stage_owned_by_a_rep_asks_nobody(org, mci):
    deal = make_deal(org.rep, "300000")
    opportunity_member_set(user=org.rep, opportunity=deal, member=org.peer_rep, role="sales")
    _move(org, deal, "initiate" if deal.stage == "validate" else "needs_analysis")
    assert not Notification.objects.filter(kind="stage_scores").exists()
    assert selectors.pending_scores(user=org.rep) == []


def test_pending_page_lists_the_owed_scores_and_takes_them(org, mci, left, web):
    deal, first = left
    alice = web(mci.alice.user)
    html = alice.get("/support/scores/").content.decode()
    assert deal.name in html and html.count('data-testid="score-form"') == 2
    prefix = f"s{deal.pk}-{first}-{org.rep.pk}"
    response = alice.post(
        f"/support/deals/{deal.pk}/scores/",
        {
            f"{prefix}-stage": first,
            f"{prefix}-participant": org.rep.pk,
            f"{prefix}-score": "85",
            f"{prefix}-comment": "Clear plan",
            f"{prefix}-back": "list",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/support/scores/"
    score = StageScore.objects.get()
    assert (score.stage, score.participant_id, score.scored_by_id, score.score, score.comment) == (
        first,
        org.rep.pk,
        mci.alice.user.pk,
        85,
        "Clear plan",
    )
    html = alice.get("/support/scores/").content.decode()
    assert html.count('data-testid="score-form"') == 1
    assert f'data-participant="{org.peer_rep.pk}"' in html


def test_refused_scores_say_why_and_write_nothing(org, mci, left, web):
    deal, first = left
    alice = web(mci.alice.user)
    prefix = "p"
    base = {f"{prefix}-stage": first, f"{prefix}-participant": org.rep.pk}
    out_of_range = alice.post(
        f"/support/deals/{deal.pk}/scores/", {**base, f"{prefix}-score": "101"}, follow=True
    )
    assert "Give a score from 0 to 100." in out_of_range.content.decode()
    stranger = alice.post(
        f"/support/deals/{deal.pk}/scores/",
        {**base, f"{prefix}-participant": mci.bob.user.pk, f"{prefix}-score": "50"},
        follow=True,
    )
    assert "Score someone else who takes part in the deal." in stranger.content.decode()
    # only the stage owner scores
    not_owner = web(org.peer_rep).post(
        f"/support/deals/{deal.pk}/scores/", {**base, f"{prefix}-score": "50"}, follow=True
    )
    assert "Only the stage owner scores" in not_owner.content.decode()
    assert StageScore.objects.count() == 0
    alice = web(mci.alice.user)
    alice.post(f"/support/deals/{deal.pk}/scores/", {**base, f"{prefix}-score": "70"})
    again = alice.post(
        f"/support/deals/{deal.pk}/scores/", {**base, f"{prefix}-score": "90"}, follow=True
    )
    assert "already scored" in again.content.decode()
    assert list(StageScore.objects.values_list("score", flat=True)) == [70]


def test_deal_tab_shows_what_is_owed_and_the_scoring_state(org, mci, left, web):
    deal, _first = left
    page = web(org.rep).get(f"/opportunities/{deal.pk}/").content.decode()
    assert f'hx-get="/support/deals/{deal.pk}/scores/"' in page
    tab = web(mci.alice.user).get(f"/support/deals/{deal.pk}/scores/", HTTP_HX_REQUEST="true")
    html = tab.content.decode()
    assert "<html" not in html and html.count('data-testid="score-form"') == 2
    owner_view = web(org.rep).get(f"/support/deals/{deal.pk}/scores/").content.decode()
    assert 'data-testid="no-pending"' in owner_view
    assert "0 / 2" in owner_view  # the rep sees the stage is not scored yet


def test_outsider_and_partner_get_404_and_write_nothing(org, mci, left, web):
    deal, first = left
    for user in (org.other_manager, org.partner, mci.bob.user):
        client = web(user)
        assert client.get(f"/support/deals/{deal.pk}/scores/").status_code == 404, user
        response = client.post(
            f"/support/deals/{deal.pk}/scores/",
            {"p-stage": first, "p-participant": org.rep.pk, "p-score": "10"},
        )
        assert response.status_code == 404, user
        html = client.get("/support/scores/").content.decode()
        assert deal.name not in html
    assert StageScore.objects.count() == 0


def test_anonymous_goes_to_login(client, org, mci, left):
    deal, _first = left
    for path in ("/support/scores/", f"/support/deals/{deal.pk}/scores/"):
        response = client.get(path)
        assert response.status_code == 302 and "/login/" in response["Location"]


def _count(client, url, **headers):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, **headers).status_code == 200
    return len(queries)


def test_pages_run_a_fixed_number_of_queries(org, mci, web):
    deal = _staffed_deal(org, mci)
    _move(org, deal, "initiate" if deal.stage == "validate" else "needs_analysis")
    alice = web(mci.alice.user)
    first = (
        _count(alice, "/support/scores/"),
        _count(alice, f"/support/deals/{deal.pk}/scores/", HTTP_HX_REQUEST="true"),
    )
    for _ in range(3):
        more = _staffed_deal(org, mci)
        opportunity_member_set(user=org.rep, opportunity=more, member=org.manager, role="sales")
        _move(org, more, "initiate" if more.stage == "validate" else "needs_analysis")
    opportunity_member_set(user=org.rep, opportunity=deal, member=org.manager, role="sales")
    assert len(selectors.pending_scores(user=mci.alice.user)) == 4
    assert (
        _count(alice, "/support/scores/"),
        _count(alice, f"/support/deals/{deal.pk}/scores/", HTTP_HX_REQUEST="true"),
    ) == first


def test_the_home_page_lists_the_scores_a_stage_owner_owes(org, mci, left, web):
    deal, _first = left
    html = web(mci.alice.user).get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    panel = html.split('data-panel="scores_owed"')[1].split('data-panel="')[0]
    assert f"/opportunities/{deal.pk}/#scores" in panel and "2 people to score" in panel
    assert 'data-panel="scores_owed"' not in web(org.rep).get("/").content.decode()
