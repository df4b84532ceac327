"""MCI writes (METHOD.md §5): the pool, requests routed by grade, assignments within
capacity, the append-only cost ledger with budget approvals, single stage owners, scores and
credit splits. Keyword-only, atomic, audited; the web pages and the API both call these."""

from collections.abc import Iterable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Avg, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wuwei.core import services as core_services
from wuwei.core.config import method_config
from wuwei.core.errors import Conflict, NotAllowed, ValidationFailed
from wuwei.core.visibility import visible
from wuwei.methodology.enums import Stage as MethodStage
from wuwei.methodology.explain import Reason
from wuwei.methodology.presales import (
    EffortAssignment,
    is_over_capacity,
    presales_budget,
    route_presales_request,
    weekly_load,
)
from wuwei.opportunities.models import Opportunity, Stage
from wuwei.org.models import Role, Team, TeamKind, User
from wuwei.support import notices
from wuwei.support.models import (
    HOME_UNIT_KINDS,
    ApprovalStatus,
    Assignment,
    BudgetApproval,
    CreditRole,
    CreditSplit,
    EntryKind,
    LedgerEntry,
    LevelRate,
    PresalesRequest,
    Queue,
    RequestState,
    Resource,
    StageOwner,
    StageScore,
)
from wuwei.support.selectors import booked_assignments
from wuwei.support.warnings import request_warnings

_CENT = Decimal("0.01")
POOL_ADMIN_ROLES = {Role.ADMIN, Role.DELIVERY_LEAD}
REQUESTER_ROLES = {
    Role.REP,
    Role.MANAGER,
    Role.PRESALES,
    Role.DELIVERY_LEAD,
    Role.EXECUTIVE,
    Role.ADMIN,
}
APPROVER_ROLES = {Role.MANAGER, Role.EXECUTIVE, Role.ADMIN}


def _money(value: Decimal) -> Decimal:
    return value.quantize(_CENT, rounding=ROUND_HALF_UP)


def _normalize_skills(skills: Iterable[str]) -> list[str]:
    cleaned = [s.strip().lower() for s in skills if s and s.strip()]
    bad = [s for s in cleaned if len(s) > 40 or '"' in s or "," in s]
    if bad:
        raise ValidationFailed(
            _("Skills are short tags without quotes or commas."), [("skills", ", ".join(bad))]
        )
    return sorted(set(cleaned))


# ----------------------------------------------------------------------------------------
# resource pool


def _require_pool_admin(user: User) -> None:
    if not (user.is_superuser or user.role_slugs & POOL_ADMIN_ROLES):
        raise NotAllowed(_("Only delivery leads and administrators manage the resource pool."))


@transaction.atomic
def level_rate_set(*, user: User, level: str, day_rate: Decimal) -> LevelRate:
    _require_pool_admin(user)
    rate = LevelRate.objects.filter(level=level).first()
    if rate is None:
        return core_services.save_new(LevelRate(level=level, day_rate=day_rate), user=user)
    updated: LevelRate = core_services.update_fields(
        rate, user=user, changes={"day_rate": day_rate}, expected_version=rate.version
    )
    return updated


def _check_home_unit(home_unit: Team | None) -> None:
    if home_unit is not None and home_unit.kind not in HOME_UNIT_KINDS:
        raise ValidationFailed(
            _("A home unit is a delivery centre, an office or HQ presales."),
            [("home_unit", _("wrong kind of team"))],
        )


@transaction.atomic
def resource_create(
    *,
    user: User,
    person: User,
    level: LevelRate,
    home_unit: Team | None = None,
    skills: Iterable[str] = (),
    capacity_days_per_week: Decimal = Decimal(5),
) -> Resource:
    _require_pool_admin(user)
    _check_home_unit(home_unit)
    if not person.role_slugs & {Role.PRESALES, Role.DELIVERY_LEAD}:
        raise ValidationFailed(
            _("Only presales and delivery people join the resource pool."),
            [("user", _("needs the presales or delivery lead role"))],
        )
    if Resource.objects.filter(user=person).exists():
        raise Conflict(_("This person is already in the pool."), [("user", _("taken"))])
    resource = Resource(
        user=person,
        level=level,
        home_unit=home_unit,
        skills=_normalize_skills(skills),
        capacity_days_per_week=capacity_days_per_week,
    )
    return core_services.save_new(resource, user=user)


@transaction.atomic
def resource_update(
    *, user: User, resource: Resource, changes: dict[str, Any], expected_version: int | None
) -> Resource:
    _require_pool_admin(user)
    if "home_unit" in changes:
        _check_home_unit(changes["home_unit"])
    if "skills" in changes:
        changes = {**changes, "skills": _normalize_skills(changes["skills"])}
    return core_services.update_fields(
        resource, user=user, changes=changes, expected_version=expected_version
    )


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
    if not (user.is_superuser or user.role_slugs & REQUESTER_ROLES):
        raise NotAllowed(_("Your role cannot request presales resources."))
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
    request.version += 1
    request._history_user = user  # type: ignore[attr-defined]
    request.save()


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
    if not (user.is_superuser or user.role_slugs & APPROVER_ROLES):
        raise NotAllowed(_("Only a manager can approve presales over the budget."))
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


# ----------------------------------------------------------------------------------------
# assignments and the ledger


def can_lead_queue(user: User, request: PresalesRequest) -> bool:
    """The delivery lead (or a manager above the unit) whose unit handles the request; an
    HQ-presales delivery lead for the hotline; executives and admins anywhere."""
    if user.sees_everything:
        return True
    if not (user.role_slugs & {Role.DELIVERY_LEAD, Role.MANAGER}) or user.team is None:
        return False
    if request.queue == Queue.HOTLINE:
        return Role.DELIVERY_LEAD in user.role_slugs and user.team.kind == TeamKind.HQ_PRESALES
    return request.unit is not None and request.unit.path.startswith(user.team.path)


def _require_queue_lead(user: User, request: PresalesRequest) -> None:
    if not can_lead_queue(user, request):
        raise NotAllowed(_("Only the lead of this request's queue can do this."))


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
    if not (user.sees_everything or user.role_slugs & {Role.MANAGER, Role.DELIVERY_LEAD}):
        raise NotAllowed(_("Only a manager or a delivery lead corrects the ledger."))
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
    assignment.version += 1
    assignment._history_user = user  # type: ignore[attr-defined]
    assignment.save()
    live = Assignment.objects.filter(request=request, cancelled_at__isnull=True).exists()
    if not live and request.state == RequestState.ASSIGNED:
        _set_state(_lock_request(request), user, RequestState.QUEUED)
    return assignment


# ----------------------------------------------------------------------------------------
# single owner per stage (§5.3)

# For issue 5's `register_reason_message(code, message)`.
STAGE_OWNER_REASON_MESSAGES = {
    "stage_without_owner": gettext_lazy("Stage %(stage)s has no accountable owner."),
}


def stage_owner_current(opportunity: Opportunity, stage: str) -> StageOwner | None:
    return (
        StageOwner.objects.filter(opportunity=opportunity, stage=stage, left_at__isnull=True)
        .select_related("owner")
        .first()
    )


@transaction.atomic
def on_stage_entered(opportunity: Opportunity, stage: str, by: User | None) -> None:
    """Registered with `opportunities.gates.register_stage_entered`: an open stage entered
    gets its accountable owner (MCI §5.3); a won deal credits its owner and participants
    (§5.4)."""
    if MethodStage(stage).is_open:
        stage_owner_on_entry(opportunity=opportunity, stage=stage, by=by)
    elif stage == MethodStage.WON:
        credit_splits_create_for_won(opportunity)


def stage_owner_on_entry(*, opportunity: Opportunity, stage: str, by: User | None) -> StageOwner:
    """On entering a stage its owner defaults to the deal owner. Idempotent: a stage that
    already has an owner keeps them."""
    current = stage_owner_current(opportunity, stage)
    if current is not None:
        return current
    try:
        with transaction.atomic():
            return StageOwner.objects.create(
                opportunity=opportunity, stage=stage, owner_id=opportunity.owner_id, assigned_by=by
            )
    except IntegrityError:  # a concurrent entry won the race: theirs is the one owner
        found = stage_owner_current(opportunity, stage)
        assert found is not None
        return found


@transaction.atomic
def stage_owner_reassign(
    *, user: User, opportunity: Opportunity, stage: str, owner: User, reason: str = ""
) -> StageOwner:
    """Hand a stage to another accountable owner: the deal owner, a manager who sees the
    deal, or an executive/admin may. The new owner must be able to see the deal."""
    if stage not in Stage.values or stage in (Stage.WON, Stage.LOST):
        raise ValidationFailed(_("Choose an open stage."), [("stage", _("invalid"))])
    is_owner = opportunity.owner_id == user.pk
    if not (is_owner or user.sees_everything or Role.MANAGER in user.role_slugs):
        raise NotAllowed(_("Only the deal owner or a manager can reassign a stage."))
    if not owner.is_active:
        raise ValidationFailed(_("The owner must be an active user."), [("owner", _("inactive"))])
    now = timezone.now()
    StageOwner.objects.select_for_update().filter(
        opportunity=opportunity, stage=stage, left_at__isnull=True
    ).update(left_at=now)
    term = StageOwner.objects.create(
        opportunity=opportunity, stage=stage, owner=owner, assigned_by=user, reason=reason[:300]
    )
    owner.__dict__.pop("_wuwei_scope", None)
    if not visible(Opportunity, owner).filter(pk=opportunity.pk).exists():
        raise ValidationFailed(
            _("%(person)s cannot see this deal: add them to the deal team first.")
            % {"person": owner},
            [("owner", _("cannot see the deal"))],
        )
    return term


def stage_owner_gate(opportunity: Opportunity, target_stage: str) -> list[Reason]:
    """A stage gate (§5.3): the stage being left must have its one accountable owner.
    Returns `Reason("stage_without_owner", {"stage": ...})` when it has none."""
    current = opportunity.stage
    if current in (Stage.WON, Stage.LOST) or current == target_stage:
        return []
    has_owner = StageOwner.objects.filter(
        opportunity=opportunity, stage=current, left_at__isnull=True
    ).exists()
    return [] if has_owner else [Reason("stage_without_owner", {"stage": current})]


# ----------------------------------------------------------------------------------------
# scoring and credit (§5.4)


def deal_participants(opportunity: Opportunity) -> dict[int, str]:
    """user id → credit role: the owner, assigned presales, deal-team members, stage owners."""
    found: dict[int, str] = {}
    for user_id in StageOwner.objects.filter(opportunity=opportunity).values_list(
        "owner_id", flat=True
    ):
        found[user_id] = CreditRole.PARTICIPANT
    for user_id in opportunity.members.values_list("id", flat=True):
        found[user_id] = CreditRole.PARTICIPANT
    assigned = Assignment.objects.filter(
        request__opportunity=opportunity, cancelled_at__isnull=True
    ).values_list("resource__user_id", flat=True)
    for user_id in assigned:
        found[user_id] = CreditRole.PRESALES
    found[opportunity.owner_id] = CreditRole.OWNER
    return found


def _stage_reached(opportunity: Opportunity, stage: str) -> bool:
    if not opportunity.is_open:
        return True
    reached = MethodStage(opportunity.stage).number or 0
    return (MethodStage(stage).number or 99) <= reached


@transaction.atomic
def stage_score_submit(
    *,
    user: User,
    opportunity: Opportunity,
    stage: str,
    participant: User,
    score: int,
    comment: str = "",
) -> StageScore:
    """The stage owner scores a participant 0–100 at stage exit; one score per participant
    and stage."""
    if stage not in Stage.values or stage in (Stage.WON, Stage.LOST):
        raise ValidationFailed(_("Choose an open stage."), [("stage", _("invalid"))])
    if not 0 <= score <= 100:
        raise ValidationFailed(_("A score is 0 to 100."), [("score", "0–100")])
    owner = stage_owner_current(opportunity, stage)
    if owner is None or owner.owner_id != user.pk:
        raise NotAllowed(_("Only the stage owner scores the participants of the stage."))
    if not _stage_reached(opportunity, stage):
        raise Conflict(_("The deal has not reached this stage yet."))
    if participant.pk == user.pk or participant.pk not in deal_participants(opportunity):
        raise ValidationFailed(
            _("Score someone else who takes part in the deal."), [("participant", _("invalid"))]
        )
    if StageScore.objects.filter(
        opportunity=opportunity, stage=stage, participant=participant
    ).exists():
        raise Conflict(_("This participant is already scored for this stage."))
    return StageScore.objects.create(
        opportunity=opportunity,
        stage=stage,
        participant=participant,
        scored_by=user,
        score=score,
        comment=comment.strip(),
    )


@transaction.atomic
def credit_splits_create_for_won(
    opportunity: Opportunity, *, participants: dict[int, str] | None = None
) -> list[CreditSplit]:
    """Credit the won amount in full to the owner and to every participant (双算, §5.4).
    The owner's split is the real one; each participant's is flagged double-counted.
    Idempotent: existing splits stay, missing ones are added. `participants` (user id →
    role) defaults to `deal_participants()`."""
    if opportunity.stage != Stage.WON:
        raise Conflict(_("Credit is split only on won deals."))
    people = participants if participants is not None else deal_participants(opportunity)
    people = {**people, opportunity.owner_id: CreditRole.OWNER}
    existing = set(
        CreditSplit.objects.filter(opportunity=opportunity).values_list("user_id", flat=True)
    )
    CreditSplit.objects.bulk_create(
        CreditSplit(
            opportunity=opportunity,
            user_id=user_id,
            role=role,
            amount=opportunity.amount,
            is_double_counted=user_id != opportunity.owner_id,
        )
        for user_id, role in sorted(people.items())
        if user_id not in existing
    )
    return list(CreditSplit.objects.filter(opportunity=opportunity).order_by("id"))
