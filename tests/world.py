"""One of every kind of record, owned by `org.rep`, built through the real services: the data
the permission matrix and the fuzzer resolve path parameters against. Every name carries
MARKER, so a response that leaks any of it is found by a text search."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from tests.conftest import Org
from tests.factories import make_account, make_contact
from tests.notifications.factories import make_notification
from tests.opportunities.factories import make_competitor, make_opportunity
from wuwei.accounts.services import action_create, monitoring_record_create, plan_create
from wuwei.accounts.services.tracking import visit_plan
from wuwei.coaching.services import review_create
from wuwei.opportunities.services import opportunity_competitor_add
from wuwei.opportunities.winning import services as winning
from wuwei.people.services.activities import activity_create
from wuwei.people.services.connections import connection_create
from wuwei.people.services.contacts import influence_add
from wuwei.people.services.decision import participant_add
from wuwei.pursuit.services import deal_tactics_adopt

MARKER = "Zq7Secret"


@dataclass
class World:
    """Path parameter name → the id of rep's record that the parameter names."""

    ids: dict[str, int] = field(default_factory=dict)
    objects: dict[str, Any] = field(default_factory=dict)


def build_world(org: Org) -> World:
    rep = org.rep
    account = make_account(rep, name=f"{MARKER} Account")
    contact = make_contact(account, name=f"{MARKER} Contact")
    other = make_contact(account, name=f"{MARKER} Sponsor")
    deal = make_opportunity(rep, account, 3_000_000, name=f"{MARKER} Deal")
    # Competitors are shared market data, visible inside the company: no MARKER.
    competitor = make_competitor(rep, name="Shared Rival")
    opportunity_competitor_add(user=rep, opportunity=deal, competitor=competitor)
    plan = plan_create(user=rep, account=account, year=2027, goal=f"{MARKER} goal")
    action = action_create(user=rep, plan=plan, title=f"{MARKER} action")
    visit = visit_plan(user=rep, account=account, planned_on=date(2027, 3, 1), purpose=MARKER)
    monitoring_record_create(
        user=rep, account=account, recorded_on=date(2027, 1, 4), importance=4, capability_fit=3
    )
    activity = activity_create(
        user=rep,
        account=account,
        kind="call",
        occurred_on=date(2027, 1, 5),
        subject=f"{MARKER} call",
        contacts=[contact],
        opportunity=deal,
    )
    event = winning.compelling_event_create(
        user=rep, opportunity=deal, description=f"{MARKER} go-live", is_confirmed=True
    )
    questionnaire = winning.questionnaire_submit(
        user=rep,
        opportunity=deal,
        has_inside_source=True,
        us_fit=7,
        us_closeness=6,
        competitors=[(competitor, 5, 4)],
        comment=MARKER,
    )
    participant = participant_add(
        user=rep, opportunity=deal, contact=contact, decision_role="decision_maker"
    )
    influence = influence_add(user=rep, source=other, target=contact, note=MARKER)
    connection = connection_create(
        user=rep, employee=rep, contact=contact, how="classmate", note=MARKER
    )
    [deal_tactic] = deal_tactics_adopt(user=rep, opportunity=deal, titles=[f"{MARKER} tactic"])
    review = review_create(user=org.manager, opportunity=deal, comments=f"{MARKER} review")
    notification = make_notification(rep, title=MARKER, body=MARKER)
    world = World()
    world.ids.update(
        account_id=account.pk,
        contact_id=contact.pk,
        target_id=other.pk,
        opportunity_id=deal.pk,
        competitor_id=competitor.pk,
        plan_id=plan.pk,
        action_id=action.pk,
        visit_id=visit.pk,
        activity_id=activity.pk,
        event_id=event.pk,
        questionnaire_id=questionnaire.pk,
        participant_id=participant.pk,
        influence_id=influence.pk,
        connection_id=connection.pk,
        tactic_id=deal_tactic.pk,
        review_id=review.pk,
        user_id=rep.pk,
        team_id=rep.team_id,
        notification_id=notification.pk,
    )
    world.objects.update(account=account, deal=deal, contact=contact, amount=Decimal(3_000_000))
    return world
