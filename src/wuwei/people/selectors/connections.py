"""Enterprise connections (§3.5): lists, "who can introduce me to X", coverage."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from wuwei.core.visibility import get_visible, visible
from wuwei.people.models import Connection, Contact


@dataclass(frozen=True, slots=True)
class ConnectionFilters:
    employee: int | None = None
    contact: int | None = None
    account: int | None = None
    q: str | None = None


def _base(user: Any) -> QuerySet[Connection]:
    return visible(Connection, user).select_related("employee", "contact", "contact__account")


def connection_list(*, user: Any, filters: ConnectionFilters) -> QuerySet[Connection]:
    qs = _base(user).filter(archived_at__isnull=True)
    if filters.employee:
        qs = qs.filter(employee_id=filters.employee)
    if filters.contact:
        qs = qs.filter(contact_id=filters.contact)
    if filters.account:
        qs = qs.filter(contact__account_id=filters.account)
    if filters.q:
        text = filters.q.strip()
        qs = qs.filter(
            Q(contact__name__icontains=text)
            | Q(contact__account__name__icontains=text)
            | Q(employee__display_name__icontains=text)
            | Q(employee__username__icontains=text)
        )
    return qs


def connection_get(*, user: Any, id: int) -> Connection:
    return get_visible(_base(user), user, pk=id)


@dataclass(frozen=True, slots=True)
class Introducer:
    """An employee who can introduce us to the target, through `via` (the target or
    someone above them); `distance` = reporting steps from the target up to `via`."""

    employee: int
    employee_name: str
    via: int
    via_name: str
    via_title: str
    distance: int
    strength: int
    how: str
    score: int


def reporting_chain(contact: Contact, *, limit: int = 50) -> list[tuple[int, int]]:
    """(contact id, distance) from the contact up its reporting line; one query."""
    parents = dict(
        Contact.objects.filter(account_id=contact.account_id, archived_at__isnull=True).values_list(
            "id", "reports_to_id"
        )
    )
    chain: list[tuple[int, int]] = []
    node: int | None = contact.pk
    distance = 0
    while node is not None and node not in dict(chain) and len(chain) < limit:
        chain.append((node, distance))
        node = parents.get(node)
        distance += 1
    return chain


def introducers(*, user: Any, contact_id: int) -> list[Introducer]:
    """Who can introduce me to X (§3.5): our active employees with a connection to X or to
    anyone in X's reporting chain. Ranked by score = strength − distance (every step up the
    chain costs one point of strength), then the closer one, then the stronger one."""
    contact = get_visible(Contact, user, pk=contact_id)
    chain = dict(reporting_chain(contact))
    connections = (
        Connection.objects.filter(
            contact_id__in=list(chain), archived_at__isnull=True, employee__is_active=True
        )
        .select_related("employee", "contact")
        .order_by("id")
    )
    found = [
        Introducer(
            employee=c.employee_id,
            employee_name=str(c.employee),
            via=c.contact_id,
            via_name=c.contact.name,
            via_title=c.contact.title,
            distance=chain[c.contact_id],
            strength=c.strength,
            how=c.how,
            score=c.strength - chain[c.contact_id],
        )
        for c in connections
    ]
    return sorted(found, key=lambda i: (-i.score, i.distance, -i.strength, i.employee_name))


@dataclass(frozen=True, slots=True)
class AccountCoverage:
    contacts: int
    connected: int


def account_connection_coverage(*, account_id: int) -> AccountCoverage:
    contacts = Contact.objects.filter(account_id=account_id, archived_at__isnull=True)
    connected = contacts.filter(
        connections__archived_at__isnull=True, connections__employee__is_active=True
    ).distinct()
    return AccountCoverage(contacts=contacts.count(), connected=connected.count())
