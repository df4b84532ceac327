"""Account writes (STYLE.md services): one module per area, re-exported here."""

from wuwei.accounts.services.archive import (
    EDITABLE_FIELDS,
    account_archive,
    account_create,
    account_ka_profile_override,
    account_restore,
    account_strategy_override,
    account_update,
)
from wuwei.accounts.services.conflicts import conflict_dismiss, conflict_resolve
from wuwei.accounts.services.grading import account_grade
from wuwei.accounts.services.plans import (
    ACCOUNT_TACTICS,
    CompetitorComparison,
    action_create,
    action_update,
    plan_adopt_tactics,
    plan_create,
    plan_update,
    tactic_archive,
    tactic_create,
    tactic_update,
)
from wuwei.accounts.services.tracking import (
    evaluation_save,
    monitoring_record_create,
    visit_cancel,
    visit_plan,
    visit_record,
)

__all__ = [
    "ACCOUNT_TACTICS",
    "EDITABLE_FIELDS",
    "CompetitorComparison",
    "account_archive",
    "account_create",
    "account_grade",
    "account_ka_profile_override",
    "account_restore",
    "account_strategy_override",
    "account_update",
    "action_create",
    "action_update",
    "conflict_dismiss",
    "conflict_resolve",
    "evaluation_save",
    "monitoring_record_create",
    "plan_adopt_tactics",
    "plan_create",
    "plan_update",
    "tactic_archive",
    "tactic_create",
    "tactic_update",
    "visit_cancel",
    "visit_plan",
    "visit_record",
]
