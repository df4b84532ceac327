"""PRM records (METHOD.md §6, §7): the customer's buying-process templates (`buying`)."""

from wuwei.playbook.models.buying import (
    BuyingFunction,
    BuyingProcessTemplate,
    BuyingRole,
    BuyingRoleContact,
    BuyingRoleKind,
    BuyingStep,
    CompanySize,
    OpportunityBuyingProcess,
)

__all__ = [
    "BuyingFunction",
    "BuyingProcessTemplate",
    "BuyingRole",
    "BuyingRoleContact",
    "BuyingRoleKind",
    "BuyingStep",
    "CompanySize",
    "OpportunityBuyingProcess",
]
