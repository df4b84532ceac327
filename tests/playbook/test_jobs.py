"""The nightly risk evaluation, the coaching change source and the registered jobs (§6,
§4.10, §3.2)."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from tests.factories import make_account
from tests.opportunities.factories import make_opportunity
from tests.playbook.helpers import move_to
from wuwei.coaching.changes import DealWindow
from wuwei.core.scheduler import registered_jobs
from wuwei.notifications.models import Notification
from wuwei.playbook.models import RiskFinding
from wuwei.playbook.services import risk_refresh
from wuwei.playbook.wiring import risk_changes


@pytest.fixture
def deal(org):
    account = make_account(org.rep, name="上海银行")
    return move_to(make_opportunity(org.rep, account, amount=2_000_000), "initiate")


def test_nightly_evaluation_notifies_new_high_rules_once_per_deal_and_rule(org, deal):
    org.rep.language = "en"  # notifications are written in the recipient's language
    org.rep.save(update_fields=["language"])
    now = timezone.now()
    new = risk_refresh(now=now)
    assert new == RiskFinding.objects.count() > 0
    notices = Notification.objects.filter(recipient=org.rep, kind="risk_rule")
    titles = sorted(n.title for n in notices)
    assert titles == [
        f"Risk on {deal.name}: Decision chain incomplete",
        f"Risk on {deal.name}: No confirmed compelling event after stage 1",
    ]
    assert risk_refresh(now=now + timedelta(days=1)) == 0
    assert notices.count() == 2
    first = RiskFinding.objects.filter(opportunity=deal).values_list("first_seen_at", flat=True)
    assert set(first) == {now}


def test_a_rule_that_stops_firing_is_dropped(org, deal):
    from wuwei.opportunities.winning.services import compelling_event_create

    risk_refresh()
    compelling_event_create(
        user=org.rep, opportunity=deal, description="Budget approved", is_confirmed=True
    )
    risk_refresh()
    codes = set(RiskFinding.objects.values_list("rule__code", flat=True))
    assert "no_compelling_event" not in codes


def test_coaching_sees_risks_fired_since_the_last_review_only(org, deal):
    now = timezone.now()
    risk_refresh(now=now - timedelta(days=10))
    before = DealWindow(deal.pk, since=now - timedelta(days=5), win_rate=None, stage="initiate")
    assert risk_changes([before], now) == {}
    after = DealWindow(deal.pk, since=now - timedelta(days=20), win_rate=None, stage="initiate")
    with translation.override("en"):
        messages = [change.message for change in risk_changes([after], now)[deal.pk]]
    assert (
        "Risk: No confirmed compelling event after stage 1 — No compelling event is confirmed: "
        "nothing yet says why the customer must buy now." in messages
    )


def test_coaching_risks_are_those_new_in_each_deals_window_and_firing_now(org, deal):
    from wuwei.opportunities.winning.services import compelling_event_create
    from wuwei.playbook.selectors import risk_items

    # given: findings stored ten days ago on two deals, one reviewed five days ago
    other = move_to(
        make_opportunity(org.rep, make_account(org.rep, name="北京银行"), amount=1_000_000),
        "initiate",
    )
    now = timezone.now()
    risk_refresh(now=now - timedelta(days=10))
    reviewed = DealWindow(deal.pk, since=now - timedelta(days=5), win_rate=None, stage="initiate")
    fresh = DealWindow(other.pk, since=now - timedelta(days=20), win_rate=None, stage="initiate")
    # when / then: only the other deal, with every rule firing on it, worded as on its Risks tab
    with translation.override("en"):
        found = risk_changes([reviewed, fresh], now)
        shown = risk_items([other.pk])[other.pk]
    assert list(found) == [other.pk]
    assert [(c.new, c.message, c.at) for c in found[other.pk]] == [
        (i.rule_code, f"Risk: {i.name} — {i.message}", now - timedelta(days=10)) for i in shown
    ]
    # a rule that stopped firing today leaves the queue before the nightly run drops its row
    compelling_event_create(
        user=org.rep, opportunity=other, description="Budget approved", is_confirmed=True
    )
    codes = [c.new for c in risk_changes([reviewed, fresh], now).get(other.pk, [])]
    assert "no_compelling_event" in {
        f.rule.code for f in RiskFinding.objects.filter(opportunity=other)
    }
    assert "no_compelling_event" not in codes
    assert codes == [i.rule_code for i in risk_items([other.pk])[other.pk]]


def test_daily_jobs_are_registered():
    names = {job.name for job in registered_jobs()}
    assert {"risk_evaluation", "interaction_and_closeness"} <= names


def test_daily_interaction_job_runs_the_commands(org, deal):
    from wuwei.playbook.jobs import daily_interaction_and_closeness, nightly_risks

    daily_interaction_and_closeness(timezone.now())
    assert nightly_risks(timezone.now()) >= 0
