"""Re-evaluation reminders of compelling events (METHOD.md §4.3)."""

import io
from datetime import date, timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.opportunities.winning import add_event, make_deal
from wuwei.notifications.models import Notification
from wuwei.opportunities.models import Opportunity
from wuwei.opportunities.winning import services
from wuwei.opportunities.winning.reminders import reevaluation_reminders

TODAY = date(2027, 1, 20)


def _reminders(deal: Opportunity) -> list[str]:
    return list(
        Notification.objects.filter(opportunity=deal, kind="compelling_event_due").values_list(
            "recipient__username", flat=True
        )
    )


def test_a_due_event_reminds_the_owner_once(org):
    deal, _rivals = make_deal(org.rep)
    add_event(deal, org.rep, reevaluate_on=TODAY)
    assert reevaluation_reminders(as_of=TODAY - timedelta(days=1)) == 0
    assert reevaluation_reminders(as_of=TODAY) == 1
    assert reevaluation_reminders(as_of=TODAY + timedelta(days=3)) == 0
    assert _reminders(deal) == [org.rep.username]
    notification = Notification.objects.get(opportunity=deal)
    assert notification.url.endswith(f"/opportunities/{deal.pk}/#events")


def test_re_evaluated_and_due_again_reminds_again(org):
    deal, _rivals = make_deal(org.rep)
    event = add_event(deal, org.rep, reevaluate_on=TODAY)
    assert reevaluation_reminders(as_of=TODAY) == 1
    later = TODAY + timedelta(days=30)
    services.compelling_event_update(
        user=org.rep,
        event=event,
        changes={"reevaluate_on": later},
        expected_version=event.version,
    )
    assert reevaluation_reminders(as_of=TODAY + timedelta(days=10)) == 0
    assert reevaluation_reminders(as_of=later) == 1
    assert len(_reminders(deal)) == 2


def test_archived_events_and_closed_deals_are_not_reminded(org):
    archived_deal, _rivals = make_deal(org.rep)
    event = add_event(archived_deal, org.rep, reevaluate_on=TODAY)
    services.compelling_event_archive(user=org.rep, event=event)
    lost_deal, _rivals = make_deal(org.rep)
    add_event(lost_deal, org.rep, reevaluate_on=TODAY)
    Opportunity.objects.filter(pk=lost_deal.pk).update(stage="lost")
    assert reevaluation_reminders(as_of=TODAY) == 0


def test_queries_do_not_grow_with_due_events(org):
    def count_for(events: int) -> int:
        Notification.objects.all().delete()
        for _ in range(events):
            deal, _rivals = make_deal(org.rep, rivals=0)
            add_event(deal, org.rep, reevaluate_on=TODAY)
        with CaptureQueriesContext(connection) as captured:
            reevaluation_reminders(as_of=TODAY)
        return len(captured.captured_queries)

    assert count_for(2) == count_for(12)


def test_command_reports_and_refuses_bad_dates(org):
    deal, _rivals = make_deal(org.rep)
    add_event(deal, org.rep, reevaluate_on=TODAY)
    out = io.StringIO()
    call_command("remind_compelling_events", "--date", TODAY.isoformat(), stdout=out)
    assert out.getvalue().strip() == "1 re-evaluation reminders sent."
    with pytest.raises(CommandError, match="not a date"):
        call_command("remind_compelling_events", "--date", "20-01-2027")
