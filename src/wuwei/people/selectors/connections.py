"""Enterprise connections (§3.5): lists, "who can introduce me to X", coverage."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Case, ExpressionWrapper, F, IntegerField, Q, QuerySet, Value, When

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


#: How introducers rank: by score = strength − distance (every step up the reporting chain
#: costs one point of strength), then the closer one, then the stronger one, then the oldest
#: connection.
INTRODUCER_ORDER = ("-score", "distance", "-strength", "id")


def introducers(*, user: Any, contact_id: int) -> QuerySet[Connection]:
    """Who can introduce me to X (§3.5): the connections of our active employees to X or to
    anyone in X's reporting chain, each with its `distance` (reporting steps from X up to the
    contact known) and `score`, best first (INTRODUCER_ORDER)."""
    contact = get_visible(Contact, user, pk=contact_id)
    chain = reporting_chain(contact)
    distance = Case(
        *[When(contact_id=pk, then=Value(steps)) for pk, steps in chain],
        output_field=IntegerField(),
    )
    return (
        Connection.objects.filter(
            contact_id__in=[pk for pk, _steps in chain],
            archived_at__isnull=True,
            employee__is_active=True,
        )
        .select_related("employee", "contact")
        .annotate(distance=distance)
        .annotate(score=ExpressionWrapper(F("strength") - F("distance"), IntegerField()))
        .order_by(*INTRODUCER_ORDER)
    )


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
