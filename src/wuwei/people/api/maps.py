"""Relationship maps (API.md): `/accounts/{id}/relationship-map` and
`/opportunities/{id}/decision-map` with its participants and influence edges.

Two routers mounted next to the accounts and opportunities routers; they only hold these
paths, so the apps never collide."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Status

from wuwei.core.api import (
    ERRORS,
    AuthedRequest,
    Schema,
    answer,
    expected_version,
    reject_nulls,
    visible_ref,
)
from wuwei.core.errors import NotFound
from wuwei.opportunities import partners
from wuwei.opportunities.models import Opportunity
from wuwei.people import selectors, services
from wuwei.people.models import (
    Contact,
    DecisionInfluence,
    DecisionParticipant,
    DecisionRole,
    RelationshipStatus,
    RelationshipStrategy,
)
from wuwei.people.selectors.closeness import ClosenessPoint, PartyCloseness
from wuwei.people.selectors.decision_map import DecisionMap, ParticipantView

account_router = Router(tags=["relationship map"])
opportunity_router = Router(tags=["decision map"])


class CompetitorStandingOut(Schema):
    competitor: int
    status: str
    interaction_level: str


class NodeOut(Schema):
    id: int
    name: str
    title: str
    department: str
    reports_to: int | None
    depth: int = Field(description="Level in the org chart: 0 = top of a reporting line.")
    influence: int
    circle: str
    behavior_orientation: str
    relationship_status: str
    interaction_level: str
    connections: int = Field(description="Our active employees who know this contact.")
    version: int
    competitors: list[CompetitorStandingOut]


class EdgeOut(Schema):
    source: int
    target: int
    kind: str = Field(description="reports_to (source reports to target) or influences")
    note: str


class NamedRef(Schema):
    id: int
    name: str


class CompetitorClosenessOut(Schema):
    competitor: int
    name: str
    value: float | None


class ClosenessOut(Schema):
    us: float | None = Field(description="0-100; null when nobody is mapped (METHOD.md §3.4)")
    competitors: list[CompetitorClosenessOut]


class ClosenessPointOut(Schema):
    date: date
    competitor: int | None = Field(description="null = us")
    value: float


class RelationshipMapOut(Schema):
    account: NamedRef
    as_of: date
    nodes: list[NodeOut]
    edges: list[EdgeOut]
    circles: list[str]
    competitors: list[NamedRef]
    closeness: ClosenessOut
    closeness_history: list[ClosenessPointOut]


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def closeness_out(parties: list[PartyCloseness]) -> dict[str, Any]:
    us = next(p for p in parties if p.competitor is None)
    return {
        "us": _number(us.value),
        "competitors": [
            {"competitor": p.competitor, "name": p.name, "value": _number(p.value)}
            for p in parties
            if p.competitor is not None
        ],
    }


def history_out(points: list[ClosenessPoint]) -> list[dict[str, Any]]:
    return [
        {"date": p.recorded_on, "competitor": p.competitor, "value": float(p.value)} for p in points
    ]


def relationship_map_out(data: selectors.RelationshipMap) -> dict[str, Any]:
    """The map exactly as RelationshipMapOut prints it, in plain dicts and lists: a map of 300
    contacts is answered without resolving 600 nested schema objects (issue #17)."""
    return {
        "account": {"id": data.account.pk, "name": data.account.name},
        "as_of": data.as_of,
        "nodes": [
            {
                "id": n.id,
                "name": n.name,
                "title": n.title,
                "department": n.department,
                "reports_to": n.reports_to,
                "depth": n.depth,
                "influence": n.influence,
                "circle": n.circle,
                "behavior_orientation": n.behavior_orientation,
                "relationship_status": n.relationship_status,
                "interaction_level": n.interaction_level,
                "connections": n.connections,
                "version": n.version,
                "competitors": [
                    {
                        "competitor": c.competitor,
                        "status": c.status,
                        "interaction_level": c.interaction_level,
                    }
                    for c in n.competitors
                ],
            }
            for n in data.nodes
        ],
        "edges": [
            {"source": e.source, "target": e.target, "kind": e.kind, "note": e.note}
            for e in data.edges
        ],
        "circles": data.circles,
        "competitors": [{"id": c.id, "name": c.name} for c in data.competitors],
        "closeness": closeness_out(data.closeness),
        "closeness_history": history_out(data.closeness_history),
    }


@account_router.get("/{account_id}/relationship-map", response={200: RelationshipMapOut, **ERRORS})
def relationship_map(request: AuthedRequest, account_id: int) -> Any:
    """Contacts as nodes (persona, influence, circle), reporting and influence edges,
    competitor statuses, and the closeness index for us and each competitor (§3)."""
    data = selectors.relationship_map(
        user=request.auth, account_id=account_id, as_of=timezone.localdate()
    )
    return answer(relationship_map_out(data))


class ConnectionRefOut(Schema):
    employee: int
    employee_name: str
    strength: int
    how: str


class ParticipantOut(Schema):
    id: int
    contact: int
    name: str
    title: str
    department: str
    influence: int
    decision_role: str
    relationship_status: str = Field(description="Towards us, in this deal")
    interaction_level: str = Field(description="Derived from this deal's activities")
    overall_relationship_status: str
    overall_interaction_level: str
    suggested_strategy: str
    strategy: str = Field(description="The override when set, else the suggestion")
    strategy_is_override: bool
    strategy_reason: str
    tactics: list[str]
    notes: str
    version: int
    competitors: list[CompetitorStandingOut]
    connections: list[ConnectionRefOut]


class DecisionInfluenceOut(Schema):
    id: int
    source: int = Field(description="participant id")
    target: int = Field(description="participant id")


class RoleCoverageOut(Schema):
    role: str
    contacts: int
    covered: int = Field(description="of those, reached by at least one connection")


class DecisionMapOut(Schema):
    opportunity: NamedRef
    account: NamedRef
    participants: list[ParticipantOut]
    influences: list[DecisionInfluenceOut]
    competitors: list[NamedRef]
    closeness: ClosenessOut
    closeness_history: list[ClosenessPointOut]
    coverage: list[RoleCoverageOut]


def decision_map_out(data: DecisionMap) -> dict[str, Any]:
    opportunity = data.opportunity
    return {
        "opportunity": {"id": opportunity.pk, "name": opportunity.name},
        "account": {"id": opportunity.account_id, "name": opportunity.account.name},
        "participants": data.participants,
        "influences": data.influences,
        "competitors": data.competitors,
        "closeness": closeness_out(data.closeness),
        "closeness_history": history_out(data.closeness_history),
        "coverage": data.coverage,
    }


@opportunity_router.get("/{opportunity_id}/decision-map", response={200: DecisionMapOut, **ERRORS})
def decision_map(request: AuthedRequest, opportunity_id: int) -> Any:
    """Per-deal decision roles, relationship status and interaction per contact, suggested
    relationship strategy with tactics, influences, closeness and role coverage (§3.1-3.5)."""
    return decision_map_out(
        selectors.decision_map(user=request.auth, opportunity_id=opportunity_id)
    )


class ParticipantIn(Schema):
    contact: int
    decision_role: DecisionRole
    relationship_status: RelationshipStatus | None = Field(
        None, description="Defaults to the contact's overall status"
    )
    strategy: RelationshipStrategy | None = None
    strategy_reason: str = Field("", max_length=500)
    notes: str = Field("", max_length=20000)


class ParticipantPatch(Schema):
    decision_role: DecisionRole | None = None
    relationship_status: RelationshipStatus | None = None
    strategy: RelationshipStrategy | None = Field(None, description="null = follow the suggestion")
    strategy_reason: str | None = Field(None, max_length=500)
    notes: str | None = Field(None, max_length=20000)
    version: int | None = None


def _opportunity(user: Any, opportunity_id: int) -> Opportunity:
    return partners.internal_deal(user, Opportunity.objects.all(), opportunity_id)


def _participant(user: Any, opportunity_id: int, participant_id: int) -> DecisionParticipant:
    opportunity = _opportunity(user, opportunity_id)
    participant = DecisionParticipant.objects.filter(
        opportunity=opportunity, pk=participant_id
    ).first()
    if participant is None:
        raise NotFound(_("Not found."))
    return participant


def _participant_view(user: Any, opportunity_id: int, participant_id: int) -> ParticipantView:
    data = selectors.decision_map(user=user, opportunity_id=opportunity_id)
    return next(p for p in data.participants if p.id == participant_id)


@opportunity_router.post(
    "/{opportunity_id}/decision-map/participants", response={201: ParticipantOut, **ERRORS}
)
def participant_create(request: AuthedRequest, opportunity_id: int, payload: ParticipantIn) -> Any:
    opportunity = _opportunity(request.auth, opportunity_id)
    contact = visible_ref(request.auth, Contact, payload.contact, "contact")
    participant = services.participant_add(
        user=request.auth,
        opportunity=opportunity,
        contact=contact,
        decision_role=payload.decision_role,
        relationship_status=payload.relationship_status,
        strategy=payload.strategy or "",
        strategy_reason=payload.strategy_reason,
        notes=payload.notes,
    )
    return Status(201, _participant_view(request.auth, opportunity_id, participant.pk))


@opportunity_router.patch(
    "/{opportunity_id}/decision-map/participants/{participant_id}",
    response={200: ParticipantOut, **ERRORS},
)
def participant_patch(
    request: AuthedRequest, opportunity_id: int, participant_id: int, payload: ParticipantPatch
) -> Any:
    participant = _participant(request.auth, opportunity_id, participant_id)
    changes = payload.dict(exclude_unset=True, exclude={"version"})
    reject_nulls(changes, ("decision_role", "relationship_status", "strategy_reason", "notes"))
    if "strategy" in changes:
        changes["strategy"] = changes["strategy"] or ""
    services.participant_update(
        user=request.auth,
        participant=participant,
        changes=changes,
        expected_version=expected_version(request, payload.version),
    )
    return _participant_view(request.auth, opportunity_id, participant_id)


@opportunity_router.delete(
    "/{opportunity_id}/decision-map/participants/{participant_id}",
    response={204: None, **ERRORS},
)
def participant_delete(request: AuthedRequest, opportunity_id: int, participant_id: int) -> Any:
    participant = _participant(request.auth, opportunity_id, participant_id)
    services.participant_remove(user=request.auth, participant=participant)
    return Status(204, None)


class DecisionInfluenceIn(Schema):
    source: int = Field(description="participant id")
    target: int = Field(description="participant id")


@opportunity_router.post(
    "/{opportunity_id}/decision-map/influences",
    response={201: DecisionInfluenceOut, **ERRORS},
)
def decision_influence_create(
    request: AuthedRequest, opportunity_id: int, payload: DecisionInfluenceIn
) -> Any:
    source = _participant(request.auth, opportunity_id, payload.source)
    target = _participant(request.auth, opportunity_id, payload.target)
    edge = services.decision_influence_add(user=request.auth, source=source, target=target)
    return Status(201, {"id": edge.pk, "source": edge.source_id, "target": edge.target_id})


@opportunity_router.delete(
    "/{opportunity_id}/decision-map/influences/{influence_id}", response={204: None, **ERRORS}
)
def decision_influence_delete(
    request: AuthedRequest, opportunity_id: int, influence_id: int
) -> Any:
    opportunity = _opportunity(request.auth, opportunity_id)
    edge = DecisionInfluence.objects.filter(opportunity=opportunity, pk=influence_id).first()
    if edge is None:
        raise NotFound(_("Not found."))
    services.decision_influence_remove(user=request.auth, influence=edge)
    return Status(204, None)
