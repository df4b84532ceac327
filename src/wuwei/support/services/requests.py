"""Presales requests (METHOD.md §5.1): routed by grade, priced against the deal's budget, approved
by a manager when over it."""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Avg, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from wuwei.core import services as core_services
from wuwei.core.config import method_config
from wuwei.core.errors import Conflict, NotAllowed, ValidationFailed
from wuwei.methodology.presales import presales_budget, route_presales_request
from wuwei.opportunities.models import Opportunity
from wuwei.org.models import Team, TeamKind, User
from wuwei.org.permissions import Action, may, require
from wuwei.support import notices
from wuwei.support.models import (
    ApprovalStatus,
    BudgetApproval,
    LedgerEntry,
    LevelRate,
    PresalesRequest,
    Queue,
    RequestState,
)
from wuwei.support.services.pool import _money, _normalize_skills
from wuwei.support.services.stages import stage_owner_on_entry
from wuwei.support.warnings import request_warnings

# ----------------------------------------------------------------------------------------
# routing and budget


def _nearest_unit(team: Team | None, kind: str) -> Team | None:
    """The unit of `kind` closest to `team` in the tree: the team itself, an ancestor, or a
    child of an ancestor (e.g. the office of the sales team's region). The company root is
    not searched below, so a deal never lands in another region's office."""
    if team is None:
        return None
    ids = [int(part) for part in team.path.strip("/").split("/") if part]
    searched = ids[1:] or ids  # leave out the root unless the team is the root
    units = Team.objects.filter(kind=kind, archived_at__isnull=True).filter(
        pk__in=searched
    ) | Team.objects.filter(kind=kind, archived_at__isnull=True, parent_id__in=searched)
    return max(units, key=lambda unit: (len(unit.path), -unit.pk), default=None)


def request_route(opportunity: Opportunity) -> tuple[Queue, Team | None]:
    """§5.1: AB → the delivery centre; CD/E → the local office, else the hotline."""
    team = opportunity.team or opportunity.owner.team
    office = _nearest_unit(team, TeamKind.OFFICE)
    queue = Queue(route_presales_request(grade=opportunity.grade, has_local_office=bool(office)))
    if queue == Queue.DELIVERY_CENTER:
        centre = _nearest_unit(team, TeamKind.DELIVERY_CENTER) or (
            Team.objects.filter(kind=TeamKind.DELIVERY_CENTER, archived_at__isnull=True)
            .order_by("path")
            .first()
        )
        return queue, centre
    return queue, office if queue == Queue.LOCAL_OFFICE else None


def opportunity_budget(opportunity: Opportunity) -> Decimal:
    return presales_budget(
        amount=opportunity.amount, grade=opportunity.grade, config=method_config().presales
    )


def ledger_total(opportunity: Opportunity) -> Decimal:
    total = LedgerEntry.objects.filter(opportunity=opportunity).aggregate(s=Sum("amount"))["s"]
    return _money(total or Decimal(0))


def estimate_cost(days: Decimal) -> Decimal:
    """Before anyone is assigned, effort is priced at the mean day rate of the level table."""
    mean = LevelRate.objects.filter(archived_at__isnull=True).aggregate(m=Avg("day_rate"))["m"]
    return _money(days * Decimal(mean or 0))


# ----------------------------------------------------------------------------------------
# requests


def _check_period(start: date, end: date) -> None:
    if end < start:
        raise ValidationFailed(_("The period ends before it starts."), [("end", _("before start"))])


@transaction.atomic
def request_create(
    *,
    user: User,
    opportunity: Opportunity,
    skills: Iterable[str],
    effort_days: Decimal,
    start: date,
    end: date,
    purpose: str,
    confirm_warnings: bool = False,
) -> PresalesRequest:
    """Route a request by grade. A deal that fires a warning (not rated, win rate 0) needs
    `confirm_warnings`; the confirmation is recorded. Over the budget → awaiting approval."""
    require(user, Action.SUPPORT_REQUEST)
    if not opportunity.is_open or opportunity.archived_at is not None:
        raise Conflict(_("The opportunity is closed."))
    if effort_days <= 0:
        raise ValidationFailed(_("Effort must be above 0 days."), [("effort_days", "> 0")])
    _check_period(start, end)
    warnings = request_warnings(opportunity)
    if warnings and not confirm_warnings:
        raise Conflict(
            _("Confirm the warnings to request resources for this deal."),
            [("confirm_warnings", w.message) for w in warnings],
        )
    queue, unit = request_route(opportunity)
    budget = opportunity_budget(opportunity)
    estimate = estimate_cost(effort_days)
    over = ledger_total(opportunity) + estimate > budget
    request = PresalesRequest(
        opportunity=opportunity,
        requested_by=user,
        skills=_normalize_skills(skills),
        effort_days=effort_days,
        start=start,
        end=end,
        purpose=purpose.strip(),
        queue=queue,
        unit=unit,
        state=RequestState.AWAITING_APPROVAL if over else RequestState.QUEUED,
        estimated_cost=estimate,
        budget_at_request=budget,
    )
    if warnings:
        request.warnings = [{"code": w.code, "message": w.message} for w in warnings]
        request.warnings_confirmed_by = user
        request.warnings_confirmed_at = timezone.now()
    core_services.save_new(request, user=user)
    if over:
        approval = BudgetApproval.objects.create(
            request=request,
            budget=budget,
            projected_total=ledger_total(opportunity) + estimate,
            asked_by=user,
        )
        notices.approval_needed(approval, actor=user)
    else:
        notices.request_created(request, actor=user)
    stage_owner_on_entry(opportunity=opportunity, stage=opportunity.stage, by=user)
    return request


def _set_state(request: PresalesRequest, user: User, state: str, **changes: Any) -> None:
    request.state = state
    for field, value in changes.items():
        setattr(request, field, value)
    core_services.versioned_save(request, user=user)


def _lock_request(request: PresalesRequest) -> PresalesRequest:
    locked: PresalesRequest = (
        PresalesRequest.objects.select_for_update().select_related("opportunity").get(pk=request.pk)
    )
    return locked


def _pending_approval(request: PresalesRequest) -> BudgetApproval:
    approval = BudgetApproval.objects.filter(request=request, status=ApprovalStatus.PENDING).first()
    if approval is None or request.state != RequestState.AWAITING_APPROVAL:
        raise Conflict(_("This request is not waiting for a budget approval."))
    return approval


def _require_approver(user: User, request: PresalesRequest) -> None:
    require(user, Action.SUPPORT_APPROVE)
    if request.requested_by_id == user.pk and not user.sees_everything:
        raise NotAllowed(_("A manager cannot approve their own request."))


@transaction.atomic
def request_decide(
    *, user: User, request: PresalesRequest, approve: bool, comment: str = ""
) -> PresalesRequest:
    """A manager approves the overrun (the request joins its queue) or rejects it."""
    request = _lock_request(request)
    _require_approver(user, request)
    approval = _pending_approval(request)
    if not approve and not comment.strip():
        raise ValidationFailed(_("Say why the request is rejected."), [("comment", _("required"))])
    approval.status = ApprovalStatus.APPROVED if approve else ApprovalStatus.REJECTED
    approval.decided_by = user
    approval.decided_at = timezone.now()
    approval.comment = comment.strip()
    approval.save()
    if approve:
        _set_state(request, user, RequestState.QUEUED, over_budget_approved=True)
        notices.request_created(request, actor=user)
    else:
        _set_state(request, user, RequestState.REJECTED)
    notices.approval_decided(approval, actor=user)
    return request


@transaction.atomic
def request_escalate(*, user: User, request: PresalesRequest, days: Decimal) -> PresalesRequest:
    """The queue lead asks a manager to approve more spend than the budget allows (e.g. an
    assignment the scheduler refused for the budget)."""
    request = _lock_request(request)
    _require_queue_lead(user, request)
    if request.state not in (RequestState.QUEUED, RequestState.ASSIGNED):
        raise Conflict(_("Only a queued or assigned request can ask for more budget."))
    projected = ledger_total(request.opportunity) + estimate_cost(days)
    approval = BudgetApproval.objects.create(
        request=request,
        budget=opportunity_budget(request.opportunity),
        projected_total=projected,
        asked_by=user,
    )
    _set_state(request, user, RequestState.AWAITING_APPROVAL)
    notices.approval_needed(approval, actor=user)
    return request


@transaction.atomic
def request_close(*, user: User, request: PresalesRequest, state: str) -> PresalesRequest:
    """Mark a request completed (the work is done) or cancelled (no longer needed)."""
    request = _lock_request(request)
    if state not in (RequestState.COMPLETED, RequestState.CANCELLED):
        raise ValidationFailed(_("Choose completed or cancelled."), [("state", _("invalid"))])
    if request.requested_by_id != user.pk:
        _require_queue_lead(user, request)
    if not request.is_open:
        raise Conflict(_("This request is already closed."))
    if state == RequestState.COMPLETED and request.state != RequestState.ASSIGNED:
        raise Conflict(_("Only an assigned request can be completed."))
    _set_state(request, user, state)
    return request


def can_lead_queue(user: User, request: PresalesRequest) -> bool:
    """The delivery lead (or a manager above the unit) whose unit handles the request; an
    HQ-presales delivery lead for the hotline; executives and admins anywhere."""
    if user.sees_everything:
        return True
    if not may(user, Action.SUPPORT_QUEUE_LEAD) or user.team is None:
        return False
    if request.queue == Queue.HOTLINE:
        return may(user, Action.SUPPORT_HOTLINE_LEAD) and user.team.kind == TeamKind.HQ_PRESALES
    return request.unit is not None and request.unit.path.startswith(user.team.path)


def _require_queue_lead(user: User, request: PresalesRequest) -> None:
    if not can_lead_queue(user, request):
        raise NotAllowed(_("Only the lead of this request's queue can do this."))
