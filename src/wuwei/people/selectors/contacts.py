"""Contact reads, always through visibility."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from wuwei.accounts.models import Account
from wuwei.core.visibility import InIds, get_visible, visible
from wuwei.people.models import Contact


@dataclass(frozen=True, slots=True)
class ContactFilters:
    q: str | None = None
    account: int | None = None
    department: str | None = None
    reports_to: int | None = None
    circle: str | None = None
    relationship_status: str | None = None
    interaction_level: str | None = None
    archived: bool = False


def contact_list(*, user: Any, filters: ContactFilters) -> QuerySet[Contact]:
    qs = visible(Contact, user).select_related("account", "reports_to")
    qs = qs.filter(archived_at__isnull=not filters.archived)
    if filters.q:
        qs = contact_search(qs, filters.q)
    if filters.account:
        qs = qs.filter(account_id=filters.account)
    if filters.department:
        qs = qs.filter(department=filters.department)
    if filters.reports_to:
        qs = qs.filter(reports_to_id=filters.reports_to)
    if filters.circle:
        qs = qs.filter(circle=filters.circle)
    if filters.relationship_status:
        qs = qs.filter(relationship_status=filters.relationship_status)
    if filters.interaction_level:
        qs = qs.filter(interaction_level=filters.interaction_level)
    return qs


def contact_search(queryset: QuerySet[Contact], text: str) -> QuerySet[Contact]:
    """Contacts with `text` in their name, title, email, phone or account name. Every branch
    compares an indexed column (trigram indexes on PostgreSQL, issue #17): the account by its
    own name, not through a join."""
    text = text.strip()
    customers = Account.objects.filter(name__icontains=text).values("pk")
    return queryset.filter(
        Q(name__icontains=text)
        | Q(title__icontains=text)
        | Q(email__icontains=text)
        | Q(phone__icontains=text)
        | Q(InIds("account_id", customers))
    )


def contact_get(*, user: Any, id: int) -> Contact:
    qs = visible(Contact, user).select_related("account", "reports_to")
    return get_visible(qs, user, pk=id)
