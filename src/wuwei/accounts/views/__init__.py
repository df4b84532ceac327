"""Account pages (one module per area), re-exported for urls.py."""

from wuwei.accounts.views.archive import (
    account_archive,
    account_create,
    account_detail,
    account_edit,
    account_list,
    account_picker,
    account_restore,
)
from wuwei.accounts.views.esp import (
    action_add,
    action_status,
    evaluation_add,
    grading_save,
    ka_profile_save,
    monitoring_add,
    plan_save,
    strategy_save,
    tactics_adopt,
    visit_add,
    visit_outcome,
)
from wuwei.accounts.views.queues import (
    conflict_detail,
    conflict_list,
    ninebox,
    tactic_archive,
    tactic_edit,
    tactic_list,
)

__all__ = [
    "account_archive",
    "account_create",
    "account_detail",
    "account_edit",
    "account_list",
    "account_picker",
    "account_restore",
    "action_add",
    "action_status",
    "conflict_detail",
    "conflict_list",
    "evaluation_add",
    "grading_save",
    "ka_profile_save",
    "monitoring_add",
    "ninebox",
    "plan_save",
    "strategy_save",
    "tactic_archive",
    "tactic_edit",
    "tactic_list",
    "tactics_adopt",
    "visit_add",
    "visit_outcome",
]
