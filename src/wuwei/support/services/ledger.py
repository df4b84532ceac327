"""Assignments within capacity and the append-only cost ledger (METHOD.md §5.1, §5.2)."""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wuwei.core import services as core_services
from wuwei.core.config import method_config
from wuwei.core.errors import Conflict, ValidationFailed
from wuwei.methodology.presales import EffortAssignment, is_over_capacity, weekly_load
from wuwei.opportunities.models import Opportunity
from wuwei.org.models import User
from wuwei.org.permissions import Action, require
from wuwei.support import notices
from wuwei.support.models import (
    Assignment,
    EntryKind,
    LedgerEntry,
    PresalesRequest,
    RequestState,
    Resource,
)
from wuwei.support.selectors import booked_assignments
from wuwei.support.services.pool import _money
from wuwei.support.services.requests import (
    _check_period,
    _lock_request,
    _require_queue_lead,
    _set_state,
    ledger_total,
    opportunity_budget,
)

# ----------------------------------------------------------------------------------------
# assignments and the ledger


def _post(
    *,
    user: User,
    opportunity: Opportunity,
    kind: str,
    amount: Decimal,
    days: Decimal,
    description: str,
    assignment: Assignment | None = None,
    reverses: LedgerEntry | None = None,
) -> LedgerEntry:
    entry = LedgerEntry(
        opportunity=opportunity,
        kind=kind,
        amount=amount,
        days=days,
        description=description[:300],
        assignment=assignment,
        reverses=reverses,
        created_by=user,
    )
    entry.save()
    return entry


@transaction.atomic
def assignment_create(
    *,
    user: User,
    request: PresalesRequest,
    resource: Resource,
    days: Decimal,
    start: date | None = None,
    end: date | None = None,
    allow_over_capacity: bool = False,
) -> Assignment:
    """Assign a person (§5.1) and charge days × day rate to the deal's ledger (§5.2).

    Refused (409, nothing saved) when a week goes above capacity — exactly 100 % is fine —
    unless the lead accepts it with `allow_over_capacity` (the weeks are then flagged), and
    when the ledger would exceed the budget without a manager's approval."""
    request = _lock_request(request)
    _require_queue_lead(user, request)
    if request.state not in (RequestState.QUEUED, RequestState.ASSIGNED):
        raise Conflict(
            _("The request is %(state)s: it cannot be assigned.")
            % {"state": request.get_state_display()}
        )
    resource = (
        Resource.objects.select_for_update().select_related("level", "user").get(pk=resource.pk)
    )
    if resource.archived_at is not None:
        raise Conflict(_("This person has left the pool."), [("resource", _("archived"))])
    start, end = start or request.start, end or request.end
    _check_period(start, end)
    if days <= 0:
        raise ValidationFailed(_("Days must be above 0."), [("days", "> 0")])
    try:
        load = weekly_load(
            [
                *booked_assignments([resource.pk], start, end).get(resource.pk, []),
                EffortAssignment(start, end, days),
            ],
            resource.capacity_days_per_week,
        )
    except ValueError as exc:
        raise ValidationFailed(_("The period has no working day."), [("end", str(exc))]) from None
    config = method_config().presales
    weeks_over = [
        week for week, percent in load.items() if is_over_capacity(percent, config=config)
    ]
    if weeks_over and not allow_over_capacity:
        raise Conflict(
            _("%(person)s would be over capacity in %(weeks)s.")
            % {"person": resource, "weeks": ", ".join(weeks_over)},
            [("days", f"{week}: {load[week]} %") for week in weeks_over],
        )
    rate = resource.level.day_rate
    cost = _money(days * rate)
    opportunity = request.opportunity
    budget = opportunity_budget(opportunity)
    projected = ledger_total(opportunity) + cost
    if projected > budget and not request.over_budget_approved:
        raise Conflict(
            _(
                "This assignment would bring presales cost to %(total)s, over the budget of "
                "%(budget)s: a manager must approve it first."
            )
            % {"total": projected, "budget": budget},
            [("budget", str(budget))],
        )
    assignment = core_services.save_new(
        Assignment(
            request=request,
            resource=resource,
            start=start,
            end=end,
            days=days,
            day_rate=rate,
            cost=cost,
            assigned_by=user,
            over_capacity_weeks=weeks_over,
        ),
        user=user,
    )
    _post(
        user=user,
        opportunity=opportunity,
        kind=EntryKind.CHARGE,
        amount=cost,
        days=days,
        description=f"{resource} · {days} × {rate}",
        assignment=assignment,
    )
    if request.state == RequestState.QUEUED:
        _set_state(request, user, RequestState.ASSIGNED)
    notices.assignment_created(assignment, actor=user)
    return assignment


@transaction.atomic
def ledger_reverse(*, user: User, entry: LedgerEntry, reason: str) -> LedgerEntry:
    """The only correction: a reversing entry of the opposite amount (§5.2)."""
    entry = LedgerEntry.objects.select_for_update().get(pk=entry.pk)
    require(user, Action.SUPPORT_LEDGER_CORRECT)
    if entry.kind != EntryKind.CHARGE:
        raise Conflict(_("Only a charge can be reversed."))
    if LedgerEntry.objects.filter(reverses=entry).exists():
        raise Conflict(_("This charge is already reversed."))
    if not reason.strip():
        raise ValidationFailed(_("Say why the charge is reversed."), [("reason", _("required"))])
    return _post(
        user=user,
        opportunity=entry.opportunity,
        kind=EntryKind.REVERSAL,
        amount=-entry.amount,
        days=-entry.days,
        description=reason.strip(),
        assignment=entry.assignment,
        reverses=entry,
    )


@transaction.atomic
def assignment_cancel(*, user: User, assignment: Assignment, reason: str) -> Assignment:
    """Free the person's weeks and reverse the charge."""
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    request = assignment.request
    _require_queue_lead(user, request)
    if assignment.cancelled_at is not None:
        raise Conflict(_("This assignment is already cancelled."))
    charge = LedgerEntry.objects.filter(
        assignment=assignment, kind=EntryKind.CHARGE, reversed_by__isnull=True
    ).first()
    if charge is not None:
        ledger_reverse(user=user, entry=charge, reason=reason or _("assignment cancelled"))
    assignment.cancelled_at = timezone.now()
    core_services.versioned_save(assignment, user=user)
    live = Assignment.objects.filter(request=request, cancelled_at__isnull=True).exists()
    if not live and request.state == RequestState.ASSIGNED:
        _set_state(_lock_request(request), user, RequestState.QUEUED)
    return assignment
