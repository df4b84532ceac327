"""MCI writes (METHOD.md §5), by sub-domain; this package re-exports what other modules use."""

from wuwei.support.services.ledger import assignment_cancel, assignment_create, ledger_reverse
from wuwei.support.services.pool import (
    POOL_ADMIN_ROLES,
    level_rate_set,
    resource_create,
    resource_update,
)
from wuwei.support.services.requests import (
    APPROVER_ROLES,
    REQUESTER_ROLES,
    can_lead_queue,
    estimate_cost,
    ledger_total,
    opportunity_budget,
    request_close,
    request_create,
    request_decide,
    request_escalate,
    request_route,
)
from wuwei.support.services.stages import (
    STAGE_OWNER_REASON_MESSAGES,
    credit_splits_create_for_won,
    deal_participants,
    stage_owner_current,
    stage_owner_gate,
    stage_owner_on_entry,
    stage_owner_reassign,
    stage_score_submit,
)

__all__ = [
    "APPROVER_ROLES",
    "POOL_ADMIN_ROLES",
    "REQUESTER_ROLES",
    "STAGE_OWNER_REASON_MESSAGES",
    "assignment_cancel",
    "assignment_create",
    "can_lead_queue",
    "credit_splits_create_for_won",
    "deal_participants",
    "estimate_cost",
    "ledger_reverse",
    "ledger_total",
    "level_rate_set",
    "opportunity_budget",
    "request_close",
    "request_create",
    "request_decide",
    "request_escalate",
    "request_route",
    "resource_create",
    "resource_update",
    "stage_owner_current",
    "stage_owner_gate",
    "stage_owner_on_entry",
    "stage_owner_reassign",
    "stage_score_submit",
]
