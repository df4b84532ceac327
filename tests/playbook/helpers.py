"""PRM test data through the real services: the facts an AB deal needs to pass its gates."""

from typing import Any

from tests.factories import make_contact
from wuwei.opportunities.models import Opportunity
from wuwei.opportunities.services import opportunity_move_stage
from wuwei.opportunities.winning.services import questionnaire_submit
from wuwei.org.models import User
from wuwei.people.services.decision import participant_add
from wuwei.pursuit.services import deal_strategy_set, value_proposition_set


def map_deciders(deal: Opportunity, user: User) -> None:
    """An approver and a decision maker on the deal's decision map (§4.2 AB compliance)."""
    for name, role in (("审批人 Approver", "approver"), ("决策人 Decider", "decision_maker")):
        contact = make_contact(deal.account, name=f"{name} {deal.pk}", by=user)
        participant_add(user=user, opportunity=deal, contact=contact, decision_role=role)


def satisfy_ab_gates(deal: Opportunity, user: User | None = None) -> None:
    """Decision map, chosen strategy, value proposition and a fresh questionnaire."""
    user = user or deal.owner
    map_deciders(deal, user)
    deal_strategy_set(
        user=user, opportunity=deal, strategy="frontal", rationale="We lead", expected_version=None
    )
    value_proposition_set(
        user=user,
        opportunity=deal,
        solution="Core banking upgrade",
        business_value="Cuts batch time by half",
        expected_version=None,
    )
    questionnaire_submit(
        user=user,
        opportunity=deal,
        has_inside_source=True,
        us_fit=7,
        us_closeness=6,
        competitors=[],
    )


def move_to(deal: Opportunity, stage: str, user: User | None = None, **extra: Any) -> Opportunity:
    """Walk an open deal forward one stage at a time to `stage`."""
    from wuwei.opportunities.models import OPEN_STAGES

    user = user or deal.owner
    stages = list(OPEN_STAGES)
    while deal.stage != stage:
        following = stages[stages.index(deal.stage) + 1]
        deal = opportunity_move_stage(user=user, opportunity=deal, to=following, **extra)
    return deal
