"""Monitoring records and annual evaluation (§2.7), visits (§2.8)."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from wuwei.accounts.contacts import contact_source
from wuwei.accounts.deals import deal_source
from wuwei.accounts.models import (
    Account,
    AnnualEvaluation,
    ClosenessSource,
    MonitoringRecord,
    Visit,
    VisitStatus,
)
from wuwei.accounts.services.archive import (
    apply_strategy,
    lock_account,
    require_creator,
    save_derived,
)
from wuwei.core import services as core_services
from wuwei.core.errors import Conflict, ValidationFailed
from wuwei.methodology.evaluation import (
    EnteredScores,
    EvaluationFacts,
    evaluate_core_functions,
)
from wuwei.org.models import User

MONITORED = ("importance", "closeness", "capability_fit", "needs")


def _as_json(value: Any) -> Any:
    return str(value) if isinstance(value, Decimal) else value


def _mapped_closeness(account: Account, as_of: date) -> Decimal | None:
    """Our closeness index from the relationship map (§3.4), as stored on or before `as_of`."""
    return contact_source().mapped_closeness(account, as_of)


@transaction.atomic
def monitoring_record_create(
    *,
    user: User,
    account: Account,
    recorded_on: date,
    importance: int,
    capability_fit: int,
    closeness: Decimal | None = None,
    closeness_source: str = ClosenessSource.ENTERED,
    needs: str = "",
    notes: str = "",
) -> MonitoringRecord:
    """Record a reading; what moved since the previous reading becomes a timeline event, and
    the strategy is re-suggested (falling closeness → win_back, §2.4)."""
    require_creator(user)
    locked = lock_account(account)
    if closeness is None:
        closeness = _mapped_closeness(locked, recorded_on)
        if closeness is not None:
            closeness_source = ClosenessSource.RELATIONSHIP_MAP
    previous = (
        MonitoringRecord.objects.filter(account=locked, archived_at__isnull=True)
        .filter(recorded_on__lte=recorded_on)
        .order_by("-recorded_on", "-id")
        .first()
    )
    record = MonitoringRecord(
        account=locked,
        recorded_on=recorded_on,
        importance=importance,
        closeness=closeness,
        closeness_source=closeness_source,
        needs=needs.strip(),
        capability_fit=capability_fit,
        notes=notes,
    )
    if previous is not None:
        record.changes = {
            field: [_as_json(getattr(previous, field)), _as_json(getattr(record, field))]
            for field in MONITORED
            if getattr(previous, field) != getattr(record, field)
        }
    core_services.save_new(record, user=user)
    before = (locked.strategy, locked.strategy_suggested)
    apply_strategy(locked)
    if before != (locked.strategy, locked.strategy_suggested):
        save_derived(locked, user=user, reason="monitoring")
    return record


def evaluation_facts(account: Account, year: int) -> tuple[EvaluationFacts, Decimal]:
    """Closeness at the year's first and last monitoring record, and the opportunities
    created on the account in the year (count and amount)."""
    readings = list(
        MonitoringRecord.objects.filter(
            account=account,
            archived_at__isnull=True,
            closeness__isnull=False,
            recorded_on__year=year,
        )
        .order_by("recorded_on", "id")
        .values_list("closeness", flat=True)
    )
    count, amount = deal_source().incubated(account, year)
    facts = EvaluationFacts(
        closeness_start=readings[0] if readings else None,
        closeness_end=readings[-1] if readings else None,
        opportunities_incubated=count,
    )
    return facts, amount.quantize(Decimal("0.01"))


@transaction.atomic
def evaluation_save(
    *,
    user: User,
    account: Account,
    year: int,
    solution_score: int | None,
    relationship_score: int | None = None,
    incubation_score: int | None = None,
    notes: str = "",
) -> AnnualEvaluation:
    """Create or replace the evaluation of `year` (§2.7): computed where data exists."""
    require_creator(user)
    lock_account(account)
    facts, amount = evaluation_facts(account, year)
    try:
        scores = evaluate_core_functions(
            facts, EnteredScores(relationship_score, solution_score, incubation_score)
        )
    except ValueError as exc:
        field = str(exc).split(":")[0]
        raise ValidationFailed(
            _("Enter a score for what the data cannot tell."), [(f"{field}_score", str(exc))]
        ) from None
    evaluation: AnnualEvaluation | None = AnnualEvaluation.objects.filter(
        account=account, year=year
    ).first()
    values = {
        "closeness_change": scores.closeness_change,
        "opportunities_incubated": facts.opportunities_incubated,
        "opportunities_amount": amount,
        "relationship_score": scores.relationship,
        "solution_score": scores.solution,
        "incubation_score": scores.incubation,
        "relationship_is_computed": scores.relationship_is_computed,
        "incubation_is_computed": scores.incubation_is_computed,
        "notes": notes,
    }
    if evaluation is None:
        created: AnnualEvaluation = AnnualEvaluation(account=account, year=year, **values)
        return core_services.save_new(created, user=user)
    return core_services.update_fields(
        evaluation, user=user, changes=values, expected_version=evaluation.version
    )


@transaction.atomic
def visit_plan(
    *,
    user: User,
    account: Account,
    planned_on: date,
    purpose: str,
    owner: User | None = None,
) -> Visit:
    require_creator(user)
    lock_account(account)
    visit = Visit(
        account=account, planned_on=planned_on, purpose=purpose.strip(), owner=owner or user
    )
    return core_services.save_new(visit, user=user)


@transaction.atomic
def visit_record(
    *,
    user: User,
    visit: Visit,
    expected_version: int | None,
    visited_on: date,
    outcome: str,
    opportunity_name: str = "",
    opportunity_amount: Decimal | None = None,
) -> Visit:
    """Record the outcome. An opportunity found is created in TAS+ (source: visit), which
    routes it by grade (§2.8, §4.2): `opportunities.services.opportunity_from_visit`,
    registered as the deal source's `from_visit`."""
    require_creator(user)
    if visit.status != VisitStatus.PLANNED:
        raise Conflict(_("This visit is already closed."), [("status", visit.status)])
    if not outcome.strip():
        raise ValidationFailed(_("Describe the outcome."), [("outcome", _("required"))])
    opportunity = None
    if opportunity_name.strip():
        opportunity = deal_source().from_visit(
            user=user, visit=visit, name=opportunity_name, amount=opportunity_amount
        )
    changes: dict[str, Any] = {
        "status": VisitStatus.DONE,
        "visited_on": visited_on,
        "outcome": outcome.strip(),
        "opportunity": opportunity,
    }
    return core_services.update_fields(
        visit, user=user, changes=changes, expected_version=expected_version
    )


def visit_cancel(*, user: User, visit: Visit, expected_version: int | None) -> Visit:
    require_creator(user)
    if visit.status != VisitStatus.PLANNED:
        raise Conflict(_("This visit is already closed."), [("status", visit.status)])
    return core_services.update_fields(
        visit,
        user=user,
        changes={"status": VisitStatus.CANCELLED},
        expected_version=expected_version,
    )
