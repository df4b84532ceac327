"""MCI rules ride on the TAS+ lifecycle: stage owners on entry (§5.3), credit on won (§5.4)."""

from tests.factories import make_account
from tests.opportunities.factories import make_opportunity
from wuwei.opportunities.services import opportunity_move_stage
from wuwei.support.models import CreditSplit, StageOwner


def test_every_entered_stage_gets_the_deal_owner_as_its_one_owner(org):
    deal = make_opportunity(org.rep, make_account(org.rep), amount=300_000)  # C: fast track
    assert list(StageOwner.objects.filter(opportunity=deal).values_list("stage", "owner")) == [
        ("validate", org.rep.pk)
    ]
    opportunity_move_stage(user=org.rep, opportunity=deal, to="negotiation")
    owners = StageOwner.objects.filter(opportunity=deal, left_at__isnull=True)
    assert sorted(owners.values_list("stage", flat=True)) == ["negotiation", "validate"]


def test_won_deal_credits_owner_and_deal_team(org):
    deal = make_opportunity(org.rep, make_account(org.rep), amount=300_000)
    deal.members.add(org.peer_rep)
    deal = opportunity_move_stage(user=org.rep, opportunity=deal, to="negotiation")
    opportunity_move_stage(user=org.rep, opportunity=deal, to="won")
    splits = {s.user_id: s for s in CreditSplit.objects.filter(opportunity=deal)}
    assert splits[org.rep.pk].amount == deal.amount
    assert splits[org.rep.pk].is_double_counted is False
    assert splits[org.peer_rep.pk].amount == deal.amount
    assert splits[org.peer_rep.pk].is_double_counted is True
