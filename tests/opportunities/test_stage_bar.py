"""The deal page's stage bar: only the stages the method allows from here are buttons; the
move goes through the one stage service with the version; a refused move says why."""

import re
from decimal import Decimal

import pytest

from tests.factories import make_account
from tests.opportunities.factories import make_opportunity, products, version_of
from wuwei.opportunities.models import Opportunity
from wuwei.opportunities.registrations import registration_convert, registration_create


def _targets(html: str) -> list[str]:
    return re.findall(r'data-stage-pick="(\w+)"', html)


def _options(html: str) -> list[str]:
    form = html[html.index('id="stage-form"') :]
    select = form[form.index('name="to"') : form.index("</select>")]
    return re.findall(r'<option value="(\w+)"', select)


@pytest.fixture
def account(org):
    return make_account(org.rep, name="Bar Co")


def test_big_project_bar_offers_the_next_stage_backwards_and_lost(org, web, account):
    # given an AB deal (big project: one stage at a time) in needs analysis
    deal = make_opportunity(org.rep, account, 2_000_000, name="Big one")
    Opportunity.objects.filter(pk=deal.pk).update(stage="needs_analysis")
    # when the rep opens the deal page
    html = web(org.rep).get(f"/opportunities/{deal.pk}/").content.decode()
    # then the bar offers the earlier stages, the next one and lost, nothing else
    expected = ["validate", "initiate", "value_presentation", "lost"]
    assert _targets(html) == expected
    assert _options(html) == expected
    assert 'data-stage-pick="won"' not in html
    assert 'aria-current="step"' in html


def test_fast_track_bar_offers_every_later_stage(org, web, account):
    deal = make_opportunity(org.rep, account, 100_000, name="Small one")
    assert deal.track == "fast_track"
    html = web(org.rep).get(f"/opportunities/{deal.pk}/").content.decode()
    assert _targets(html) == [
        "initiate",
        "needs_analysis",
        "value_presentation",
        "tender_preparation",
        "bidding",
        "negotiation",
        "lost",
    ]


def test_won_is_offered_only_from_negotiation(org, web, account):
    deal = make_opportunity(org.rep, account, 100_000)
    Opportunity.objects.filter(pk=deal.pk).update(stage="negotiation")
    html = web(org.rep).get(f"/opportunities/{deal.pk}/").content.decode()
    assert _targets(html)[-2:] == ["won", "lost"]


def test_lost_only_fields_are_marked_for_lost(org, web, account):
    deal = make_opportunity(org.rep, account, 100_000)
    html = web(org.rep).get(f"/opportunities/{deal.pk}/").content.decode()
    form = html[
        html.index('id="stage-form"') : html.index("</form>", html.index('id="stage-form"'))
    ]
    # the loss reason label, the winner and the price show only when "lost" is chosen
    assert form.count('data-stage-when="lost"') == 3
    assert 'name="winning_competitor"' in form and 'name="winning_price"' in form
    assert f'name="version" value="{deal.version}"' in form
    # no override field for a rep (only a manager above the deal may override gates)
    assert 'name="override_reason"' not in form


def test_closed_deal_has_no_stage_buttons(org, web, account):
    deal = make_opportunity(org.rep, account, 100_000)
    Opportunity.objects.filter(pk=deal.pk).update(stage="lost")
    html = web(org.rep).get(f"/opportunities/{deal.pk}/").content.decode()
    assert _targets(html) == [] and 'id="stage-form"' not in html


def test_move_from_the_bar_changes_the_stage(org, web, account):
    deal = make_opportunity(org.rep, account, 100_000)
    response = web(org.rep).post(
        f"/opportunities/{deal.pk}/move/",
        {"to": "bidding", "reason": "", "version": version_of(deal.pk)},
        follow=True,
    )
    assert "Stage changed." in response.content.decode()
    deal.refresh_from_db()
    assert (deal.stage, deal.version) == ("bidding", 2)


def test_refused_move_shows_the_reason_and_changes_nothing(org, web, account):
    # given a big project in validate: skipping ahead is refused by the method's rules
    deal = make_opportunity(org.rep, account, 2_000_000)
    response = web(org.rep).post(
        f"/opportunities/{deal.pk}/move/", {"to": "bidding", "version": 1}, follow=True
    )
    html = response.content.decode()
    assert "goes through every stage" in html
    deal.refresh_from_db()
    assert (deal.stage, deal.version) == ("validate", 1)


def test_stale_version_is_refused(org, web, account):
    deal = make_opportunity(org.rep, account, 100_000)
    Opportunity.objects.filter(pk=deal.pk).update(version=5)
    response = web(org.rep).post(
        f"/opportunities/{deal.pk}/move/", {"to": "initiate", "version": 1}, follow=True
    )
    deal.refresh_from_db()
    assert (deal.stage, deal.version) == ("validate", 5)
    assert 'class="alert alert-danger' in response.content.decode() or "alert-error" in (
        response.content.decode()
    )


def test_partner_running_the_deal_gets_the_bar_without_internal_fields(org, web, account):
    # given a deal the partner's company registered and runs
    registration = registration_create(
        user=org.partner, account=account, partner=org.partner_team, products=products("cloud")
    )
    deal = registration_convert(
        user=org.partner, registration=registration, name="Partner run", amount=Decimal(500_000)
    )
    html = web(org.partner).get(f"/opportunities/{deal.pk}/").content.decode()
    assert "lost" in _targets(html)
    assert 'name="winning_competitor"' not in html and 'name="winning_price"' not in html
