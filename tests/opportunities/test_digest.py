"""The managers' daily win-rate digest (issue 14): N automatic moves in a team become one
message per manager and day, with the deal count and a link per deal; owners still get their
per-deal message; a second run sends nothing; the setting switches back to per-deal."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from tests.factories import make_account, make_user
from tests.opportunities.factories import make_opportunity
from wuwei.core.scheduler import registered_jobs
from wuwei.notifications.models import Notification
from wuwei.opportunities.models import Opportunity, WinRateChange
from wuwei.opportunities.winning.changes import KIND as PER_DEAL
from wuwei.opportunities.winning.digest import KIND as DIGEST
from wuwei.opportunities.winning.digest import manager_digest, scheduled_digest
from wuwei.opportunities.winning.snapshots import snapshot_week

WEEK = date(2027, 1, 18)
LAST_WEEK = WEEK - timedelta(days=7)
HOSTILE = "<img src=x onerror=alert(1)>"


def moves(owner, count: int, name: str = "Deal") -> list[Opportunity]:
    deals = [make_opportunity(owner, make_account(owner), name=f"{name} {i}") for i in range(count)]
    Opportunity.objects.filter(pk__in=[d.pk for d in deals]).update(win_rate=40)
    return deals


def record_week(deals: list[Opportunity]) -> int:
    snapshot_week(as_of=LAST_WEEK)
    Opportunity.objects.filter(pk__in=[d.pk for d in deals]).update(win_rate=70)
    return snapshot_week(as_of=WEEK).change_events


def recorded_day() -> date:
    return timezone.localdate(WinRateChange.objects.earliest("created_at").created_at)


def test_n_moves_collapse_into_one_digest_per_manager_and_day(org, settings):
    settings.WUWEI_WIN_RATE_DIGEST = True
    deals = moves(org.rep, 3)
    assert record_week(deals) == 3
    # owners get one message per deal; managers none yet
    per_deal = Notification.objects.filter(kind=PER_DEAL)
    assert set(per_deal.values_list("recipient__username", flat=True)) == {"rep"}
    assert per_deal.count() == 3
    # the digest of that day: one message to the rep's nearest manager
    assert manager_digest(day=recorded_day()) == 1
    digest = Notification.objects.get(kind=DIGEST)
    assert digest.recipient == org.manager
    assert "3" in digest.title
    for deal in deals:
        assert f"/opportunities/{deal.pk}/#strategy" in digest.body
        assert deal.name in digest.body
    assert digest.url == "/coaching/"
    # idempotent per manager and day: a second run sends nothing
    assert manager_digest(day=recorded_day()) == 0
    # another day has nothing of its own
    assert manager_digest(day=recorded_day() + timedelta(days=1)) == 0
    assert not Notification.objects.filter(
        recipient__in=[org.other_manager, org.partner, org.peer_rep]
    ).exists()


def test_each_team_gets_its_own_digest(org, settings):
    settings.WUWEI_WIN_RATE_DIGEST = True
    north_rep = make_user("north_rep", team=org.north_ka)
    deals = moves(org.rep, 2) + moves(north_rep, 1, name="North")
    record_week(deals)
    assert manager_digest(day=recorded_day()) == 2
    by_manager = dict(Notification.objects.filter(kind=DIGEST).values_list("recipient", "body"))
    assert set(by_manager) == {org.manager.pk, org.other_manager.pk}
    assert "North" not in by_manager[org.manager.pk]
    assert by_manager[org.other_manager.pk].count("/opportunities/") == 1


def test_the_scheduled_job_digests_yesterday(org, settings):
    settings.WUWEI_WIN_RATE_DIGEST = True
    record_week(moves(org.rep, 2))
    next_day = recorded_day() + timedelta(days=1)
    now = timezone.make_aware(datetime.combine(next_day, time(1)))
    assert scheduled_digest(now) == 1
    assert scheduled_digest(now) == 0
    assert "win_rate_digest" in {job.name for job in registered_jobs()}


def test_digest_off_sends_managers_one_message_per_deal(org, settings):
    settings.WUWEI_WIN_RATE_DIGEST = False
    record_week(moves(org.rep, 2))
    per_deal = Notification.objects.filter(kind=PER_DEAL)
    assert sorted(per_deal.values_list("recipient__username", flat=True)) == [
        "manager",
        "manager",
        "rep",
        "rep",
    ]
    now = timezone.now() + timedelta(days=1)
    assert scheduled_digest(now) == 0
    assert not Notification.objects.filter(kind=DIGEST).exists()


def test_hostile_deal_name_is_stored_as_text(org, settings):
    settings.WUWEI_WIN_RATE_DIGEST = True
    record_week(moves(org.rep, 1, name=HOSTILE))
    manager_digest(day=recorded_day())
    assert HOSTILE in Notification.objects.get(kind=DIGEST).body  # escaped when rendered


def test_commands_are_idempotent_and_refuse_bad_dates(org, settings):
    from io import StringIO

    import pytest
    from django.core.management import CommandError, call_command

    settings.WUWEI_WIN_RATE_DIGEST = True
    record_week(moves(org.rep, 2))
    day = recorded_day().isoformat()
    out = StringIO()
    call_command("win_rate_digest", "--date", day, stdout=out)
    call_command("win_rate_digest", "--date", day, stdout=out)
    assert out.getvalue().splitlines() == ["1 win-rate digests sent.", "0 win-rate digests sent."]
    with pytest.raises(CommandError):
        call_command("win_rate_digest", "--date", "yesterday")
    out = StringIO()
    call_command("remind_coaching_actions", "--date", day, stdout=out)
    assert out.getvalue().strip() == "0 overdue coaching action reminders sent."
    with pytest.raises(CommandError):
        call_command("remind_coaching_actions", "--date", "2027-13-01")
