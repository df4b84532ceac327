"""The forecast's running totals (insights.forecast.cells): kept by the database through every
kind of write, equal to counting everything again, and read only when they answer exactly
what adding up the deals would — for someone who sees every deal, whole months, this last
week and these thresholds. PostgreSQL only (SQLite keeps none: the last test)."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.insights.forecast_data import Q1, build, snapshot
from tests.opportunities.factories import make_opportunity
from wuwei.core.config import method_config, method_config_update
from wuwei.insights.forecast import selectors
from wuwei.insights.forecast.cells import (
    CELLS,
    KEY,
    SUM_NAMES,
    basis_in_force,
    recount,
    scheduled_recount,
)
from wuwei.insights.forecast.models import ForecastCell
from wuwei.methodology.forecast import PeriodKind
from wuwei.opportunities.models import Opportunity, WinRateSnapshot
from wuwei.opportunities.services import (
    opportunity_archive,
    opportunity_create,
    opportunity_move_stage,
    opportunity_restore,
    opportunity_update,
)
from wuwei.opportunities.winning.services import win_rate_refresh

AS_OF = date(2027, 2, 10)
LAST_WEEK = date(2027, 2, 1)
YEAR = (date(2027, 1, 1), date(2027, 12, 31))
postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the running totals are kept on PostgreSQL"
)


@pytest.fixture
def data(org: Any) -> Any:
    deals = build(org, LAST_WEEK)
    recount(as_of=AS_OF)
    return deals


def _cells() -> dict[tuple[Any, ...], tuple[Any, ...]]:
    """The cells that count something, by key."""
    rows = ForecastCell.objects.values_list(*KEY, *SUM_NAMES)
    return {row[:3]: row[3:] for row in rows if any(row[3:])}


def _grid(user: Any, kind: PeriodKind = PeriodKind.QUARTER, window: Any = YEAR) -> Any:
    return selectors.forecast_grid(
        user=user, kind=kind, date_from=window[0], date_to=window[1], as_of=AS_OF
    )


def _reads_cells(user: Any, **kwargs: Any) -> bool:
    with CaptureQueriesContext(connection) as queries:
        _grid(user, **kwargs)
    return _cells_read(queries)


def _cells_read(queries: Any) -> bool:
    return any(f"FROM {CELLS} c " in q["sql"] for q in queries.captured_queries)


def _same_both_ways(user: Any, monkeypatch: Any) -> None:
    """The grid from the cells equals the grid from the deals, by quarter and by month."""
    for kind in (PeriodKind.QUARTER, PeriodKind.MONTH):
        assert _reads_cells(user, kind=kind)
        counted = _grid(user, kind)
        with monkeypatch.context() as patch:
            patch.setattr(selectors, "_counted", lambda *args: False)
            added_up = _grid(user, kind)
        assert counted == added_up


def _kept() -> None:
    """The cells as the triggers left them equal the cells counted again."""
    kept = _cells()
    recount(as_of=AS_OF)
    assert kept == _cells()


@postgresql
def test_the_cells_give_the_grid_of_the_deals(data, monkeypatch):
    org = data.org
    assert _cells()  # counted by the fixture
    for user in (org.executive, org.admin):
        _same_both_ways(user, monkeypatch)
    q1 = _grid(org.executive, window=Q1).periods[0]
    # the fixed data set's Q1 (test_forecast): 7 open deals, 4 with last week's snapshot
    assert (q1.figures.deals, q1.previous.deals) == (7, 4)
    assert q1.figures.unrated == Decimal(200_000)


@postgresql
def test_every_kind_of_write_keeps_the_cells(data, monkeypatch):
    org, deals = data.org, data.by_name
    rep, account = org.rep, deals["commit70"].account
    at = timezone.make_aware(datetime(2027, 2, 10, 9))

    created = opportunity_create(
        user=rep, account=account, name="new", amount=Decimal(300_000), at=at
    )
    Opportunity.objects.filter(pk=created.pk).update(expected_close=date(2027, 3, 3))
    _kept()
    deal = Opportunity.objects.get(pk=deals["commit70"].pk)
    opportunity_update(
        user=rep,
        opportunity=deal,
        changes={"amount": Decimal(1_250_000), "expected_close": date(2027, 5, 20)},
        expected_version=deal.version,
    )
    _kept()
    deal = Opportunity.objects.get(pk=deals["best69"].pk)
    opportunity_update(
        user=org.manager,
        opportunity=deal,
        changes={"owner": org.peer_rep},
        expected_version=deal.version,
    )
    _kept()
    deal = Opportunity.objects.get(pk=deals["pipe39"].pk)
    opportunity_move_stage(user=rep, opportunity=deal, to="lost", reason="budget cut", at=at)
    _kept()
    deal = Opportunity.objects.get(pk=deals["best40"].pk)
    opportunity_archive(user=rep, opportunity=deal)
    _kept()
    deal = Opportunity.objects.get(pk=deals["archived"].pk)
    opportunity_restore(user=org.admin, opportunity=deal)
    _kept()
    win_rate_refresh(opportunity=Opportunity.objects.get(pk=deals["unrated"].pk), as_of=at)
    _kept()
    # a queryset update of many rows at once (imports and bulk edits write this way)
    Opportunity.objects.filter(owner=rep).update(win_rate=75, team=org.north_ka)
    _kept()
    Opportunity.objects.filter(pk=deals["q2"].pk).delete()
    _kept()
    make_opportunity(org.peer_rep, account, amount=50_000)
    _kept()
    for user in (org.executive, org.admin):
        _same_both_ways(user, monkeypatch)


@postgresql
def test_a_snapshot_of_last_week_forgets_the_basis(data):
    org = data.org
    before = _grid(org.executive)
    WinRateSnapshot.objects.filter(opportunity=data.by_name["commit70"], week=LAST_WEEK).update(
        win_rate=10
    )
    assert basis_in_force() is None
    assert not _reads_cells(org.executive)
    after = _grid(org.executive)
    assert after.previous.weighted == before.previous.weighted - Decimal(
        500_000
    )  # 1,000,000 × (60 − 10) %
    # this week's snapshots are other weeks: they keep the basis
    recount(as_of=AS_OF)
    snapshot(data.by_name["q2"], LAST_WEEK + timedelta(days=7), 50)
    assert basis_in_force() is not None


@postgresql
def test_the_cells_answer_only_what_they_were_counted_for(data):
    org = data.org
    assert _reads_cells(org.executive)
    # not for a window that cuts a month, a team asked for, or another week
    assert not _reads_cells(org.executive, window=(date(2027, 1, 2), date(2027, 3, 31)))
    with CaptureQueriesContext(connection) as queries:
        selectors.forecast_grid(user=org.executive, team=org.east, as_of=AS_OF)
    assert not _cells_read(queries)
    with CaptureQueriesContext(connection) as queries:
        selectors.forecast_grid(user=org.executive, as_of=AS_OF + timedelta(days=7))
    assert not _cells_read(queries)
    # not for someone whose visibility imposes a condition (a manager sees deal teams too)
    assert not _reads_cells(org.manager)
    assert not _reads_cells(org.rep)
    # not under other thresholds, until counted again
    data_ = method_config().to_dict()
    data_["forecast"]["commit_min"] = 60
    method_config_update(user=org.admin, data=data_, expected_version=None)
    assert not _reads_cells(org.executive)
    assert scheduled_recount(timezone.make_aware(datetime(2027, 2, 10, 12))) is not None
    assert _reads_cells(org.executive)
    assert scheduled_recount(timezone.make_aware(datetime(2027, 2, 10, 13))) is None


@postgresql
def test_the_executives_grid_reads_a_fixed_number_of_queries(data):
    org = data.org
    _grid(org.executive)  # the configuration is read once, then cached
    with CaptureQueriesContext(connection) as few:
        _grid(org.executive)
    for i in range(30):
        make_opportunity(org.peer_rep, data.by_name["commit70"].account, amount=1_000 + i)
    Opportunity.objects.filter(owner=org.peer_rep).update(expected_close=date(2027, 2, 2))
    with CaptureQueriesContext(connection) as many:
        _grid(org.executive)
    assert len(few) == len(many)


@pytest.mark.skipif(connection.vendor == "postgresql", reason="SQLite keeps no cells")
def test_sqlite_adds_up_the_deals(org):
    build(org, LAST_WEEK)
    assert recount(as_of=AS_OF) == 0
    assert basis_in_force() is None
    assert not _reads_cells(org.executive)
    assert _grid(org.executive, window=Q1).periods[0].figures.deals == 7


@postgresql
def test_the_home_pages_quarter_and_regions_read_the_cells_alike(data, monkeypatch):
    org = data.org
    for user in (org.executive, org.admin):
        with CaptureQueriesContext(connection) as queries:
            counted = (
                selectors.team_forecast_summary(user, as_of=AS_OF),
                selectors.forecast_by_region(user, as_of=AS_OF),
            )
        assert _cells_read(queries)
        with monkeypatch.context() as patch:
            patch.setattr(selectors, "_counted", lambda *args: False)
            added_up = (
                selectors.team_forecast_summary(user, as_of=AS_OF),
                selectors.forecast_by_region(user, as_of=AS_OF),
            )
        assert counted == added_up
        assert counted[0].figures.deals == 7
