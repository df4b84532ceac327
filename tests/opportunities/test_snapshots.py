"""Weekly win-rate snapshots and change events (METHOD.md §4.6; issue 6: items 4 and 5)."""

from datetime import date, datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_account, make_team, make_user
from tests.opportunities.factories import make_opportunity
from wuwei.core.config import method_config_update
from wuwei.core.jobs import run_pending
from wuwei.core.scheduler import Scheduler, registered_jobs
from wuwei.methodology.presales import iso_week
from wuwei.notifications.models import Notification
from wuwei.opportunities.models import Opportunity, WinRateChange, WinRateSnapshot
from wuwei.opportunities.services import opportunity_archive
from wuwei.opportunities.winning.changes import change_events_for, nearest_managers
from wuwei.opportunities.winning.selectors import week_monday
from wuwei.opportunities.winning.snapshots import (
    parse_week,
    scheduled_snapshot,
    snapshot_needed,
    snapshot_week,
)
from wuwei.org.models import Role

WEEK = date(2027, 1, 18)  # Monday of 2027-W03
LAST_WEEK = WEEK - timedelta(days=7)
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def per_deal_messages(settings):
    """These tests cover the per-deal events; managers then hear per deal too. The daily
    digest that replaces managers' per-deal messages by default is in test_digest.py."""
    settings.WUWEI_WIN_RATE_DIGEST = False


def rate(deal: Opportunity, value: int | None) -> None:
    """Set the current win rate as the questionnaire service would (not under test here)."""
    Opportunity.objects.filter(pk=deal.pk).update(win_rate=value)


def moved(org, previous: int | None, current: int | None) -> Opportunity:
    """A deal of org.rep snapshotted last week at `previous` and rated `current` now."""
    deal = make_opportunity(org.rep, make_account(org.rep))
    rate(deal, previous)
    snapshot_week(as_of=LAST_WEEK)
    rate(deal, current)
    return deal


# ---------------------------------------------------------------------------------------
# weeks


@pytest.mark.parametrize(
    ("day", "monday", "label"),
    [
        (date(2027, 1, 18), date(2027, 1, 18), "2027-W03"),
        (date(2027, 1, 24), date(2027, 1, 18), "2027-W03"),  # Sunday: same week
        (date(2027, 1, 1), date(2026, 12, 28), "2026-W53"),  # ISO year differs
        (date(2026, 1, 1), date(2025, 12, 29), "2026-W01"),
    ],
)
def test_weeks_are_iso_weeks_named_by_their_monday(day, monday, label):
    assert week_monday(day) == monday
    assert iso_week(day) == label
    assert parse_week(label) == monday


@pytest.mark.parametrize("label", ["2027-3", "2027-W3", "2027-W54", "W03", ""])
def test_parse_week_refuses_what_is_not_an_iso_week(label):
    with pytest.raises(ValueError):
        parse_week(label)


# ---------------------------------------------------------------------------------------
# snapshots


def test_snapshot_records_every_open_deal_once_per_week(org):
    account = make_account(org.rep)
    rated = make_opportunity(org.rep, account)
    unrated = make_opportunity(org.rep, account)
    rate(rated, 45)
    # when
    result = snapshot_week(as_of=WEEK + timedelta(days=3))  # a Thursday
    # then
    assert (result.week, result.created, result.already_present, result.change_events) == (
        WEEK,
        2,
        0,
        0,
    )
    rows = {s.opportunity_id: s for s in WinRateSnapshot.objects.all()}
    assert set(rows) == {rated.pk, unrated.pk}
    assert (rows[rated.pk].week, rows[rated.pk].win_rate, rows[rated.pk].stage) == (
        WEEK,
        45,
        "validate",
    )
    assert rows[unrated.pk].win_rate is None  # not rated is recorded as such
    assert rows[rated.pk].owner_id == org.rep.pk  # the owner that week: the rep's curve


def test_second_run_in_the_same_week_creates_nothing_and_notifies_no_one(org):
    deal = moved(org, 40, 60)
    first = snapshot_week(as_of=WEEK)
    assert (first.created, first.change_events) == (1, 1)
    notifications = Notification.objects.count()
    rate(deal, 80)  # later in the week: the week's row is not rewritten by the snapshot
    # when
    second = snapshot_week(as_of=WEEK + timedelta(days=6))
    # then
    assert (second.created, second.already_present, second.change_events) == (0, 1, 0)
    assert WinRateSnapshot.objects.filter(week=WEEK).count() == 1
    assert WinRateSnapshot.objects.get(week=WEEK).win_rate == 60
    assert Notification.objects.count() == notifications == 2  # owner and manager
    assert WinRateChange.objects.count() == 1


def test_a_new_iso_week_gets_new_rows(org):
    deal = make_opportunity(org.rep, make_account(org.rep))
    rate(deal, 30)
    snapshot_week(as_of=LAST_WEEK)
    result = snapshot_week(as_of=WEEK)
    assert result.created == 1
    assert list(
        WinRateSnapshot.objects.filter(opportunity=deal).values_list("week", "win_rate")
    ) == [(LAST_WEEK, 30), (WEEK, 30)]


def test_a_row_already_written_this_week_is_kept_and_counted(org):
    deal = make_opportunity(org.rep, make_account(org.rep))
    rate(deal, 70)
    WinRateSnapshot.objects.create(
        opportunity=deal, week=WEEK, win_rate=55, stage="validate", taken_at=datetime.now(SHANGHAI)
    )
    result = snapshot_week(as_of=WEEK)
    assert (result.created, result.already_present) == (0, 1)
    assert WinRateSnapshot.objects.get(opportunity=deal).win_rate == 55


def test_closed_and_archived_deals_are_skipped(org):
    account = make_account(org.rep)
    open_deal = make_opportunity(org.rep, account)
    won = make_opportunity(org.rep, account)
    lost = make_opportunity(org.rep, account)
    archived = make_opportunity(org.rep, account)
    Opportunity.objects.filter(pk=won.pk).update(stage="won")
    Opportunity.objects.filter(pk=lost.pk).update(stage="lost")
    opportunity_archive(user=org.rep, opportunity=archived)
    result = snapshot_week(as_of=WEEK)
    assert result.created == 1
    assert list(WinRateSnapshot.objects.values_list("opportunity_id", flat=True)) == [open_deal.pk]


@pytest.mark.parametrize("batch_size", [1, 2, 3, 500])
def test_change_event_chunks_cover_every_deal_exactly_once(org, batch_size):
    account = make_account(org.rep)
    deals = [make_opportunity(org.rep, account) for _ in range(5)]
    for i, deal in enumerate(deals):
        rate(deal, i * 10)
    snapshot_week(as_of=LAST_WEEK)
    for i, deal in enumerate(deals):
        rate(deal, i * 10 + 50)
    result = snapshot_week(as_of=WEEK, batch_size=batch_size)
    assert (result.created, result.change_events) == (5, 5)
    assert dict(
        WinRateSnapshot.objects.filter(week=WEEK).values_list("opportunity", "win_rate")
    ) == {d.pk: i * 10 + 50 for i, d in enumerate(deals)}
    assert WinRateChange.objects.count() == 5
    assert Notification.objects.count() == 10


def test_snapshot_refuses_a_batch_size_below_one(db):
    with pytest.raises(ValueError):
        snapshot_week(as_of=WEEK, batch_size=0)


def test_snapshot_query_count_does_not_grow_with_deals(org):
    account = make_account(org.rep)

    def queries_for(count: int, as_of: date) -> int:
        for _ in range(count):
            deal = make_opportunity(org.rep, account)
            rate(deal, 50)
        with CaptureQueriesContext(connection) as captured:
            result = snapshot_week(as_of=as_of)
        assert result.already_present == 0
        return len(captured.captured_queries)

    # Five deals one week, fifty-five the next (50 more): the same number of queries.
    few = queries_for(5, LAST_WEEK)
    many = queries_for(50, WEEK)
    assert few == many
    # count, one INSERT … SELECT, the moves query, two savepoints each released
    # (+ the advisory lock on PostgreSQL)
    assert many == (8 if connection.vendor == "postgresql" else 7)


def test_change_event_queries_do_not_grow_with_events(org):
    account = make_account(org.rep)
    few = [make_opportunity(org.rep, account) for _ in range(2)]
    many = [make_opportunity(org.rep, account) for _ in range(20)]
    for deal in few + many:
        rate(deal, 20)
    snapshot_week(as_of=LAST_WEEK)
    for deal in few + many:
        rate(deal, 60)
    snapshot_week(as_of=WEEK)  # this week's rows, and the 22 events
    WinRateChange.objects.all().delete()
    Notification.objects.all().delete()
    # when: the same check a questionnaire submission runs, for 2 deals and for 20
    with CaptureQueriesContext(connection) as small:
        assert change_events_for(week=WEEK, opportunity_ids=[d.pk for d in few]) == 2
    with CaptureQueriesContext(connection) as large:
        assert change_events_for(week=WEEK, opportunity_ids=[d.pk for d in many]) == 20
    # then: moves, configuration, managers, record, owners, existing keys, insert (+savepoints)
    assert len(small.captured_queries) == len(large.captured_queries)
    assert Notification.objects.count() == 44


# ---------------------------------------------------------------------------------------
# change events


@pytest.mark.parametrize(
    ("previous", "current", "is_event"),
    [
        (50, 59, False),  # 9 points up
        (50, 41, False),  # 9 points down
        (50, 60, True),  # 10 points up
        (50, 40, True),  # 10 points down (−10)
        (45, 30, True),
        (0, 100, True),
        (50, 50, False),
        (None, 50, False),  # becomes rated: not a win-rate move
        (50, None, False),  # becomes not rated
        (None, None, False),
    ],
)
def test_change_event_threshold_boundaries(org, previous, current, is_event):
    deal = moved(org, previous, current)
    result = snapshot_week(as_of=WEEK)
    assert result.change_events == int(is_event)
    assert WinRateChange.objects.filter(opportunity=deal, week=WEEK).exists() is is_event
    assert Notification.objects.filter(opportunity=deal).count() == (2 if is_event else 0)


@pytest.mark.parametrize(
    ("current", "is_event"), [(54, False), (55, True), (46, False), (45, True)]
)
def test_configured_threshold_is_honoured(org, current, is_event):
    method_config_update(
        user=org.admin, data={"win_rate": {"change_event_points": 5}}, expected_version=None
    )
    moved(org, 50, current)
    assert snapshot_week(as_of=WEEK).change_events == int(is_event)


def test_no_previous_week_row_is_no_event(org):
    deal = make_opportunity(org.rep, make_account(org.rep))
    rate(deal, 10)
    snapshot_week(as_of=WEEK - timedelta(days=14))  # two weeks ago, not last week
    rate(deal, 90)
    assert snapshot_week(as_of=WEEK).change_events == 0


def test_event_is_recorded_and_notifies_owner_and_nearest_manager_once(org):
    deal = moved(org, 45, 30)
    # when
    snapshot_week(as_of=WEEK)
    snapshot_week(as_of=WEEK)
    change_events_for(week=WEEK, opportunity_ids=[deal.pk])
    # then
    change = WinRateChange.objects.get()
    assert (change.opportunity_id, change.week, change.previous, change.current) == (
        deal.pk,
        WEEK,
        45,
        30,
    )
    assert change.change == -15
    notes = Notification.objects.order_by("recipient__username")
    # the rep's own team manager; not the manager above, a peer or another subtree
    assert [n.recipient for n in notes] == [org.manager, org.rep]
    note = notes[0]
    assert note.kind == "win_rate_change"
    assert note.opportunity_id == deal.pk
    assert note.url == f"/opportunities/{deal.pk}/#strategy"
    assert note.key == f"win_rate_change:{deal.pk}:2027-01-18"
    assert note.read_at is None


def test_message_is_in_the_recipients_language(org):
    org.rep.language = "en"
    org.rep.save()
    org.manager.language = ""  # the site default: Simplified Chinese
    org.manager.save()
    deal = moved(org, 45, 30)
    Opportunity.objects.filter(pk=deal.pk).update(name="Core banking")
    snapshot_week(as_of=WEEK)
    english = Notification.objects.get(recipient=org.rep)
    assert english.title == "Win rate moved: Core banking"
    assert english.body == (
        "Win rate of Core banking moved from 45 % to 30 % (−15 points) in week 2027-W03: "
        "review the competitive strategy."
    )
    default = Notification.objects.get(recipient=org.manager)
    assert "Core banking" in default.title


def test_a_rise_is_signed_with_a_plus(org):
    org.rep.language = "en"
    org.rep.save()
    moved(org, 30, 45)
    snapshot_week(as_of=WEEK)
    assert "(+15 points)" in Notification.objects.get(recipient=org.rep).body


def test_change_events_for_one_deal_during_the_week(org):
    """What a questionnaire submission triggers: this week's row already holds the new rate."""
    account = make_account(org.rep)
    deal = make_opportunity(org.rep, account)
    other = make_opportunity(org.rep, account)
    for d in (deal, other):
        rate(d, 50)
    snapshot_week(as_of=LAST_WEEK)
    snapshot_week(as_of=WEEK)
    WinRateSnapshot.objects.filter(week=WEEK).update(win_rate=20)  # both moved this week
    # when
    wednesday = WEEK + timedelta(days=2)  # any day names its week
    assert change_events_for(week=wednesday, opportunity_ids=[deal.pk]) == 1
    assert change_events_for(week=WEEK, opportunity_ids=[deal.pk]) == 0  # idempotent
    # then
    assert list(WinRateChange.objects.values_list("opportunity_id", flat=True)) == [deal.pk]
    # the weekly run picks up the other one later
    assert snapshot_needed(as_of=WEEK) is True
    assert snapshot_week(as_of=WEEK).change_events == 1
    assert snapshot_needed(as_of=WEEK) is False


def test_nearest_manager_is_the_closest_team_up_the_tree(org):
    from wuwei.opportunities.winning.changes import managers_by_team_path

    lone = make_team("Lone office", parent=org.east)  # no manager of its own
    rep_in_lone = make_user("lone_rep", team=lone)
    second = make_user("manager2", roles=[Role.MANAGER], team=org.east_ka)
    inactive = make_user("gone", roles=[Role.MANAGER], team=org.east_ka)
    inactive.is_active = False
    inactive.save()
    managers = managers_by_team_path()
    assert {m.pk for m in nearest_managers(org.rep, managers)} == {org.manager.pk, second.pk}
    assert inactive.pk not in {m.pk for m in nearest_managers(org.rep, managers)}
    assert nearest_managers(rep_in_lone, managers) == [org.manager_above]
    # a manager who owns the deal: their own manager above
    assert nearest_managers(org.manager_above, managers) == []
    assert {m.pk for m in nearest_managers(org.manager, managers)} == {second.pk}
    assert nearest_managers(make_user("teamless"), managers) == []


def test_an_owner_who_is_a_manager_hears_with_the_manager_above(org):
    deal = make_opportunity(org.manager, make_account(org.manager))
    rate(deal, 80)
    snapshot_week(as_of=LAST_WEEK)
    rate(deal, 50)
    snapshot_week(as_of=WEEK)
    assert set(Notification.objects.values_list("recipient__username", flat=True)) == {
        "manager",
        "boss",
    }


# ---------------------------------------------------------------------------------------
# the command and the scheduler


def test_command_prints_the_counts_and_is_idempotent(org, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: WEEK + timedelta(days=2))
    moved(org, 40, 55)
    out = StringIO()
    call_command("snapshot", "--week", "2027-W03", stdout=out)
    assert out.getvalue().strip() == (
        "Week 2027-W03 (from 2027-01-18): 1 snapshots created, 0 already present, 1 change events."
    )
    out = StringIO()
    call_command("snapshot", "--date", "2027-01-20", stdout=out)
    assert out.getvalue().strip() == (
        "Week 2027-W03 (from 2027-01-18): 0 snapshots created, 1 already present, 0 change events."
    )
    out = StringIO()
    call_command("snapshot", stdout=out)  # default: this week
    assert "Week 2027-W03" in out.getvalue()
    out = StringIO()
    call_command("snapshot", "--if-needed", stdout=out)
    assert out.getvalue().strip() == "Week 2027-W03: nothing to do."
    make_opportunity(org.rep, make_account(org.rep))  # a new deal lacks this week's row
    out = StringIO()
    call_command("snapshot", "--if-needed", stdout=out)
    assert "1 snapshots created, 1 already present" in out.getvalue()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--week", "2027-W3"], "not an ISO week"),
        (["--date", "18/01/2027"], "not a date"),
        (["--week", "2027-W04"], "has not started yet"),
        (["--batch-size", "0"], "at least 1"),
    ],
)
def test_command_refuses_bad_input(db, monkeypatch, args, message):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: WEEK)
    with pytest.raises(CommandError, match=message):
        call_command("snapshot", *args)


def test_the_snapshot_job_is_registered_hourly():
    jobs = {job.name: job for job in registered_jobs()}
    assert jobs["win_rate_snapshot"].every == timedelta(hours=1)
    assert jobs["win_rate_snapshot"].run is scheduled_snapshot


def test_scheduled_snapshot_follows_the_local_week(org):
    deal = make_opportunity(org.rep, make_account(org.rep))
    rate(deal, 35)
    # Sunday 23:30 in Shanghai is still 2027-W02 there (15:30 UTC)
    sunday_night = datetime(2027, 1, 17, 23, 30, tzinfo=SHANGHAI)
    assert scheduled_snapshot(sunday_night).week == LAST_WEEK
    # Monday 00:30: a new week starts, so the snapshot is missing and taken
    monday = datetime(2027, 1, 18, 0, 30, tzinfo=SHANGHAI)
    result = scheduled_snapshot(monday)
    assert (result.week, result.created) == (WEEK, 1)
    # an hour later nothing is missing: no run at all
    assert scheduled_snapshot(monday + timedelta(hours=1)) is None


def test_scheduler_runs_the_snapshot_hourly_only_when_missing(org, monkeypatch):
    """The real job through the scheduler and the queue, with a fixed clock (no sleeping)."""
    from django.utils import timezone

    deal = make_opportunity(org.rep, make_account(org.rep))
    rate(deal, 35)
    clock = [datetime(2027, 1, 18, 0, 30, tzinfo=SHANGHAI)]
    monkeypatch.setattr(timezone, "now", lambda: clock[0])
    job = next(j for j in registered_jobs() if j.name == "win_rate_snapshot")
    scheduler = Scheduler([job], clock=lambda: clock[0])
    assert scheduler.tick() == ["win_rate_snapshot"]
    run_pending()
    assert WinRateSnapshot.objects.filter(week=WEEK).count() == 1
    clock[0] += timedelta(minutes=29)
    assert scheduler.tick() == []  # same hour: already claimed
    make_opportunity(org.rep, make_account(org.rep))  # a deal created mid-week
    clock[0] += timedelta(minutes=1)
    assert scheduler.tick() == ["win_rate_snapshot"]
    run_pending()
    assert WinRateSnapshot.objects.filter(week=WEEK).count() == 2


def test_recorded_changes_follow_the_deals_visibility(org):
    from wuwei.core.visibility import visible

    deal = moved(org, 45, 30)
    snapshot_week(as_of=WEEK)
    for user in (org.rep, org.manager, org.manager_above, org.executive):
        assert list(visible(WinRateChange, user).values_list("opportunity_id", flat=True)) == [
            deal.pk
        ]
    for user in (org.peer_rep, org.other_manager, org.partner):
        assert not visible(WinRateChange, user).exists()
