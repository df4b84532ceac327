"""Activities drive the derived interaction level (METHOD.md §3.2), overall and per deal."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.factories import make_account, make_contact
from tests.people.helpers import log_activity, make_opportunity
from wuwei.people import services
from wuwei.people.models import Contact, DecisionParticipant


def level(contact: Contact) -> str:
    return Contact.objects.get(pk=contact.pk).interaction_level


@pytest.mark.parametrize(
    ("calls", "expected"),
    [
        (0, "none"),
        (1, "occasional"),
        (2, "occasional"),
        (3, "multiple"),
        (5, "multiple"),
        (6, "deep"),
    ],
)
def test_logging_calls_changes_the_level(org, calls, expected):
    account = make_account(org.rep)
    contact = make_contact(account)
    today = timezone.localdate()
    for day in range(calls):
        log_activity(account, [contact], on=today - timedelta(days=day))
    assert level(contact) == expected


def test_one_deep_kind_in_90_days_is_deep_and_archiving_it_drops_the_level(org):
    account = make_account(org.rep)
    contact = make_contact(account)
    today = timezone.localdate()
    log_activity(account, [contact], on=today - timedelta(days=100))
    visit = log_activity(account, [contact], on=today - timedelta(days=10), kind="site_visit")
    assert level(contact) == "deep"
    services.activity_archive(user=org.rep, activity=visit)
    assert level(contact) == "occasional"


def test_moving_an_activity_to_another_contact_recomputes_both(org):
    account = make_account(org.rep)
    first, second = make_contact(account), make_contact(account)
    activity = log_activity(account, [first], on=timezone.localdate())
    assert (level(first), level(second)) == ("occasional", "none")
    services.activity_update(
        user=org.rep, activity=activity, expected_version=1, changes={"contacts": [second]}
    )
    assert (level(first), level(second)) == ("none", "occasional")


def test_the_contact_level_cannot_be_set_by_hand(org, api):
    contact = make_contact(make_account(org.rep))
    response = api(org.rep).patch(
        f"/contacts/{contact.pk}", {"interaction_level": "deep", "version": 1}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "interaction_level"
    assert level(contact) == "none"


def test_per_deal_level_counts_only_that_deals_activities(org):
    account = make_account(org.rep)
    contact = make_contact(account)
    deal, other = make_opportunity(account), make_opportunity(account)
    participant = services.participant_add(
        user=org.rep, opportunity=deal, contact=contact, decision_role="evaluator"
    )
    today = timezone.localdate()
    for day in range(3):
        log_activity(account, [contact], on=today - timedelta(days=day), opportunity=other)
    log_activity(account, [contact], on=today, opportunity=deal)
    participant.refresh_from_db()
    assert (level(contact), participant.interaction_level) == ("multiple", "occasional")


def test_recompute_command_moves_the_window_with_time(org):
    account = make_account(org.rep)
    contact = make_contact(account)
    deal = make_opportunity(account)
    services.participant_add(user=org.rep, opportunity=deal, contact=contact, decision_role="user")
    today = timezone.localdate()
    log_activity(account, [contact], on=today - timedelta(days=170), opportunity=deal)
    assert level(contact) == "occasional"
    as_of = (today + timedelta(days=11)).isoformat()
    call_command("recompute_interaction", "--as-of", as_of, verbosity=0)
    assert level(contact) == "none"
    assert DecisionParticipant.objects.get().interaction_level == "none"
    call_command("recompute_interaction", verbosity=0)
    assert level(contact) == "occasional"
