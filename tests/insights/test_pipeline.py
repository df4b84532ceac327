"""Pipeline analytics (METHOD.md §8) on the forecast's fixed data set plus stage history,
competitors and a pushed close date: exact numbers, visibility, fixed query counts."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.insights.forecast_data import build, money
from tests.opportunities.factories import make_competitor
from wuwei.insights.pipeline import pipeline_report
from wuwei.opportunities.models import Opportunity, StageHistory
from wuwei.opportunities.services import opportunity_competitor_add

AS_OF = date(2027, 2, 10)
LAST_WEEK = date(2027, 2, 1)
PERIOD = {"date_from": date(2027, 1, 1), "date_to": date(2027, 6, 30)}


def _at(day):
    return timezone.make_aware(datetime(day.year, day.month, day.day, 9))


def _stay(deal, stage, entered, left=None):
    StageHistory.objects.create(
        opportunity=deal, stage=stage, entered_at=_at(entered), left_at=left and _at(left)
    )


@pytest.fixture
def data(org):
    data = build(org, LAST_WEEK)
    deals = data.by_name
    x, y = deals["commit70"], deals["best69"]
    _stay(x, "validate", date(2027, 1, 5), date(2027, 1, 15))
    _stay(x, "initiate", date(2027, 1, 15), date(2027, 1, 25))
    _stay(x, "needs_analysis", date(2027, 1, 25))
    _stay(y, "validate", date(2027, 1, 10), date(2027, 1, 30))
    _stay(y, "lost", date(2027, 1, 30))
    rival_a = make_competitor(org.rep, name="Rival A")
    rival_b = make_competitor(org.rep, name="Rival B")
    lost = deals["q2"]
    Opportunity.objects.filter(pk=lost.pk).update(
        stage="lost", closed_on=date(2027, 3, 1), winning_competitor=rival_a
    )
    for deal, rival in ((deals["won"], rival_a), (deals["won"], rival_b), (lost, rival_a)):
        opportunity_competitor_add(user=org.rep, opportunity=deal, competitor=rival)
    # best69's close date was 2027-01-20 on 2027-01-21, then pushed to 2027-02-15
    y.expected_close = date(2027, 1, 20)
    y.save()
    Opportunity.history.filter(id=y.pk, expected_close=date(2027, 1, 20)).update(
        history_date=_at(date(2027, 1, 21))
    )
    Opportunity.objects.filter(pk=y.pk).update(expected_close=date(2027, 2, 15))
    return data


def test_pipeline_numbers_for_the_manager(data):
    report = pipeline_report(user=data.org.manager, as_of=AS_OF, **PERIOD)

    # funnel: the open deals (q2 was lost above)
    [validate] = [row for row in report.funnel if row.deals]
    assert (validate.stage, validate.deals, validate.amount) == ("validate", 6, money(2_500_000))
    assert {g: n for g, (n, _a) in validate.by_grade.items() if n} == {"B": 1, "C": 4, "D": 1}
    flow = [(f.stage, f.entered, f.advanced, f.conversion, f.average_days) for f in report.flow]
    assert flow == [
        ("validate", 2, 1, Decimal("50.0"), Decimal("15.0")),
        ("initiate", 1, 1, Decimal("100.0"), Decimal("10.0")),
        ("needs_analysis", 1, 0, Decimal("0.0"), None),
    ]
    assert [(b.low, b.deals) for b in report.bands if b.deals] == [
        (30, 1),
        (40, 1),
        (60, 1),
        (70, 1),
        (90, 1),
        (None, 1),
    ]
    assert [(c.name, c.won, c.lost, c.lost_to) for c in report.competitors] == [
        ("Rival A", 1, 1, 1),
        ("Rival B", 1, 0, 0),
    ]
    assert (report.slipped_count, report.slipped_amount) == (2, money(800_000))
    assert [(s.name, s.first_close, s.is_overdue) for s in report.slipped] == [
        ("at 69", date(2027, 1, 20), False),
        ("at 39", None, True),
    ]
    assert report.weeks == [date(2027, 1, 25), date(2027, 2, 1)]
    team, rep = report.curves
    assert team.user_id is None and rep.name == "rep"
    assert [str(v) for v in rep.points.values()] == ["10.0", "69.7"]


def test_stage_flow_counts_stays_begun_in_the_period_with_moves_before_and_after_it(data):
    # given: best40 entered validate before the period, moved on inside it, and left initiate
    # after it ended; a stay begun on the period's last day counts, the day after does not
    deal = data.by_name["best40"]
    _stay(deal, "validate", date(2026, 12, 1), date(2027, 1, 3))
    _stay(deal, "initiate", date(2027, 1, 3), date(2027, 7, 1))
    _stay(deal, "bidding", date(2027, 7, 1))
    other = data.by_name["commit70"]
    _stay(other, "bidding", date(2027, 6, 30))
    _stay(other, "validate", date(2027, 7, 1))

    report = pipeline_report(user=data.org.manager, as_of=AS_OF, **PERIOD)

    flow = {f.stage: (f.entered, f.advanced, f.average_days) for f in report.flow}
    assert flow["validate"] == (2, 1, Decimal("15.0"))
    assert flow["initiate"] == (2, 2, Decimal("94.5"))
    assert flow["bidding"] == (1, 0, None)


def test_a_deal_back_in_a_stage_counts_once_and_archived_deals_not_at_all(data):
    # given: commit70 came back to validate and initiate inside the period; best69 had been
    # in validate before the period too; an archived deal entered validate in the period
    again = data.by_name["commit70"]
    _stay(again, "validate", date(2027, 2, 1), date(2027, 2, 5))
    _stay(again, "initiate", date(2027, 2, 5))
    _stay(data.by_name["best69"], "validate", date(2026, 12, 1), date(2026, 12, 10))
    archived = data.by_name["best40"]
    _stay(archived, "validate", date(2027, 1, 2), date(2027, 1, 4))
    _stay(archived, "initiate", date(2027, 1, 4))
    Opportunity.objects.filter(pk=archived.pk).update(archived_at=_at(date(2027, 2, 1)))
    [old, new] = StageHistory.objects.filter(opportunity=again, stage="initiate")
    assert (old.previous_entered_at, new.previous_entered_at) == (None, old.entered_at)

    for viewer in (data.org.manager, data.org.executive):
        report = pipeline_report(user=viewer, as_of=AS_OF, **PERIOD)
        flow = {f.stage: (f.entered, f.advanced, f.average_days) for f in report.flow}
        # validate: commit70 once (advanced from its first stay), best69 (lost); the stays
        # that ended: 10, 20 and 4 days; initiate: commit70 once, its first stay advanced
        assert flow["validate"] == (2, 1, Decimal("11.3")), viewer
        assert flow["initiate"] == (1, 1, Decimal("10.0")), viewer


def test_slipped_deals_biggest_first_over_the_company_a_team_and_its_manager(data):
    # given: a deal of another team past its close date, bigger than the east team's two
    north = data.by_name["north90"]
    Opportunity.objects.filter(pk=north.pk).update(expected_close=date(2027, 1, 5))
    executive = data.org.executive

    company = pipeline_report(user=executive, as_of=AS_OF, **PERIOD)
    team = pipeline_report(user=executive, team=data.org.east_ka, as_of=AS_OF, **PERIOD)
    mine = pipeline_report(user=data.org.manager, as_of=AS_OF, **PERIOD)

    # the company's list walks the amount index, a team's sorts its few: the same order
    assert [s.name for s in company.slipped] == ["north at 90", "at 69", "at 39"]
    assert (company.slipped_count, company.slipped_amount) == (3, money(1_400_000))
    assert [s.name for s in team.slipped] == [s.name for s in mine.slipped] == ["at 69", "at 39"]
    # the totals come with the funnel's pass, over the same deals as the list
    totals = [(r.slipped_count, r.slipped_amount) for r in (team, mine)]
    assert totals == [(2, money(800_000))] * 2


def test_outsider_and_partner_see_none_of_it(data):
    for viewer in (data.org.other_manager, data.org.partner):
        report = pipeline_report(user=viewer, as_of=AS_OF, **PERIOD)
        assert report.flow == [] and report.competitors == [] and report.slipped == []
        assert report.curves == [] and (report.slipped_count, report.slipped_amount) == (0, 0)
        assert all(r.name != "Rival A" for r in report.competitors)


def test_pipeline_query_count_is_fixed(data, django_assert_num_queries):
    manager = data.org.manager
    pipeline_report(user=manager, as_of=AS_OF, **PERIOD)
    with django_assert_num_queries(6):
        pipeline_report(user=manager, as_of=AS_OF, **PERIOD)
    from tests.insights.forecast_data import _deal

    account = data.by_name["commit70"].account
    for n in range(10):
        _deal(data.org.rep, account, f"more {n}", 10_000, n * 10, date(2027, 1, 2))
    with django_assert_num_queries(6):
        pipeline_report(user=manager, as_of=AS_OF, **PERIOD)
