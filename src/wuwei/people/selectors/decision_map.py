"""The per-opportunity decision map (§3.1–3.3): each involved contact's decision role,
per-deal relationship status and interaction, suggested relationship strategy with tactics,
who influences whom, the connections that reach them, and the deal's closeness index.

A fixed number of queries whatever the size of the map."""

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from wuwei.methodology.closeness import ClosenessEntry
from wuwei.methodology.enums import RelationshipStatus
from wuwei.methodology.strategies import suggest_relationship_strategy
from wuwei.opportunities import partners
from wuwei.opportunities.models import Opportunity
from wuwei.people.models import (
    Connection,
    ContactCompetitorStance,
    DecisionInfluence,
    DecisionParticipant,
    DecisionRole,
)
from wuwei.people.selectors.closeness import (
    ClosenessFacts,
    ClosenessPoint,
    PartyCloseness,
    closeness_history,
    closeness_parties,
)
from wuwei.people.selectors.relationship_map import CompetitorRef, CompetitorStanding
from wuwei.people.tactics import tactics_for


@dataclass(frozen=True, slots=True)
class ConnectionRef:
    employee: int
    employee_name: str
    strength: int
    how: str


@dataclass(frozen=True, slots=True)
class ParticipantView:
    id: int
    contact: int
    name: str
    title: str
    department: str
    influence: int
    decision_role: str
    relationship_status: str
    interaction_level: str
    overall_relationship_status: str
    overall_interaction_level: str
    suggested_strategy: str
    strategy: str
    strategy_is_override: bool
    strategy_reason: str
    tactics: list[str]
    notes: str
    version: int
    competitors: list[CompetitorStanding]
    connections: list[ConnectionRef]


@dataclass(frozen=True, slots=True)
class RoleCoverage:
    """How many contacts hold a decision role, and how many of them a connection reaches."""

    role: str
    contacts: int
    covered: int


@dataclass(frozen=True, slots=True)
class InfluenceEdge:
    id: int
    source: int
    target: int


@dataclass(frozen=True, slots=True)
class DecisionMap:
    opportunity: Opportunity
    participants: list[ParticipantView]
    influences: list[InfluenceEdge]
    competitors: list[CompetitorRef]
    closeness: list[PartyCloseness]
    closeness_history: list[ClosenessPoint]
    coverage: list[RoleCoverage]


def _view(
    participant: DecisionParticipant,
    competitors: list[CompetitorStanding],
    connections: list[ConnectionRef],
) -> ParticipantView:
    contact = participant.contact
    suggested = str(
        suggest_relationship_strategy(RelationshipStatus(participant.relationship_status))
    )
    strategy = participant.strategy or suggested
    return ParticipantView(
        id=participant.pk,
        contact=contact.pk,
        name=contact.name,
        title=contact.title,
        department=contact.department,
        influence=contact.influence,
        decision_role=participant.decision_role,
        relationship_status=participant.relationship_status,
        interaction_level=participant.interaction_level,
        overall_relationship_status=contact.relationship_status,
        overall_interaction_level=contact.interaction_level,
        suggested_strategy=suggested,
        strategy=strategy,
        strategy_is_override=strategy != suggested,
        strategy_reason=participant.strategy_reason,
        tactics=tactics_for(strategy),
        notes=participant.notes,
        version=participant.version,
        competitors=competitors,
        connections=connections,
    )


def decision_map(*, user: Any, opportunity_id: int) -> DecisionMap:
    opportunity = partners.internal_deal(  # internal work: 404 for partner users
        user, Opportunity.objects.select_related("account"), opportunity_id
    )
    participants = list(
        DecisionParticipant.objects.filter(opportunity=opportunity, archived_at__isnull=True)
        .select_related("contact")
        .order_by("decision_role", "contact__name", "id")
    )
    contact_ids = [p.contact_id for p in participants]
    standings: dict[int, list[CompetitorStanding]] = defaultdict(list)
    competitor_names: dict[int, str] = {}
    for contact_id, competitor_id, name, status, level in (
        ContactCompetitorStance.objects.filter(contact_id__in=contact_ids, archived_at__isnull=True)
        .order_by("competitor_id")
        .values_list(
            "contact_id", "competitor_id", "competitor__name", "status", "interaction_level"
        )
    ):
        standings[contact_id].append(CompetitorStanding(competitor_id, status, level))
        competitor_names[competitor_id] = name
    reach: dict[int, list[ConnectionRef]] = defaultdict(list)
    for connection in (
        Connection.objects.filter(
            contact_id__in=contact_ids, archived_at__isnull=True, employee__is_active=True
        )
        .select_related("employee")
        .order_by("-strength", "id")
    ):
        reach[connection.contact_id].append(
            ConnectionRef(
                connection.employee_id,
                str(connection.employee),
                connection.strength,
                connection.how,
            )
        )
    views = [_view(p, standings[p.contact_id], reach[p.contact_id]) for p in participants]
    influences = [
        InfluenceEdge(pk, source, target)
        for pk, source, target in DecisionInfluence.objects.filter(
            opportunity=opportunity
        ).values_list("id", "source_id", "target_id")
    ]
    influence_of = {p.contact_id: p.contact.influence for p in participants}
    facts = ClosenessFacts(
        us=[ClosenessEntry(v.influence, RelationshipStatus(v.relationship_status)) for v in views],
        competitors={
            competitor: [
                ClosenessEntry(influence_of[contact_id], RelationshipStatus(s.status))
                for contact_id, items in standings.items()
                for s in items
                if s.competitor == competitor
            ]
            for competitor in competitor_names
        },
        competitor_names=competitor_names,
    )
    return DecisionMap(
        opportunity=opportunity,
        participants=views,
        influences=influences,
        competitors=[
            CompetitorRef(c, n) for c, n in sorted(competitor_names.items(), key=lambda i: i[1])
        ],
        closeness=closeness_parties(facts, us_label=_("Us")),
        closeness_history=closeness_history(opportunity_id=opportunity.pk),
        coverage=role_coverage(views),
    )


def role_coverage(views: list[ParticipantView]) -> list[RoleCoverage]:
    """Coverage of decision roles by connections (§3.5 metrics), in role order."""
    result = []
    for role in DecisionRole.values:
        holders = [v for v in views if v.decision_role == role]
        result.append(RoleCoverage(role, len(holders), sum(1 for v in holders if v.connections)))
    return result
