"""Where the relationship area feeds the others: the account timeline (§4.9), ESP+ monitoring
(§2.7 ← §3.4) and the handover of everything a person owns (§3.5)."""

from datetime import date

from tests.factories import make_account, make_contact, make_user
from tests.opportunities.factories import make_opportunity
from wuwei.accounts.models import ActionStatus, PlanAction
from wuwei.accounts.services.plans import action_create, plan_create
from wuwei.accounts.services.tracking import monitoring_record_create
from wuwei.accounts.timeline import account_timeline
from wuwei.org.handover import handover_run
from wuwei.people.services.activities import activity_create
from wuwei.people.services.closeness import closeness_record_account
from wuwei.people.services.contacts import contact_update
from wuwei.support.models import StageOwner


def test_activities_appear_on_the_account_timeline(org):
    account = make_account(org.rep)
    alice = make_contact(account, "Alice")
    activity_create(
        user=org.rep,
        account=account,
        kind="meeting",
        occurred_on=date(2026, 11, 2),
        subject="Kick-off",
        contacts=[alice],
    )
    entries = [e for e in account_timeline(user=org.rep, account=account) if e.kind == "activity"]
    assert [(e.title.endswith("Kick-off"), e.details) for e in entries] == [(True, ("Alice",))]


def test_monitoring_takes_closeness_from_the_relationship_map_when_not_entered(org):
    account = make_account(org.rep)
    boss = make_contact(account, "Boss")
    contact_update(
        user=org.rep,
        contact=boss,
        expected_version=boss.version,
        changes={"influence": 5, "relationship_status": "strong_positive"},
    )
    closeness_record_account(account_id=account.pk, as_of=date(2026, 11, 1))
    record = monitoring_record_create(
        user=org.rep,
        account=account,
        recorded_on=date(2026, 11, 20),
        importance=80,
        capability_fit=60,
    )
    assert (record.closeness, record.closeness_source) == (100, "relationship_map")
    entered = monitoring_record_create(
        user=org.rep,
        account=account,
        recorded_on=date(2026, 11, 21),
        importance=80,
        capability_fit=60,
        closeness=40,
    )
    assert (entered.closeness, entered.closeness_source) == (40, "entered")


def test_handover_moves_open_plan_actions_and_stage_ownership(org):
    successor = make_user("successor", team=org.east_ka)
    account = make_account(org.rep)
    plan = plan_create(user=org.rep, account=account, year=2027)
    open_action = action_create(user=org.rep, plan=plan, title="Visit CIO", owner=org.rep)
    done_action = action_create(
        user=org.rep, plan=plan, title="Done", owner=org.rep, status=ActionStatus.DONE
    )
    deal = make_opportunity(org.rep, account)
    handover_run(
        actor=org.admin,
        user=org.rep,
        reason="deactivation",
        default_successor=successor,
        deactivate=True,
    )
    assert PlanAction.objects.get(pk=open_action.pk).owner == successor
    assert PlanAction.objects.get(pk=done_action.pk).owner == org.rep  # history stays true
    terms = StageOwner.objects.filter(opportunity=deal).order_by("pk")
    assert [(t.owner_id, t.left_at is None) for t in terms] == [
        (org.rep.pk, False),
        (successor.pk, True),
    ]
