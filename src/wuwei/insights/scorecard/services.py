"""Writes of the scorecard area: collections on a won deal (回款) and the three uses recorded
at a deal's close (三利用, METHOD.md §8)."""

from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wuwei.core.errors import ValidationFailed
from wuwei.core.services import save_new, update_fields
from wuwei.insights.scorecard.models import Contract, DealUse, Payment
from wuwei.methodology.scorecard import CloseFacts, uses_at_close
from wuwei.opportunities.models import Opportunity, Questionnaire, Stage, ValueComparison
from wuwei.opportunities.services import require_writer
from wuwei.org.models import User
from wuwei.people.models import Connection, DecisionParticipant
from wuwei.playbook.models import LessonRule, LessonRuleHow, RiskOverride, RiskSeverity


def _require_won(opportunity: Opportunity) -> None:
    if opportunity.stage != Stage.WON:
        raise ValidationFailed(
            _("Collections are recorded on won deals only."),
            [("opportunity", _("The deal is not won."))],
        )


@transaction.atomic
def contract_set(
    *,
    user: User,
    opportunity: Opportunity,
    value: Decimal,
    signed_on: date | None,
    expected_version: int | None = None,
) -> Contract:
    """Record or change the contract value of a won deal (`expected_version` guards a change:
    a stale one is a 409)."""
    require_writer(user)
    _require_won(opportunity)
    current: Contract | None = Contract.objects.filter(opportunity=opportunity).first()
    if current is None:
        return save_new(
            Contract(opportunity=opportunity, value=value, signed_on=signed_on), user=user
        )
    return update_fields(
        current,
        user=user,
        changes={"value": value, "signed_on": signed_on},
        expected_version=expected_version,
    )


@transaction.atomic
def payment_add(
    *, user: User, opportunity: Opportunity, received_on: date, amount: Decimal, note: str = ""
) -> Payment:
    """Record a payment received on a won deal; it must not be dated in the future."""
    require_writer(user)
    _require_won(opportunity)
    if received_on > timezone.localdate():
        raise ValidationFailed(
            _("A payment cannot be received in the future."),
            [("received_on", _("must not be after today"))],
        )
    return save_new(
        Payment(opportunity=opportunity, received_on=received_on, amount=amount, note=note),
        user=user,
    )


# ----------------------------------------------------------------------------------------
# 三利用 at the close


def close_facts(opportunity: Opportunity) -> CloseFacts:
    """What decides the three uses of one deal, read as it closes (five queries)."""
    latest = (
        Questionnaire.objects.filter(opportunity=opportunity, archived_at__isnull=True)
        .order_by("-answered_at", "-id")
        .values_list("has_inside_source", flat=True)
        .first()
    )
    participants = DecisionParticipant.objects.filter(
        opportunity=opportunity, archived_at__isnull=True
    )
    connected = Connection.objects.filter(
        contact__in=participants.values("contact_id"), archived_at__isnull=True
    )
    ratings: dict[str, tuple[int | None, list[int | None]]] = defaultdict(lambda: (None, []))
    comparisons = ValueComparison.objects.filter(opportunity=opportunity, archived_at__isnull=True)
    for dimension, competitor_id, rating in comparisons.values_list(
        "dimension", "competitor_id", "rating"
    ):
        us, theirs = ratings[dimension]
        if competitor_id is None:
            ratings[dimension] = (rating, theirs)
        else:
            theirs.append(rating)
            ratings[dimension] = (us, theirs)
    high_open = LessonRule.objects.filter(
        lesson__opportunity=opportunity,
        how=LessonRuleHow.IGNORED,
        rule__severity=RiskSeverity.HIGH,
    )
    return CloseFacts(
        has_inside_source=bool(latest),
        has_connected_contact=connected.exists(),
        deciders=tuple(participants.values_list("decision_role", "relationship_status")),
        ratings=dict(ratings),
        blocking_overridden=RiskOverride.objects.filter(opportunity=opportunity).exists(),
        high_open=high_open.exists(),
    )


def deal_uses_record(*, opportunity: Opportunity, outcome: str, closed_on: date) -> DealUse:
    """Keep the three uses of a deal that has just closed (once: a second call leaves the
    first record)."""
    uses = uses_at_close(close_facts(opportunity))
    record, _created = DealUse.objects.get_or_create(
        opportunity=opportunity,
        defaults={
            "outcome": outcome,
            "closed_on": closed_on,
            "connections_used": uses.connections,
            "solution_used": uses.solution,
            "rules_used": uses.rules,
            "dimensions_ahead": uses.dimensions_ahead,
        },
    )
    return record


def after_move(move: Any, opportunity: Opportunity) -> None:
    """The stage service's after-move hook: a move to won or lost records the uses. PRM's
    hook runs first (its app is loaded first), so the lesson of the close is already there."""
    if move.target.is_open:
        return
    deal_uses_record(
        opportunity=opportunity,
        outcome=str(move.target),
        closed_on=opportunity.closed_on or timezone.localdate(),
    )
