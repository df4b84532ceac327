"""The buying-process demo: open big-project deals with a decision map follow the suggested
template, decision-map contacts mapped to matching roles; idempotent."""

from tests.factories import make_account, make_contact
from tests.opportunities.factories import make_opportunity
from wuwei.people.services import participant_add
from wuwei.playbook import demo
from wuwei.playbook.buying.selectors import buying_coverage_for
from wuwei.playbook.models import BuyingRoleContact, OpportunityBuyingProcess


def test_demo_maps_decision_makers_and_is_idempotent(org):
    account = make_account(org.rep, name="市政务局", industry="government")
    deal = make_opportunity(org.rep, account, amount=6_000_000)  # A: big project
    small = make_opportunity(org.rep, account, amount=50_000)  # D: fast track, left alone
    boss = make_contact(account, "局长")
    cio = make_contact(account, "信息中心主任")
    participant_add(user=org.rep, opportunity=deal, contact=boss, decision_role="decision_maker")
    participant_add(user=org.rep, opportunity=deal, contact=cio, decision_role="evaluator")
    participant_add(user=org.rep, opportunity=small, contact=boss, decision_role="approver")

    assert demo.load() == "1 deals follow a buying process"
    process = OpportunityBuyingProcess.objects.get()
    assert (process.opportunity_id, process.template.code) == (deal.pk, "public-sector-tender")
    mapped = {
        (m.contact.name, m.role.function)
        for m in BuyingRoleContact.objects.select_related("contact", "role")
    }
    assert mapped == {("局长", "business_owner"), ("信息中心主任", "it")}
    coverage = buying_coverage_for([deal.pk])[deal.pk]
    assert not coverage.procurement_covered and not coverage.decision_chain_complete
    assert demo.load() == "0 deals follow a buying process"
    assert OpportunityBuyingProcess.objects.count() == 1
