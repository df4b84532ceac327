"""Facts for the closeness index (§3.4): (influence, status) per mapped contact, for us and
for each competitor whose statuses are recorded. Two queries per subject."""

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from wuwei.methodology.closeness import ClosenessEntry, closeness_index
from wuwei.methodology.enums import RelationshipStatus
from wuwei.people.models import (
    ClosenessSnapshot,
    Contact,
    ContactCompetitorStance,
    DecisionParticipant,
)


@dataclass(frozen=True, slots=True)
class ClosenessFacts:
    us: list[ClosenessEntry]
    competitors: dict[int, list[ClosenessEntry]]
    competitor_names: dict[int, str]


@dataclass(frozen=True, slots=True)
class PartyCloseness:
    """One party's index; `competitor` None is us. `value` None: nobody mapped yet."""

    competitor: int | None
    name: str
    value: Decimal | None


def _competitor_entries(
    relations: Sequence[tuple[int, str, int, str]],
) -> tuple[dict[int, list[ClosenessEntry]], dict[int, str]]:
    entries: dict[int, list[ClosenessEntry]] = defaultdict(list)
    names: dict[int, str] = {}
    for competitor_id, name, influence, status in relations:
        entries[competitor_id].append(ClosenessEntry(influence, RelationshipStatus(status)))
        names[competitor_id] = name
    return dict(entries), names


def account_closeness_facts(account_id: int) -> ClosenessFacts:
    contacts = Contact.objects.filter(account_id=account_id, archived_at__isnull=True)
    us = [
        ClosenessEntry(influence, RelationshipStatus(status))
        for influence, status in contacts.values_list("influence", "relationship_status")
    ]
    relations = ContactCompetitorStance.objects.filter(
        contact__account_id=account_id,
        contact__archived_at__isnull=True,
        archived_at__isnull=True,
    ).values_list("competitor_id", "competitor__name", "contact__influence", "status")
    competitors, names = _competitor_entries(list(relations))
    return ClosenessFacts(us, competitors, names)


def opportunity_closeness_facts(opportunity_id: int) -> ClosenessFacts:
    """Us: the per-deal status of each participant. Competitors: their account-level status
    with the participants (we record a competitor's standing per person, not per deal)."""
    participants = DecisionParticipant.objects.filter(
        opportunity_id=opportunity_id, archived_at__isnull=True
    )
    us = [
        ClosenessEntry(influence, RelationshipStatus(status))
        for influence, status in participants.values_list(
            "contact__influence", "relationship_status"
        )
    ]
    relations = ContactCompetitorStance.objects.filter(
        contact__decision_participations__opportunity_id=opportunity_id,
        contact__decision_participations__archived_at__isnull=True,
        archived_at__isnull=True,
    ).values_list("competitor_id", "competitor__name", "contact__influence", "status")
    competitors, names = _competitor_entries(list(relations))
    return ClosenessFacts(us, competitors, names)


def closeness_parties(facts: ClosenessFacts, *, us_label: str) -> list[PartyCloseness]:
    """Us first, then competitors by name."""
    parties = [PartyCloseness(None, us_label, closeness_index(facts.us))]
    for competitor_id in sorted(facts.competitors, key=lambda c: facts.competitor_names[c]):
        parties.append(
            PartyCloseness(
                competitor_id,
                facts.competitor_names[competitor_id],
                closeness_index(facts.competitors[competitor_id]),
            )
        )
    return parties


def snapshot_subject(account_id: int | None, opportunity_id: int | None) -> dict[str, Any]:
    """The lookup for one subject's series (a missing side is NULL)."""
    return {
        "account_id": account_id,
        "opportunity_id": opportunity_id,
    }


@dataclass(frozen=True, slots=True)
class ClosenessPoint:
    recorded_on: date
    competitor: int | None
    value: Decimal


def closeness_history(
    *, account_id: int | None = None, opportunity_id: int | None = None, limit: int = 200
) -> list[ClosenessPoint]:
    """The stored series, oldest first (the last `limit` points), for charts and monitoring."""
    rows = ClosenessSnapshot.objects.filter(
        **snapshot_subject(account_id, opportunity_id)
    ).order_by("-recorded_on", "competitor_id")[:limit]
    points = [ClosenessPoint(r.recorded_on, r.competitor_id, r.value) for r in rows]
    return list(reversed(points))


def latest_closeness(
    history: Sequence[ClosenessPoint],
) -> Mapping[int | None, Decimal]:
    latest: dict[int | None, Decimal] = {}
    for point in history:
        latest[point.competitor] = point.value
    return latest


def mapped_closeness(account: Any, as_of: date) -> Decimal | None:
    """Our account-level closeness index from the relationship map (§3.4), as stored on or
    before `as_of` (ESP+ monitoring reads it through `accounts.contacts`)."""
    value: Decimal | None = (
        ClosenessSnapshot.objects.filter(
            account=account,
            opportunity__isnull=True,
            competitor__isnull=True,
            recorded_on__lte=as_of,
        )
        .order_by("-recorded_on")
        .values_list("value", flat=True)
        .first()
    )
    return value
