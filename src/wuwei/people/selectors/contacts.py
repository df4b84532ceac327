"""Contact reads, always through visibility."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from wuwei.core.visibility import get_visible, visible
from wuwei.people.models import Contact


@dataclass(frozen=True, slots=True)
class ContactFilters:
    q: str | None = None
    account: int | None = None
    department: str | None = None
    reports_to: int | None = None
    archived: bool = False


def contact_list(*, user: Any, filters: ContactFilters) -> QuerySet[Contact]:
    qs = visible(Contact, user).select_related("account", "reports_to")
    qs = qs.filter(archived_at__isnull=not filters.archived)
    if filters.q:
        text = filters.q.strip()
        qs = qs.filter(
            Q(name__icontains=text)
            | Q(title__icontains=text)
            | Q(email__icontains=text)
            | Q(phone__icontains=text)
            | Q(account__name__icontains=text)
        )
    if filters.account:
        qs = qs.filter(account_id=filters.account)
    if filters.department:
        qs = qs.filter(department=filters.department)
    if filters.reports_to:
        qs = qs.filter(reports_to_id=filters.reports_to)
    return qs


def contact_get(*, user: Any, id: int) -> Contact:
    qs = visible(Contact, user).select_related("account", "reports_to")
    return get_visible(qs, user, pk=id)
