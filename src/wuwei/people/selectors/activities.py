"""Activity reads (§4.9), always through visibility; timelines for contacts and accounts."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from wuwei.accounts.models import Account
from wuwei.core.visibility import get_visible, visible
from wuwei.people.models import Activity, Contact


@dataclass(frozen=True, slots=True)
class ActivityFilters:
    account: int | None = None
    opportunity: int | None = None
    contact: int | None = None
    kind: str | None = None
    tag: str | None = None
    owner: int | None = None
    occurred_from: date | None = None
    occurred_to: date | None = None
    q: str | None = None
    archived: bool = False


def _base(user: Any) -> QuerySet[Activity]:
    return (
        visible(Activity, user)
        .select_related("account", "opportunity", "owner")
        .prefetch_related(Prefetch("contacts", queryset=Contact.objects.order_by("name", "id")))
    )


def activity_list(*, user: Any, filters: ActivityFilters) -> QuerySet[Activity]:
    qs = _base(user).filter(archived_at__isnull=not filters.archived)
    if filters.account:
        qs = qs.filter(account_id=filters.account)
    if filters.opportunity:
        qs = qs.filter(opportunity_id=filters.opportunity)
    if filters.contact:
        qs = qs.filter(contacts__id=filters.contact)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.tag:
        qs = qs.filter(tags__contains=f",{filters.tag.strip().lower()},")
    if filters.owner:
        qs = qs.filter(owner_id=filters.owner)
    if filters.occurred_from:
        qs = qs.filter(occurred_on__gte=filters.occurred_from)
    if filters.occurred_to:
        qs = qs.filter(occurred_on__lte=filters.occurred_to)
    if filters.q:
        text = filters.q.strip()
        qs = qs.filter(Q(subject__icontains=text) | Q(notes__icontains=text))
    return qs


def activity_get(*, user: Any, id: int) -> Activity:
    return get_visible(_base(user), user, pk=id)


def contact_activities(*, user: Any, contact: Contact, limit: int = 50) -> list[Activity]:
    """The contact's timeline, newest first."""
    qs = activity_list(user=user, filters=ActivityFilters(contact=contact.pk))
    return list(qs.order_by("-occurred_on", "-id")[:limit])


def account_activities(
    *, user: Any, account: Account, limit: int = 50, after: Q | None = None
) -> list[Activity]:
    """The account's timeline of activities, newest first (for the ESP+ account page);
    `after`: only those a timeline page's cursor has not reached yet."""
    qs = activity_list(user=user, filters=ActivityFilters(account=account.pk))
    if after is not None:
        qs = qs.filter(after)
    return list(qs.order_by("-occurred_on", "-id")[:limit])


def deal_activities(*, user: Any, opportunity: Any, limit: int = 50) -> list[Activity]:
    """The deal's activities, newest first (for the deal timeline)."""
    qs = activity_list(user=user, filters=ActivityFilters(opportunity=opportunity.pk))
    return list(qs.order_by("-occurred_on", "-id")[:limit])
