"""Global search (issue 14): one box in the navigation finds accounts, contacts, deals,
competitors and colleagues by name, each group from `visible()` — a partner finds only their
own accounts and deals (and no competitor: internal work), an outsider nothing of another
team's records.

One query per group whatever the data: a case-insensitive substring match (`icontains`, so
"华为" finds "深圳华为技术有限公司") with names that *start* with the text first, at most
`limit + 1` rows per group (the extra row only says "more"). On PostgreSQL the account,
contact and deal columns searched here carry trigram GIN indexes (`core.search_index`), so a
text of three or more characters is looked up in the index instead of scanning the table.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from wuwei.accounts.models import Account
from wuwei.competitors.models import Competitor
from wuwei.core.visibility import visible
from wuwei.opportunities.models import Opportunity
from wuwei.org.models import User
from wuwei.people.models import Contact

#: Longer input is cut: nobody types a 100-character name, and it bounds the LIKE pattern.
MAX_TEXT = 100
PREVIEW_LIMIT = 5
PAGE_LIMIT = 50


@dataclass(frozen=True, slots=True)
class Hit:
    title: str
    detail: str
    url: str


@dataclass(frozen=True, slots=True)
class Group:
    key: str
    label: Promise
    icon: str
    hits: list[Hit] = field(default_factory=list)
    has_more: bool = False


@dataclass(frozen=True, slots=True)
class Source:
    """Where a group's rows come from and how one becomes a hit."""

    key: str
    label: Promise
    icon: str
    rows: Callable[[Any, str], QuerySet[Any]]
    hit: Callable[[Any], Hit]


def _ranked(queryset: QuerySet[Any], text: str, *fields: str) -> QuerySet[Any]:
    """Rows with `text` in any of `fields`; those whose first field starts with it first."""
    condition = Q()
    for name in fields:
        condition |= Q(**{f"{name}__icontains": text})
    starts = Case(
        When(**{f"{fields[0]}__istartswith": text}, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return (
        queryset.filter(condition)
        .annotate(search_rank=starts)
        .order_by("search_rank", fields[0], "pk")
    )


def _accounts(user: Any, text: str) -> QuerySet[Account]:
    rows = visible(Account, user).filter(archived_at__isnull=True)
    return _ranked(rows, text, "name", "registration_number")


def _contacts(user: Any, text: str) -> QuerySet[Contact]:
    rows = visible(Contact, user).filter(archived_at__isnull=True).select_related("account")
    return _ranked(rows, text, "name", "title", "email")


def _opportunities(user: Any, text: str) -> QuerySet[Opportunity]:
    rows = visible(Opportunity, user).filter(archived_at__isnull=True).select_related("account")
    return _ranked(rows, text, "name")


def _competitors(user: Any, text: str) -> QuerySet[Competitor]:
    rows = visible(Competitor, user).filter(archived_at__isnull=True)
    return _ranked(rows, text, "name")


def _colleagues(user: Any, text: str) -> QuerySet[User]:
    rows = visible(User, user).filter(is_active=True).select_related("team")
    return _ranked(rows, text, "display_name", "username", "first_name", "last_name", "email")


def _join(*parts: Any) -> str:
    return " · ".join(str(part) for part in parts if part)


SOURCES = [
    Source(
        "accounts",
        _("Accounts"),
        "bi-buildings",
        _accounts,
        lambda a: Hit(
            a.name,
            _join(a.get_industry_display(), a.region),
            reverse("accounts:detail", args=[a.pk]),
        ),
    ),
    Source(
        "contacts",
        _("Contacts"),
        "bi-person-vcard",
        _contacts,
        lambda c: Hit(
            c.name, _join(c.title, c.account.name), reverse("people:detail", args=[c.pk])
        ),
    ),
    Source(
        "opportunities",
        _("Opportunities"),
        "bi-bullseye",
        _opportunities,
        lambda o: Hit(
            o.name,
            _join(o.account.name, o.get_stage_display()),
            reverse("opportunities:detail", args=[o.pk]),
        ),
    ),
    Source(
        "competitors",
        _("Competitors"),
        "bi-shield-shaded",
        _competitors,
        lambda c: Hit(c.name, c.headquarters, reverse("competitors:detail", args=[c.pk])),
    ),
    Source(
        "colleagues",
        _("Colleagues"),
        "bi-person-badge",
        _colleagues,
        lambda u: Hit(
            str(u),
            _join(u.username, u.team.name if u.team else ""),
            reverse("web:colleague", args=[u.pk]),
        ),
    ),
]


def search_text(raw: str | None) -> str:
    return " ".join((raw or "").split())[:MAX_TEXT]


def global_search(*, user: Any, text: str, limit: int = PREVIEW_LIMIT) -> list[Group]:
    """The groups that found something, in a fixed order; one query per group (none for a
    group the user can see no row of, e.g. competitors for a partner)."""
    text = search_text(text)
    if not text:
        return []
    groups = []
    for source in SOURCES:
        rows = list(source.rows(user, text)[: limit + 1])
        if rows:
            hits = [source.hit(row) for row in rows[:limit]]
            groups.append(Group(source.key, source.label, source.icon, hits, len(rows) > limit))
    return groups
