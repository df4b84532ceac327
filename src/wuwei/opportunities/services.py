"""Opportunity writes (METHOD.md §4): create, edit, grade override, stage moves, deal team and
competitors on the deal. Web pages, the API, the demo and imports all come through here."""

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import (
    BooleanField,
    Case,
    DateTimeField,
    F,
    IntegerField,
    Q,
    Subquery,
    Value,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext as _

from wuwei.accounts.conflicts import conflict_raise, ownership_conflict_check
from wuwei.accounts.models import ConflictKind, OwnershipConflict
from wuwei.competitors.models import Competitor
from wuwei.competitors.services import competitor_price_add
from wuwei.core import services as core_services
from wuwei.core.audit import audit_record
from wuwei.core.config import method_config
from wuwei.core.errors import Conflict, ValidationFailed
from wuwei.core.models import AuditAction
from wuwei.core.visibility import visible
from wuwei.methodology.enums import OpportunityGrade
from wuwei.methodology.enums import Stage as MethodStage
from wuwei.methodology.enums import Track as MethodTrack
from wuwei.methodology.explain import Reason
from wuwei.methodology.grading import grade_opportunity, track_for_grade
from wuwei.opportunities import partners
from wuwei.opportunities.gates import (
    StageMove,
    reason_message,
    run_after_move,
    run_gates,
    run_stage_entered,
)
from wuwei.opportunities.models import (
    STAGE_RANK,
    DealRole,
    Grade,
    Opportunity,
    OpportunityCompetitor,
    OpportunityMember,
    PartnerRegistration,
    ProductLine,
    RegistrationStatus,
    Source,
    Stage,
    StageHistory,
    mark_advanced,
)
from wuwei.opportunities.selectors import stage_names
from wuwei.org.models import User
from wuwei.org.permissions import Action, require

EDITABLE_FIELDS = (
    "name",
    "amount",
    "currency",
    "expected_close",
    "owner",
    "team",
    "source",
    "notes",
    "products",
    "grade_override",
    "grade_override_reason",
)


class StageBlocked(Conflict):
    """The move broke a rule or a stage gate: nothing changed; `reasons` say which."""

    def __init__(self, reasons: tuple[Reason, ...]) -> None:
        names = stage_names()
        self.reasons = reasons
        self.messages = [reason_message(reason, names) for reason in reasons]
        super().__init__(
            _("This stage move is not allowed."), [("to", message) for message in self.messages]
        )


def require_writer(user: User) -> None:
    """Those who may create or change deals and what hangs off them (`Action.DEAL_WRITE`)."""
    require(user, Action.DEAL_WRITE)


def overlapping(queryset: Any, products: Iterable[ProductLine]) -> Any:
    """Rows of `queryset` sharing at least one product line (the overlap test of §4.2 E)."""
    return queryset.filter(Q(products__in=list(products))).distinct()


# ----------------------------------------------------------------------------------------
# grade and track (§4.2)


def _grade_and_track(amount: Decimal, *, is_partner_led: bool, override: str) -> tuple[str, str]:
    """Effective grade (the override when set) and the track it routes to."""
    if is_partner_led:
        return Grade.E, str(track_for_grade(OpportunityGrade.E, is_partner_led=True))
    grade = (
        OpportunityGrade(override)
        if override
        else grade_opportunity(Decimal(amount), method_config().opportunity_grade)
    )
    return str(grade), str(track_for_grade(grade, is_partner_led=False))


def _check_override(*, override: str, reason: str, is_partner_led: bool) -> None:
    if not override:
        return
    if override not in ("A", "B", "C", "D"):
        raise ValidationFailed(
            _("A grade can be overridden to A, B, C or D; E means partner-led."),
            [("grade_override", _("not allowed"))],
        )
    if is_partner_led:
        raise ValidationFailed(
            _("A partner-led deal is always grade E."), [("grade_override", _("not allowed"))]
        )
    if not reason.strip():
        raise ValidationFailed(
            _("Overriding the grade needs a reason."),
            [("grade_override_reason", _("This field is required."))],
        )


def amount_grade(amount: Decimal) -> str:
    """The grade the amount alone gives (shown next to an override)."""
    return str(grade_opportunity(Decimal(amount), method_config().opportunity_grade))


# ----------------------------------------------------------------------------------------
# create and edit


@transaction.atomic
def opportunity_create(
    *,
    user: User,
    account: Any,
    name: str,
    amount: Decimal = Decimal(0),
    owner: User | None = None,
    products: Iterable[ProductLine] = (),
    members: Iterable[tuple[User, str]] = (),
    at: datetime | None = None,
    **fields: Any,
) -> Opportunity:
    """A new deal in stage 1, graded and routed (§4.2). A direct deal on a scope a partner has
    registered raises a conflict (§4.2 E, §7.3); partner-led deals come from registrations."""
    require_writer(user)
    owner = owner or user
    partners.check_create(user, {"owner": owner, "partner": fields.get("partner")})
    override = fields.get("grade_override", "") or ""
    _check_override(
        override=override,
        reason=fields.get("grade_override_reason", "") or "",
        is_partner_led=fields.get("partner") is not None,
    )
    now = at or timezone.now()
    opportunity = Opportunity(
        account=account,
        name=name.strip(),
        amount=amount,
        owner=owner,
        stage_entered_at=now,
        **fields,
    )
    if opportunity.team_id is None and owner.team_id and not owner.role_slugs & {"partner_user"}:
        opportunity.team = owner.team
    opportunity.stage = Stage.VALIDATE
    opportunity.grade, opportunity.track = _grade_and_track(
        amount, is_partner_led=opportunity.partner_id is not None, override=override
    )
    core_services.save_new(opportunity, user=user)
    products = list(products)
    if products:
        opportunity.products.set(products)
    for member, role in members:
        OpportunityMember.objects.get_or_create(
            opportunity=opportunity, user=member, defaults={"role": role}
        )
    _creator_keeps_sight(opportunity, user)
    StageHistory.objects.bulk_create(  # the deal's first stay: nothing to mark (save())
        [
            StageHistory(
                opportunity=opportunity, stage=Stage.VALIDATE, entered_at=now, entered_by=user
            )
        ]
    )
    # MCI §5.3: every stage has exactly one accountable owner from the moment it is entered.
    run_stage_entered(opportunity, Stage.VALIDATE, user)
    if opportunity.partner_id is None and products:
        _flag_direct_deal_on_registered_scope(opportunity, products, user, now.date())
    _flag_ownership(opportunity, user)
    return opportunity


def _flag_ownership(opportunity: Opportunity, user: User) -> None:
    """A deal on an account another segment team owns goes to the conflict queue (§7.3).
    A deal converted from a registration is the same deal: the registration's conflict, if
    it raised one, now names the deal instead of a second conflict being raised."""
    if opportunity.registration_id is not None:
        raised = OwnershipConflict.objects.filter(
            kind=ConflictKind.OWNERSHIP,
            account_id=opportunity.account_id,
            opportunity__isnull=True,
            details__registration=opportunity.registration_id,
        ).first()
        if raised is not None:
            core_services.update_fields(
                raised,
                user=user,
                changes={"opportunity": opportunity},
                expected_version=raised.version,
            )
            return
    ownership_conflict_check(
        user=user,
        account=opportunity.account,
        team=opportunity.team or opportunity.partner,
        opportunity=opportunity,
    )


def _creator_keeps_sight(opportunity: Opportunity, user: User) -> None:
    """A deal created for a colleague the creator does not oversee keeps its creator on the
    deal team, so they can follow what they started (and their create never answers 404)."""
    if opportunity.owner_id == user.pk:
        return
    if not visible(Opportunity, user).filter(pk=opportunity.pk).exists():
        OpportunityMember.objects.get_or_create(
            opportunity=opportunity, user=user, defaults={"role": DealRole.SALES}
        )


def _flag_direct_deal_on_registered_scope(
    opportunity: Opportunity, products: list[ProductLine], user: User, today: Any
) -> None:
    registrations = list(
        overlapping(
            PartnerRegistration.objects.filter(
                account_id=opportunity.account_id,
                status=RegistrationStatus.ACTIVE,
                expires_on__gte=today,
                archived_at__isnull=True,
            ),
            products,
        ).select_related("partner")
    )
    if not registrations:
        return
    conflict_raise(
        kind=ConflictKind.DIRECT_VS_REGISTRATION,
        account=opportunity.account,
        raised_by=user,
        opportunity=opportunity,
        summary=_("Direct opportunity “%(name)s” overlaps a partner registration by %(partner)s")
        % {"name": opportunity.name, "partner": registrations[0].partner.name},
        details={
            "registrations": [r.pk for r in registrations],
            "products": sorted(p.code for p in products),
        },
    )


def opportunity_update(
    *,
    user: User,
    opportunity: Opportunity,
    changes: dict[str, Any],
    expected_version: int | None,
    row_locked: bool = False,
) -> Opportunity:
    """Edit fields; the grade and track follow the amount or the override. An override needs
    a reason, which is kept with the audit record. `row_locked`: `opportunity` was read with
    `selectors.opportunity_for_update` in the caller's open transaction, which the edit joins
    (no savepoint: a failure fails the caller's transaction)."""
    require_writer(user)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    partners.check_edit(user, opportunity, changes)
    changes = dict(changes)
    products = changes.pop("products", None)
    override = changes.get("grade_override", opportunity.grade_override) or ""
    reason = changes.get("grade_override_reason", opportunity.grade_override_reason) or ""
    if not override:
        reason = ""
        changes["grade_override_reason"] = ""
    overriding = "grade_override" in changes and override != opportunity.grade_override
    if overriding or "grade_override_reason" in changes:
        _check_override(
            override=override, reason=reason, is_partner_led=opportunity.partner_id is not None
        )
    changes["grade"], changes["track"] = _grade_and_track(
        changes.get("amount", opportunity.amount),
        is_partner_led=opportunity.partner_id is not None,
        override=override,
    )
    audit_reason = ""
    if overriding:
        audit_reason = _("grade override %(old)s → %(new)s: %(reason)s") % {
            "old": opportunity.grade_override or "—",
            "new": override or "—",
            "reason": reason,
        }
    with transaction.atomic(savepoint=not row_locked):
        updated: Opportunity = core_services.update_fields(
            opportunity,
            user=user,
            changes=changes,
            expected_version=expected_version,
            reason=audit_reason,
            row_locked=row_locked,
        )
        if products is not None:
            updated.products.set(products)
    return updated


def opportunity_override_grade(
    *,
    user: User,
    opportunity: Opportunity,
    grade: str,
    reason: str,
    expected_version: int | None,
) -> Opportunity:
    """Set (or clear with "") the manual grade override (§4.2)."""
    return opportunity_update(
        user=user,
        opportunity=opportunity,
        changes={"grade_override": grade, "grade_override_reason": reason},
        expected_version=expected_version,
    )


def opportunity_archive(*, user: User, opportunity: Opportunity) -> Opportunity:
    require_writer(user)
    partners.check_edit(user, opportunity)
    return core_services.archive(opportunity, user=user)


def opportunity_restore(*, user: User, opportunity: Opportunity) -> Opportunity:
    return core_services.restore(opportunity, user=user)


# ----------------------------------------------------------------------------------------
# stage moves (§4.1)


def _leave_stage(deal: Opportunity, target: str, now: datetime, user: User) -> None:
    """One UPDATE: the open stay ends now, and every stay that ranks below the target stage
    is marked as having advanced (StageHistory.advanced)."""
    rank = STAGE_RANK[target]
    lower = [stage for stage, r in STAGE_RANK.items() if r < rank]
    leaving = Q(left_at__isnull=True)
    StageHistory.objects.filter(
        leaving | Q(advanced=False, stage__in=lower), opportunity=deal
    ).update(
        left_at=Case(
            When(leaving, then=Value(now)), default=F("left_at"), output_field=DateTimeField()
        ),
        left_by=Case(
            When(leaving, then=Value(user.pk)), default=F("left_by"), output_field=IntegerField()
        ),
        advanced=Case(
            When(stage__in=lower, then=Value(True)),
            default=F("advanced"),
            output_field=BooleanField(),
        ),
    )


def opportunity_move_stage(
    *,
    user: User,
    opportunity: Opportunity,
    to: str,
    reason: str = "",
    expected_version: int | None = None,
    winning_competitor: Competitor | None = None,
    winning_price: Decimal | None = None,
    at: datetime | None = None,
    override_reason: str = "",
    row_locked: bool = False,
) -> Opportunity:
    """Move to stage `to` if every gate in `gates.STAGE_GATES` agrees; otherwise raise
    StageBlocked (409) listing the reasons, with nothing changed. History keeps who moved it,
    when, and why. Lost records the reason and, if known, the winning competitor and price.
    `override_reason`: a manager lets the move through blocking PRM rules (§6). `row_locked`:
    `opportunity` was read with `selectors.opportunity_for_update` in the caller's open
    transaction (it is then the instance moved), which the move joins (no savepoint: a
    failure fails the caller's transaction)."""
    require_writer(user)
    partners.check_edit(user, opportunity)
    if winning_competitor is not None:
        partners.require_internal(user)
    try:
        target = MethodStage(to)
    except ValueError:
        raise ValidationFailed(
            _("Unknown stage “%(stage)s”.") % {"stage": to}, [("to", _("unknown stage"))]
        ) from None
    with transaction.atomic(savepoint=not row_locked):
        locked: Opportunity = (
            opportunity
            if row_locked
            else Opportunity.objects.select_for_update().get(pk=opportunity.pk)
        )
        before = core_services.snapshot(locked)
        if expected_version is not None:
            core_services.check_version(locked.version, expected_version)
        if locked.archived_at is not None:
            raise Conflict(_("This record is archived. Restore it before editing."))
        move = StageMove(
            opportunity=locked,
            user=user,
            current=MethodStage(locked.stage),
            target=target,
            track=MethodTrack(locked.track),
            reason=reason,
            winning_price=winning_price,
            override_reason=override_reason.strip(),
        )
        reasons = run_gates(move)
        if reasons:
            raise StageBlocked(reasons)
        now = at or timezone.now()
        _leave_stage(locked, target.value, now, user)
        # bulk_create, not save(): `_leave_stage` marked the stays this one advances from;
        # the deal's last entry into the target stage is read inside the INSERT
        entries = StageHistory.objects.filter(opportunity=locked, stage=target).order_by(
            "-entered_at", "-id"
        )
        StageHistory.objects.bulk_create(
            [
                StageHistory(
                    opportunity=locked,
                    stage=target,
                    entered_at=now,
                    entered_by=user,
                    reason=reason,
                    previous_entered_at=Subquery(entries.values("entered_at")[:1]),
                )
            ]
        )
        if at is not None:  # a move written after the fact may fall between earlier stays
            mark_advanced([locked.pk])
        previous = locked.stage
        locked.stage = target
        locked.stage_entered_at = now
        if not target.is_open:
            locked.closed_on = timezone.localdate(now)
        if target is MethodStage.LOST:
            locked.loss_reason = reason.strip()
            locked.winning_competitor = winning_competitor
            locked.winning_price = winning_price
            if winning_competitor is not None:
                _record_winner(locked, winning_competitor, winning_price, user, now)
        core_services.versioned_save(
            locked,
            user=user,
            reason=f"stage {previous} → {target}"
            + (f": {reason.strip()}" if reason.strip() else ""),
            before=before,
        )
        run_stage_entered(locked, target, user)  # MCI §5.3 stage owner, §5.4 credit on a win
        run_after_move(move, locked)
        return locked


def _record_winner(
    opportunity: Opportunity,
    competitor: Competitor,
    price: Decimal | None,
    user: User,
    now: datetime,
) -> None:
    """The winner is on the deal, and its price goes into its price history (§4.4)."""
    OpportunityCompetitor.objects.get_or_create(
        opportunity=opportunity, competitor=competitor, defaults={"created_by": user}
    )
    if price is not None:
        competitor_price_add(
            user=user,
            competitor=competitor,
            price=price,
            quoted_on=timezone.localdate(now),
            opportunity=opportunity,
            currency=opportunity.currency,
            notes=_("winning price"),
        )


def opportunity_from_visit(
    *, user: User, visit: Any, name: str, amount: Decimal | None = None
) -> Opportunity:
    """The opportunity a customer visit found (§2.8): created in TAS+ with source "visit" and
    routed by grade like any deal (§4.2). Registered with `accounts.deals` (accounts does not
    import this app); the visit's service records it on the visit in the same transaction."""
    return opportunity_create(
        user=user,
        account=visit.account,
        name=name,
        amount=amount or Decimal(0),
        owner=visit.owner,
        source=Source.VISIT,
    )


# ----------------------------------------------------------------------------------------
# deal team and competitors on the deal


@transaction.atomic
def opportunity_member_set(
    *, user: User, opportunity: Opportunity, member: User, role: str = DealRole.SALES
) -> OpportunityMember:
    """Add someone to the deal team, or change their role."""
    require_writer(user)
    partners.require_internal(user)
    if role not in DealRole.values:
        raise ValidationFailed(_("Unknown role."), [("role", _("unknown role"))])
    if not member.is_active:
        raise ValidationFailed(_("The member must be an active user."), [("user", _("inactive"))])
    membership = OpportunityMember.objects.filter(opportunity=opportunity, user=member).first()
    old_role = membership.role if membership is not None else None
    if membership is None:
        membership = OpportunityMember(opportunity=opportunity, user=member, role=role)
    membership.role = role
    core_services.attribute(membership, user=user)
    membership.save()
    if old_role != role:
        audit_record(
            action=AuditAction.LINK_ADDED if old_role is None else AuditAction.LINK_CHANGED,
            actor=user,
            target=opportunity,
            changes={f"members.{member.get_username()}": [old_role, role]},
        )
    return membership


@transaction.atomic
def opportunity_member_remove(*, user: User, opportunity: Opportunity, member: User) -> None:
    require_writer(user)
    partners.require_internal(user)
    for membership in OpportunityMember.objects.filter(opportunity=opportunity, user=member):
        core_services.delete_attributed(membership, user=user)
        audit_record(
            action=AuditAction.LINK_REMOVED,
            actor=user,
            target=opportunity,
            changes={f"members.{member.get_username()}": [membership.role, None]},
        )


@transaction.atomic
def opportunity_competitor_add(
    *,
    user: User,
    opportunity: Opportunity,
    competitor: Competitor,
    is_primary: bool = False,
    notes: str = "",
) -> OpportunityCompetitor:
    require_writer(user)
    partners.require_internal(user)
    link = OpportunityCompetitor.objects.filter(
        opportunity=opportunity, competitor=competitor
    ).first()
    if link is not None:
        updated: OpportunityCompetitor = core_services.update_fields(
            link,
            user=user,
            changes={"is_primary": is_primary, "notes": notes or link.notes},
            expected_version=link.version,
        )
        return updated
    link = OpportunityCompetitor(
        opportunity=opportunity, competitor=competitor, is_primary=is_primary, notes=notes
    )
    return core_services.save_new(link, user=user)


@transaction.atomic
def opportunity_competitor_remove(
    *, user: User, opportunity: Opportunity, competitor: Competitor
) -> None:
    require_writer(user)
    partners.require_internal(user)
    if opportunity.winning_competitor_id == competitor.pk:
        raise ValidationFailed(
            _("This competitor won the deal; it stays on it."), [("competitor", _("in use"))]
        )
    links: list[OpportunityCompetitor] = list(
        OpportunityCompetitor.objects.filter(opportunity=opportunity, competitor=competitor)
    )
    for link in links:
        core_services.delete_attributed(link, user=user)
