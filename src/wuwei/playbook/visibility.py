"""Who sees the buying-process records (METHOD.md §1, §7.1). Templates are method knowledge
shared inside the company; a deal's buying process and its role mappings are internal work on
the deal (like the decision map) and follow it. Partner users see none of them."""

from django.db.models import Q

from wuwei.core.visibility import Scope, register, through
from wuwei.opportunities.models import Opportunity
from wuwei.playbook.models import (
    BuyingProcessTemplate,
    BuyingRole,
    BuyingRoleContact,
    BuyingStep,
    OpportunityBuyingProcess,
)

_NOTHING = Q(pk__in=[])


def _internal(scope: Scope) -> Q | None:
    return _NOTHING if scope.is_partner else None


def _through_deal(scope: Scope) -> Q | None:
    return _NOTHING if scope.is_partner else through(Opportunity, scope, "opportunity")


def register_rules() -> None:
    """Called from the playbook's `wiring.register()`."""
    for template_model in (BuyingProcessTemplate, BuyingStep, BuyingRole):
        register(template_model)(_internal)
    for deal_model in (OpportunityBuyingProcess, BuyingRoleContact):
        register(deal_model)(_through_deal)
