"""The account relationship map (§3.1–3.4): contacts as nodes with their persona, reporting
and influence edges, competitor statuses and the closeness index for every party.

A fixed number of queries whatever the size of the account: the account, its contacts,
influence edges, competitor relations, connection counts and the closeness series."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count
from django.utils.translation import gettext as _

from wuwei.accounts.models import Account
from wuwei.core.visibility import get_visible
from wuwei.methodology.closeness import ClosenessEntry
from wuwei.methodology.enums import RelationshipStatus
from wuwei.people.models import Connection, Contact, ContactCompetitorStance, Influence
from wuwei.people.selectors.closeness import (
    ClosenessFacts,
    ClosenessPoint,
    PartyCloseness,
    closeness_history,
    closeness_parties,
)


@dataclass(frozen=True, slots=True)
class CompetitorStanding:
    competitor: int
    status: str
    interaction_level: str


@dataclass(slots=True)
class MapNode:
    id: int
    name: str
    title: str
    department: str
    reports_to: int | None
    depth: int
    influence: int
    circle: str
    behavior_orientation: str
    relationship_status: str
    interaction_level: str
    connections: int
    version: int
    competitors: list[CompetitorStanding] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class MapEdge:
    source: int
    target: int
    kind: str  # "reports_to" (source reports to target) or "influences"
    note: str = ""


@dataclass(frozen=True, slots=True)
class CompetitorRef:
    id: int
    name: str


@dataclass(frozen=True, slots=True)
class RelationshipMap:
    account: Account
    nodes: list[MapNode]
    edges: list[MapEdge]
    circles: list[str]
    competitors: list[CompetitorRef]
    closeness: list[PartyCloseness]
    closeness_history: list[ClosenessPoint]
    as_of: date


def _entry(influence: int, status: str) -> ClosenessEntry:
    return ClosenessEntry(influence, RelationshipStatus(status))


def reporting_depths(parents: dict[int, int | None]) -> dict[int, int]:
    """Levels of the org chart: 0 for someone who reports to nobody mapped, else the
    manager's depth + 1. A broken chain (manager archived) starts again at 0."""
    depths: dict[int, int] = {}
    for start in parents:
        chain: list[int] = []
        node: int | None = start
        while node is not None and node not in depths and node in parents:
            if node in chain:  # a cycle cannot be saved, but never loop on bad data
                break
            chain.append(node)
            node = parents[node]
        base = depths.get(node, -1) if node is not None else -1
        for offset, member in enumerate(reversed(chain), start=1):
            depths[member] = base + offset
    return depths


def relationship_map(*, user: Any, account_id: int, as_of: date) -> RelationshipMap:
    account = get_visible(Account, user, pk=account_id)
    contacts = list(
        Contact.objects.filter(account=account, archived_at__isnull=True)
        .order_by("name", "id")
        .values_list(
            "id",
            "name",
            "title",
            "department",
            "reports_to_id",
            "influence",
            "circle",
            "behavior_orientation",
            "relationship_status",
            "interaction_level",
            "version",
        )
    )
    ids = {row[0] for row in contacts}
    parents = {row[0]: (row[4] if row[4] in ids else None) for row in contacts}
    depths = reporting_depths(parents)
    connection_counts = dict(
        Connection.objects.filter(
            contact__account=account, archived_at__isnull=True, employee__is_active=True
        )
        .values_list("contact_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    nodes = {
        row[0]: MapNode(
            id=row[0],
            name=row[1],
            title=row[2],
            department=row[3],
            reports_to=parents[row[0]],
            depth=depths[row[0]],
            influence=row[5],
            circle=row[6],
            behavior_orientation=row[7],
            relationship_status=row[8],
            interaction_level=row[9],
            connections=connection_counts.get(row[0], 0),
            version=row[10],
        )
        for row in contacts
    }
    competitors: dict[int, str] = {}
    relations = ContactCompetitorStance.objects.filter(
        contact__account=account, archived_at__isnull=True
    ).values_list("contact_id", "competitor_id", "competitor__name", "status", "interaction_level")
    standings: dict[int, list[CompetitorStanding]] = defaultdict(list)
    for contact_id, competitor_id, competitor_name, status, level in relations:
        if contact_id in nodes:
            standings[contact_id].append(CompetitorStanding(competitor_id, status, level))
            competitors[competitor_id] = competitor_name
    for contact_id, items in standings.items():
        nodes[contact_id].competitors = sorted(items, key=lambda s: s.competitor)
    edges = [MapEdge(n.id, n.reports_to, "reports_to") for n in nodes.values() if n.reports_to]
    for source, target, note in Influence.objects.filter(
        account=account, archived_at__isnull=True
    ).values_list("source_id", "target_id", "note"):
        if source in nodes and target in nodes:
            edges.append(MapEdge(source, target, "influences", note))
    # The same facts as `account_closeness_facts`, from the rows already in memory.
    facts = ClosenessFacts(
        us=[_entry(n.influence, n.relationship_status) for n in nodes.values()],
        competitors={
            competitor: [
                _entry(nodes[contact_id].influence, standing.status)
                for contact_id, items in standings.items()
                for standing in items
                if standing.competitor == competitor
            ]
            for competitor in competitors
        },
        competitor_names=competitors,
    )
    return RelationshipMap(
        account=account,
        nodes=list(nodes.values()),
        edges=edges,
        circles=sorted({n.circle for n in nodes.values() if n.circle}),
        competitors=[
            CompetitorRef(c, name) for c, name in sorted(competitors.items(), key=lambda i: i[1])
        ],
        closeness=closeness_parties(facts, us_label=_("Us")),
        closeness_history=closeness_history(account_id=account.pk),
        as_of=as_of,
    )


def closeness_value(parties: list[PartyCloseness], competitor: int | None) -> Decimal | None:
    for party in parties:
        if party.competitor == competitor:
            return party.value
    return None
