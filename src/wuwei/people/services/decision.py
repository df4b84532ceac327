"""Decision-map writes (§3.1–3.3): who takes part in a deal, in which role, how they stand
towards us in this deal, who influences whom, and the relationship strategy."""

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from wuwei.core import services as core_services
from wuwei.core.errors import Conflict, ValidationFailed
from wuwei.methodology.enums import RelationshipStatus as MethodStatus
from wuwei.methodology.strategies import suggest_relationship_strategy
from wuwei.opportunities.models import Opportunity
from wuwei.org.models import User
from wuwei.people.models import Contact, DecisionInfluence, DecisionParticipant
from wuwei.people.services.closeness import closeness_record_opportunity
from wuwei.people.services.contacts import require_writer
from wuwei.people.services.interaction import interaction_recompute

EDITABLE_FIELDS = (
    "decision_role",
    "relationship_status",
    "strategy",
    "strategy_reason",
    "notes",
)


def _check_strategy(participant: DecisionParticipant) -> None:
    """An override of the suggested strategy (§3.3) needs a reason; following it needs none."""
    if not participant.strategy:
        participant.strategy_reason = participant.strategy_reason.strip()
        return
    suggested = suggest_relationship_strategy(MethodStatus(participant.relationship_status))
    if participant.strategy != suggested and not participant.strategy_reason.strip():
        raise ValidationFailed(
            _("Say why you choose another strategy than the suggested one."),
            [("strategy_reason", _("required when overriding the suggestion"))],
        )


@transaction.atomic
def participant_add(
    *,
    user: User,
    opportunity: Opportunity,
    contact: Contact,
    decision_role: str,
    relationship_status: str | None = None,
    strategy: str = "",
    strategy_reason: str = "",
    notes: str = "",
) -> DecisionParticipant:
    """Put a contact on the deal's decision map. The per-deal status starts from the
    contact's overall status unless given."""
    require_writer(user)
    if contact.account_id != opportunity.account_id:
        raise ValidationFailed(
            _("Only contacts of the opportunity's account can be on its decision map."),
            [("contact", _("different account"))],
        )
    participant = DecisionParticipant(
        opportunity=opportunity,
        contact=contact,
        decision_role=decision_role,
        relationship_status=relationship_status or contact.relationship_status,
        strategy=strategy,
        strategy_reason=strategy_reason,
        notes=notes,
    )
    _check_strategy(participant)
    if DecisionParticipant.objects.filter(opportunity=opportunity, contact=contact).exists():
        raise Conflict(
            _("This contact is already on the decision map."), [("contact", _("duplicate"))]
        )
    try:
        with transaction.atomic():
            core_services.save_new(participant, user=user)
    except IntegrityError:
        raise Conflict(_("This contact is already on the decision map.")) from None
    interaction_recompute(contact_ids=[contact.pk])
    closeness_record_opportunity(opportunity_id=opportunity.pk)
    participant.refresh_from_db()
    return participant


@transaction.atomic
def participant_update(
    *,
    user: User,
    participant: DecisionParticipant,
    expected_version: int | None,
    changes: dict[str, Any],
) -> DecisionParticipant:
    require_writer(user)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    probe = DecisionParticipant(
        relationship_status=changes.get("relationship_status", participant.relationship_status),
        strategy=changes.get("strategy", participant.strategy),
        strategy_reason=changes.get("strategy_reason", participant.strategy_reason),
    )
    _check_strategy(probe)
    updated = core_services.update_fields(
        participant, user=user, changes=changes, expected_version=expected_version
    )
    if "relationship_status" in changes:
        closeness_record_opportunity(opportunity_id=participant.opportunity_id)
    return updated


@transaction.atomic
def participant_remove(*, user: User, participant: DecisionParticipant) -> None:
    """Off the map (the history keeps the row); its influence edges go with it."""
    require_writer(user)
    opportunity_id = participant.opportunity_id
    core_services.delete_attributed(participant, user=user)
    closeness_record_opportunity(opportunity_id=opportunity_id)


@transaction.atomic
def decision_influence_add(
    *, user: User, source: DecisionParticipant, target: DecisionParticipant
) -> DecisionInfluence:
    require_writer(user)
    if source.opportunity_id != target.opportunity_id:
        raise ValidationFailed(
            _("Both people must be on the same decision map."),
            [("target", _("different opportunity"))],
        )
    if source.pk == target.pk:
        raise ValidationFailed(
            _("A person cannot influence themselves."), [("target", _("same person"))]
        )
    edge, created = DecisionInfluence.objects.get_or_create(
        opportunity_id=source.opportunity_id, source=source, target=target
    )
    if not created:
        raise Conflict(_("This influence is already recorded."), [("target", _("duplicate"))])
    return edge


@transaction.atomic
def decision_influence_remove(*, user: User, influence: DecisionInfluence) -> None:
    require_writer(user)
    influence.delete()
