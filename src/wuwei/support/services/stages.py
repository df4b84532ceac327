"""A single accountable owner per stage, stage scores and credit splits (METHOD.md §5.3, §5.4)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wuwei.core.errors import Conflict, NotAllowed, ValidationFailed
from wuwei.core.visibility import visible
from wuwei.methodology.enums import Stage as MethodStage
from wuwei.methodology.explain import Reason
from wuwei.opportunities.models import Opportunity, Stage
from wuwei.org.models import User
from wuwei.org.permissions import Action, require
from wuwei.support.models import Assignment, CreditRole, CreditSplit, StageOwner, StageScore

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


def on_stage_entered(opportunity: Opportunity, stage: str, by: User | None) -> None:
    """Registered with `opportunities.gates.register_stage_entered`: an open stage entered
    gets its accountable owner (MCI §5.3); a won deal credits its owner and participants
    (§5.4). Runs inside the stage move's transaction; each step is atomic itself."""
    if MethodStage(stage).is_open:
        _open_stage_owner(opportunity, stage, by)
    elif stage == MethodStage.WON:
        credit_splits_create_for_won(opportunity)


def _open_stage_owner(opportunity: Opportunity, stage: str, by: User | None) -> None:
    """The deal owner becomes the stage's owner unless it has one: one INSERT … ON CONFLICT
    DO NOTHING against the one-open-owner constraint (`support_one_open_stage_owner`), so an
    owner already there — or a concurrent entry that won the race — is kept, with no read
    first and no savepoint."""
    StageOwner.objects.bulk_create(
        [
            StageOwner(
                opportunity=opportunity, stage=stage, owner_id=opportunity.owner_id, assigned_by=by
            )
        ],
        ignore_conflicts=True,
    )


def stage_owner_on_entry(*, opportunity: Opportunity, stage: str, by: User | None) -> StageOwner:
    """On entering a stage its owner defaults to the deal owner. Idempotent: a stage that
    already has an owner keeps them. Returns the stage's one open owner."""
    _open_stage_owner(opportunity, stage, by)
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
    if not is_owner:
        require(user, Action.SUPPORT_STAGE_REASSIGN)
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
