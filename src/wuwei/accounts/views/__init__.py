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
    TACTIC_PAGES,
    conflict_detail,
    conflict_list,
    ninebox,
)

__all__ = [
    "TACTIC_PAGES",
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
    "tactics_adopt",
    "visit_add",
    "visit_outcome",
]
