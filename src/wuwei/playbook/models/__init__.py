"""PRM records (律): risk rules, gate overrides and lessons (`rules`)."""

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
    "DealLesson",
    "LessonRule",
    "LessonRuleHow",
    "RiskFinding",
    "RiskOverride",
    "RiskRule",
    "RiskSeverity",
    "RuleKind",
]
