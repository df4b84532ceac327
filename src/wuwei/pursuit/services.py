"""Pursuit writes (§4.7, §4.8): the deal's chosen strategy and rationale, adopted tactics (one
of which can become an activity, §4.9), the value proposition with its comparison against the
top-2 competitors, and the competitive tactics library. Whoever may edit the deal writes."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from wuwei.accounts.services.plans import require_library_editor
from wuwei.competitors.models import Competitor
from wuwei.core import services as core_services
from wuwei.core.errors import Conflict, ValidationFailed
from wuwei.core.tactics.services import TacticLibrary
from wuwei.opportunities.models import (
    CompetitiveStrategy,
    CompetitiveTactic,
    DealStrategy,
    DealTactic,
    Opportunity,
    TacticStatus,
    ValueComparison,
    ValueDimension,
    ValueProposition,
)
from wuwei.opportunities.services import require_writer
from wuwei.org.models import User
from wuwei.people.models import Activity, Contact
from wuwei.people.services import activity_create
from wuwei.pursuit.selectors import involved_competitor_ids

TACTIC_FIELDS = ("title", "notes", "status", "owner", "due")


def _lock_open(opportunity: Opportunity) -> Opportunity:
    """Serialise writes on the deal's pursuit records; an archived deal is read-only."""
    locked: Opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    if locked.archived_at is not None:
        raise Conflict(_("This record is archived. Restore it before editing."))
    return locked


def _check_create_version(expected_version: int | None) -> None:
    """Nothing stored yet: a client that read a version of it has a stale view."""
    if expected_version not in (None, 0):
        core_services.check_version(0, expected_version)


# ----------------------------------------------------------------------------------------
# strategy (§4.7)


@transaction.atomic
def deal_strategy_set(
    *,
    user: User,
    opportunity: Opportunity,
    strategy: str,
    rationale: str,
    expected_version: int | None,
    suggested: str = "",
) -> DealStrategy:
    """Choose (or change) the deal's competitive strategy; the rationale is required."""
    require_writer(user)
    locked = _lock_open(opportunity)
    if strategy not in CompetitiveStrategy.values:
        raise ValidationFailed(_("Unknown strategy."), [("strategy", _("unknown strategy"))])
    if not rationale.strip():
        raise ValidationFailed(
            _("Say why this strategy was chosen."), [("rationale", _("This field is required."))]
        )
    changes = {
        "strategy": strategy,
        "rationale": rationale.strip(),
        "suggested": suggested,
        "chosen_by": user,
        "chosen_at": timezone.now(),
    }
    current = DealStrategy.objects.filter(opportunity=locked).first()
    if current is None:
        _check_create_version(expected_version)
        return core_services.save_new(DealStrategy(opportunity=locked, **changes), user=user)
    updated: DealStrategy = core_services.update_fields(
        current, user=user, changes=changes, expected_version=expected_version
    )
    return updated


# ----------------------------------------------------------------------------------------
# tactics adopted by the deal


@transaction.atomic
def deal_tactics_adopt(
    *,
    user: User,
    opportunity: Opportunity,
    tactics: Sequence[CompetitiveTactic] = (),
    titles: Sequence[str] = (),
    owner: User | None = None,
    due: date | None = None,
) -> list[DealTactic]:
    """Library tactics (titled in the adopter's language) and typed-in ones become planned
    tactics of the deal. One already adopted — same library tactic, or same title — is not
    added twice; the new ones are returned."""
    require_writer(user)
    locked = _lock_open(opportunity)
    titles = [title.strip() for title in titles if title.strip()]
    if not tactics and not titles:
        raise ValidationFailed(_("Choose at least one tactic."), [("tactics", _("required"))])
    active = DealTactic.objects.filter(opportunity=locked, archived_at__isnull=True)
    adopted = set(active.values_list("tactic_id", flat=True))
    known_titles = {title.casefold() for title in active.values_list("title", flat=True)}
    in_library = set(
        CompetitiveTactic.objects.filter(
            pk__in=[t.pk for t in tactics], archived_at__isnull=True
        ).values_list("pk", flat=True)
    )
    created = []
    for tactic in tactics:
        if tactic.pk in adopted or tactic.pk not in in_library:
            continue
        adopted.add(tactic.pk)
        created.append(
            _adopt(user, locked, tactic.title, tactic.description, owner, due, tactic=tactic)
        )
    for title in dict.fromkeys(titles):
        if title.casefold() in known_titles:
            continue
        known_titles.add(title.casefold())
        created.append(_adopt(user, locked, title, "", owner, due))
    return created


def _adopt(
    user: User,
    opportunity: Opportunity,
    title: str,
    notes: str,
    owner: User | None,
    due: date | None,
    tactic: CompetitiveTactic | None = None,
) -> DealTactic:
    row = DealTactic(
        opportunity=opportunity,
        tactic=tactic,
        title=title[:300],
        notes=notes,
        owner=owner or user,
        due=due,
    )
    return core_services.save_new(row, user=user)


def deal_tactic_update(
    *, user: User, deal_tactic: DealTactic, expected_version: int | None, changes: dict[str, Any]
) -> DealTactic:
    require_writer(user)
    unknown = set(changes) - set(TACTIC_FIELDS)
    if unknown:
        raise ValueError(f"not tactic fields: {sorted(unknown)}")
    if "title" in changes:
        changes = {**changes, "title": str(changes["title"]).strip()}
    return core_services.update_fields(
        deal_tactic, user=user, changes=changes, expected_version=expected_version
    )


def deal_tactic_archive(*, user: User, deal_tactic: DealTactic) -> DealTactic:
    require_writer(user)
    return core_services.archive(deal_tactic, user=user)


@transaction.atomic
def deal_tactic_to_activity(
    *,
    user: User,
    deal_tactic: DealTactic,
    kind: str,
    occurred_on: date,
    contacts: Sequence[Contact] = (),
    notes: str | None = None,
) -> DealTactic:
    """Carry the tactic out as a customer interaction (§4.9: activities linked to a tactic):
    an activity on the deal and its account, owned by the tactic's owner, tagged `tactic`.
    A tactic becomes an activity once; its status is left to the people doing it."""
    require_writer(user)
    locked: DealTactic = DealTactic.objects.select_for_update().get(pk=deal_tactic.pk)
    if locked.activity_id is not None:
        raise Conflict(
            _("This tactic is already an activity."), [("activity", _("already created"))]
        )
    opportunity = _lock_open(locked.opportunity)
    activity: Activity = activity_create(
        user=user,
        account=opportunity.account,
        opportunity=opportunity,
        kind=kind,
        occurred_on=occurred_on,
        subject=locked.title[:200],
        contacts=contacts,
        notes=locked.notes if notes is None else notes,
        tags=["tactic"],
        owner=locked.owner,
    )
    return core_services.update_fields(
        locked, user=user, changes={"activity": activity}, expected_version=locked.version
    )


# ----------------------------------------------------------------------------------------
# value proposition (§4.8)


@dataclass(frozen=True, slots=True)
class ComparisonInput:
    """One cell of the side-by-side table; `competitor` None means us."""

    dimension: str
    competitor: Competitor | None
    rating: int
    note: str = ""


@transaction.atomic
def value_proposition_set(
    *,
    user: User,
    opportunity: Opportunity,
    solution: str,
    business_value: str,
    expected_version: int | None,
    comparisons: Sequence[ComparisonInput] | None = None,
) -> ValueProposition:
    """Save the solution and business value; `comparisons`, when given, replace the table
    (cells left out are removed). A competitor must be one on the deal or scored in its
    questionnaire."""
    require_writer(user)
    locked = _lock_open(opportunity)
    if comparisons is not None:
        _check_comparisons(locked, comparisons)
    changes = {"solution": solution.strip(), "business_value": business_value.strip()}
    current = ValueProposition.objects.filter(opportunity=locked).first()
    if current is None:
        _check_create_version(expected_version)
        saved = core_services.save_new(ValueProposition(opportunity=locked, **changes), user=user)
    else:
        saved = core_services.update_fields(
            current, user=user, changes=changes, expected_version=expected_version
        )
    if comparisons is not None:
        _replace_comparisons(user, locked, comparisons)
    return saved


def _check_comparisons(opportunity: Opportunity, comparisons: Sequence[ComparisonInput]) -> None:
    involved = involved_competitor_ids(opportunity)
    seen: set[tuple[str, int | None]] = set()
    for index, item in enumerate(comparisons):
        key = (item.dimension, item.competitor.pk if item.competitor else None)
        field = f"comparisons.{index}"
        if item.dimension not in ValueDimension.values:
            raise ValidationFailed(_("Unknown dimension."), [(f"{field}.dimension", _("unknown"))])
        if not 1 <= item.rating <= 5:
            raise ValidationFailed(
                _("A rating is from 1 to 5."), [(f"{field}.rating", _("must be 1 to 5"))]
            )
        if item.competitor is not None and item.competitor.pk not in involved:
            raise ValidationFailed(
                _("Compare only with competitors on this deal."),
                [(f"{field}.competitor", _("not on this deal"))],
            )
        if key in seen:
            raise ValidationFailed(
                _("Each party is rated once per dimension."), [(field, _("duplicate"))]
            )
        seen.add(key)


def _replace_comparisons(
    user: User, opportunity: Opportunity, comparisons: Sequence[ComparisonInput]
) -> None:
    """Update cells in place (keeping their history), add new ones, delete the rest. The new
    cells go in with one INSERT (and one for their history rows): `_check_comparisons` checked
    their dimension, rating (1–5) and party, and a cell is new only when its (dimension,
    party) is none of the deal's rows: no per-row query could refuse one (the database's
    constraints still guard them)."""
    existing = {
        (row.dimension, row.competitor_id): row
        for row in ValueComparison.objects.filter(opportunity=opportunity)
    }
    added = []
    for item in comparisons:
        key = (item.dimension, item.competitor.pk if item.competitor else None)
        row = existing.pop(key, None)
        note = item.note.strip()[:500]
        if row is None:
            row = ValueComparison(
                opportunity=opportunity,
                dimension=item.dimension,
                competitor=item.competitor,
                rating=item.rating,
                note=note,
                created_by=user,
            )
            core_services.full_clean_or_fail(row, exclude=["opportunity", "competitor", "rating"])
            added.append(row)
        elif (row.rating, row.note) != (item.rating, note):
            changes = {"rating": item.rating, "note": note}
            core_services.update_fields(
                row, user=user, changes=changes, expected_version=row.version
            )
    for row in existing.values():
        core_services.delete_attributed(row, user=user)
    if added:
        bulk_create_with_history(added, ValueComparison, default_user=user)


# ----------------------------------------------------------------------------------------
# the competitive tactics library


#: The competitive strategies' tactics library (§4.7): one implementation with the account one.
COMPETITIVE_TACTICS = TacticLibrary(CompetitiveTactic, require_editor=require_library_editor)
competitive_tactic_create = COMPETITIVE_TACTICS.create
competitive_tactic_update = COMPETITIVE_TACTICS.update
competitive_tactic_archive = COMPETITIVE_TACTICS.archive


__all__ = [
    "COMPETITIVE_TACTICS",
    "ComparisonInput",
    "TacticStatus",
    "competitive_tactic_archive",
    "competitive_tactic_create",
    "competitive_tactic_update",
    "deal_strategy_set",
    "deal_tactic_archive",
    "deal_tactic_to_activity",
    "deal_tactic_update",
    "deal_tactics_adopt",
    "require_writer",
    "value_proposition_set",
]
