"""The forecast (METHOD.md §8) on a fixed data set: weighted, commit and best case at exactly
40/70 and just below, unrated deals apart, last week from the snapshots, adjustments beside the
computed figures, visibility per viewer, fixed query counts."""

from datetime import date

import pytest

from tests.insights.forecast_data import Q1, build, money
from wuwei.core.errors import Conflict, NotAllowed, ValidationFailed
from wuwei.insights.forecast.selectors import (
    forecast_by_region,
    forecast_grid,
    team_forecast_summary,
    unrated_deals,
)
from wuwei.insights.forecast.services import (
    forecast_adjustment_create,
    forecast_adjustment_update,
    may_adjust,
)
from wuwei.methodology.forecast import PeriodKind

AS_OF = date(2027, 2, 10)  # a Wednesday; last week's snapshot is the week of 2027-02-01
LAST_WEEK = date(2027, 2, 1)


@pytest.fixture
def data(org):
    return build(org, LAST_WEEK)


def _grid(user, **kwargs):
    kwargs.setdefault("date_from", Q1[0])
    kwargs.setdefault("date_to", Q1[1])
    return forecast_grid(user=user, as_of=AS_OF, **kwargs)


def _f(figures):
    return (
        figures.deals,
        figures.pipeline,
        figures.weighted,
        figures.commit,
        figures.best_case,
        figures.unrated,
        figures.unrated_deals,
    )


def test_the_managers_quarter(data):
    grid = _grid(data.org.manager)

    [q1] = grid.periods
    assert q1.period.label == "2027-Q1"
    # 1,000,000×70 + 500,000×69 + 400,000×40 + 300,000×39 + 100,000×100 (peer) = 1,422,000;
    # the unrated 200,000 is in the pipeline but not weighted
    assert _f(q1.figures) == (
        6,
        money(2_500_000),
        money(1_422_000),
        money(1_100_000),  # 70 and 100: commit; 69 is not
        money(2_000_000),  # ≥ 40 (commit included); 39 is not
        money(200_000),
        1,
    )
    assert (q1.figures.commit_deals, q1.figures.best_case_deals) == (2, 4)
    # last week: 1,000,000×60 + 500,000×69 + 900,000×80 (then open, won since) = 1,665,000
    assert _f(q1.previous) == (
        4,
        money(2_600_000),
        money(1_665_000),
        money(900_000),
        money(2_400_000),
        money(200_000),
        1,
    )
    assert (q1.change.weighted, q1.change.commit, q1.change.best_case) == (
        money(-243_000),
        money(200_000),
        money(-400_000),
    )
    [team] = q1.teams
    assert team.name == "East KA"
    assert [(r.name, r.figures.weighted) for r in team.reps] == [
        ("peer", money(100_000)),
        ("rep", money(1_322_000)),
    ]
    assert grid.figures == q1.figures


def test_months_split_the_quarter(data):
    grid = _grid(data.org.manager, kind=PeriodKind.MONTH)

    assert [(p.period.label, p.figures.weighted, p.figures.deals) for p in grid.periods] == [
        ("2027-01", money(117_000), 1),
        ("2027-02", money(1_145_000), 4),
        ("2027-03", money(160_000), 1),
    ]


def test_changed_thresholds_come_from_the_method_configuration(data):
    from wuwei.core.config import method_config_update

    method_config_update(
        user=data.org.admin,
        data={"forecast": {"commit_min": 69, "best_case_min": 39}},
        expected_version=1,
    )

    q1 = _grid(data.org.manager).periods[0]

    assert (q1.figures.commit, q1.figures.best_case) == (money(1_600_000), money(2_300_000))


@pytest.mark.parametrize(
    ("viewer", "weighted", "deals"),
    [
        ("rep", 1_322_000, 5),  # own deals only
        ("peer_rep", 100_000, 1),
        ("manager", 1_422_000, 6),  # the team subtree
        ("manager_above", 1_422_000, 6),
        ("other_manager", 540_000, 1),  # the north team only
        ("executive", 1_962_000, 7),
        ("partner", 0, 0),
    ],
)
def test_each_viewer_sees_their_deals(data, viewer, weighted, deals):
    grid = _grid(getattr(data.org, viewer) if viewer != "north" else data.north_rep)

    assert (grid.figures.weighted, grid.figures.deals) == (money(weighted), deals)


def test_team_filter_keeps_a_subtree(data):
    everything = _grid(data.org.executive, team=data.org.north_ka)

    assert everything.figures.weighted == money(540_000)


def test_unrated_deals_are_listed_apart(data):
    deals = unrated_deals(user=data.org.manager, date_from=Q1[0], date_to=Q1[1])

    assert [d.name for d in deals] == ["unrated"]
    assert list(unrated_deals(user=data.org.other_manager, date_from=Q1[0], date_to=Q1[1])) == []


def test_no_snapshot_last_week_means_no_change(org):
    grid = forecast_grid(user=org.manager, as_of=AS_OF, date_from=Q1[0], date_to=Q1[1])

    assert grid.previous is None and grid.change.weighted is None and grid.is_empty


def test_query_count_does_not_grow_with_deals(data, django_assert_num_queries):
    from tests.insights.forecast_data import _deal

    manager = data.org.manager
    _grid(
        manager
    )  # warm the user's roles and team (then: configuration, the grid with last week, owner names,
    # team names, adjustments)
    with django_assert_num_queries(5):
        _grid(manager)
    account = data.by_name["commit70"].account
    for n in range(15):
        _deal(data.org.peer_rep, account, f"more {n}", 10_000, n * 5, date(2027, 1, 20))
    with django_assert_num_queries(5):
        _grid(manager)


# --- adjustments ----------------------------------------------------------------------------


def test_adjustment_is_kept_beside_the_computed_figure(data):
    org = data.org
    forecast_adjustment_create(
        user=org.manager,
        team=org.east_ka,
        period="2027-Q1",
        weighted=money(1_200_000),
        commit=money(1_000_000),
        comment="客户预算推迟到二季度",
    )

    [team] = _grid(org.manager).periods[0].teams

    assert team.figures.weighted == money(1_422_000)
    assert (team.adjustment.weighted, team.adjustment.commit, team.adjustment.best_case) == (
        money(1_200_000),
        money(1_000_000),
        None,
    )
    assert team.adjustment.comment == "客户预算推迟到二季度"
    # a rep does not see the manager's adjustment
    assert _grid(org.rep).periods[0].teams[0].adjustment is None


@pytest.mark.parametrize("adjuster", ["manager", "manager_above"])
def test_a_manager_of_the_team_may_adjust(data, adjuster):
    assert may_adjust(getattr(data.org, adjuster), data.org.east_ka)


@pytest.mark.parametrize("adjuster", ["rep", "other_manager", "executive", "partner"])
def test_others_may_not_adjust(data, adjuster):
    with pytest.raises(NotAllowed):
        forecast_adjustment_create(
            user=getattr(data.org, adjuster),
            team=data.org.east_ka,
            period="2027-Q1",
            weighted=money(1),
            comment="no",
        )


@pytest.mark.parametrize(
    ("period", "figures", "comment", "field"),
    [
        ("2027-Q5", {"weighted": money(1)}, "why", "period"),
        ("2027-Q1", {}, "why", "weighted"),
        ("2027-Q1", {"commit": money(-1)}, "why", "commit"),
        ("2027-Q1", {"weighted": money(1)}, "   ", "comment"),
    ],
)
def test_adjustment_refuses_bad_input(data, period, figures, comment, field):
    with pytest.raises(ValidationFailed) as refused:
        forecast_adjustment_create(
            user=data.org.manager, team=data.org.east_ka, period=period, comment=comment, **figures
        )

    assert field in [f for f, _m in refused.value.errors]


def test_one_adjustment_per_team_and_period_versioned_and_audited(data):
    org = data.org
    first = forecast_adjustment_create(
        user=org.manager, team=org.east_ka, period="2027-Q1", weighted=money(5), comment="a"
    )
    with pytest.raises(Conflict):
        forecast_adjustment_create(
            user=org.manager_above,
            team=org.east_ka,
            period="2027-Q1",
            weighted=money(6),
            comment="b",
        )
    changed = forecast_adjustment_update(
        user=org.manager_above,
        adjustment=first,
        changes={"weighted": money(7)},
        expected_version=1,
    )
    assert (changed.version, changed.weighted) == (2, money(7))
    with pytest.raises(Conflict):
        forecast_adjustment_update(
            user=org.manager,
            adjustment=changed,
            changes={"weighted": money(8)},
            expected_version=1,
        )
    history = list(changed.history.order_by("history_date").values_list("weighted", "history_user"))
    assert history == [(money(5), org.manager.pk), (money(7), org.manager_above.pk)]


# --- home page and executives ---------------------------------------------------------------


def test_team_forecast_summary_for_the_home_page(data):
    summary = team_forecast_summary(data.org.manager, as_of=AS_OF)

    assert summary.period.label == "2027-Q1"
    assert (summary.figures.weighted, summary.figures.commit, summary.figures.best_case) == (
        money(1_422_000),
        money(1_100_000),
        money(2_000_000),
    )
    assert summary.change.weighted == money(-243_000)
    assert team_forecast_summary(data.org.partner, as_of=AS_OF) is None


def test_forecast_by_region(data):
    regions = forecast_by_region(data.org.executive, as_of=AS_OF)

    assert [(r.name, r.figures.weighted, r.change.weighted) for r in regions] == [
        ("East", money(1_422_000), money(-243_000)),
    ]
    assert forecast_by_region(data.org.partner, as_of=AS_OF) == []
