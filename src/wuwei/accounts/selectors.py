"""Account reads. Every query starts from `visible()`."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from wuwei.accounts.models import Account
from wuwei.core.visibility import get_visible, visible
from wuwei.methodology.names import normalize_company_name

ACCOUNT_SORTS = {"name", "-name", "created_at", "-created_at", "updated_at", "-updated_at"}


@dataclass(frozen=True, slots=True)
class AccountFilters:
    q: str | None = None
    owner: str | None = None  # "me" or a user id
    team: int | None = None
    industry: str | None = None
    segment: str | None = None
    status: str | None = None
    parent: int | None = None
    archived: bool = False


def _owner_filter(user: Any, owner: str) -> Q:
    if owner == "me":
        return Q(owner_id=user.pk)
    return Q(owner_id=int(owner)) if owner.isdigit() else Q(pk__in=[])


def account_search(queryset: QuerySet[Account], text: str) -> QuerySet[Account]:
    text = text.strip()
    if not text:
        return queryset
    condition = Q(name__icontains=text) | Q(registration_number__iexact=text)
    normalized = normalize_company_name(text)
    if normalized:
        condition |= Q(name_normalized__contains=normalized)
    return queryset.filter(condition)


def account_list(*, user: Any, filters: AccountFilters) -> QuerySet[Account]:
    qs = visible(Account, user).select_related("owner", "team", "parent")
    qs = qs.filter(archived_at__isnull=not filters.archived)
    if filters.q:
        qs = account_search(qs, filters.q)
    if filters.owner:
        qs = qs.filter(_owner_filter(user, filters.owner))
    exact = {
        "team_id": filters.team,
        "industry": filters.industry,
        "segment": filters.segment,
        "status": filters.status,
        "parent_id": filters.parent,
    }
    return qs.filter(**{k: v for k, v in exact.items() if v not in (None, "")})


def account_get(*, user: Any, id: int, include_archived: bool = True) -> Account:
    qs = visible(Account, user).select_related("owner", "team", "parent")
    if not include_archived:
        qs = qs.filter(archived_at__isnull=True)
    return get_visible(qs, user, pk=id)
