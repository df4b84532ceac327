"""PRM records (METHOD.md §6, §7): risk rules, gate overrides and lessons (`rules`); the
customer's buying-process templates (`buying`)."""

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
from wuwei.playbook.models.rules import (
    DealLesson,
    LessonRule,
    LessonRuleHow,
    RiskFinding,
    RiskOverride,
    RiskRule,
    RiskSeverity,
    RuleKind,
)

__all__ = [
    "BuyingFunction",
    "BuyingProcessTemplate",
    "BuyingRole",
    "BuyingRoleContact",
    "BuyingRoleKind",
    "BuyingStep",
    "CompanySize",
    "DealLesson",
    "LessonRule",
    "LessonRuleHow",
    "OpportunityBuyingProcess",
    "RiskFinding",
    "RiskOverride",
    "RiskRule",
    "RiskSeverity",
    "RuleKind",
]
