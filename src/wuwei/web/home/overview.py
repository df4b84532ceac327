"""The executive's and the fallback overview panels: accounts and the nine-box."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Count,
    QuerySet,
)
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wuwei.accounts.models import Account, AccountStatus
from wuwei.core.visibility import visible
from wuwei.org.models import Segment
from wuwei.web.home.base import Today, _list_url

# ----------------------------------------------------------------------------------------
# executive (until the five-dimension scorecard lands) and the fallback overview


@dataclass(frozen=True, slots=True)
class CountRow:
    label: str
    count: int
    url: str


def _visible_accounts(t: Today) -> QuerySet[Account]:
    return visible(Account, t.user).filter(archived_at__isnull=True)


def accounts_overview(t: Today) -> Sequence[Any]:
    """Accounts the user sees, by segment then by status (two aggregate queries)."""
    accounts = _visible_accounts(t)
    by_segment = dict(accounts.values_list("segment").annotate(n=Count("id")).order_by())
    by_status = dict(accounts.values_list("status").annotate(n=Count("id")).order_by())
    url = reverse("accounts:list")
    rows = [CountRow(str(_("Accounts you can see")), sum(by_status.values()), url)]
    rows += [
        CountRow(str(label), by_segment.get(value, 0), _list_url("accounts:list", segment=value))
        for value, label in Segment.choices
    ]
    rows += [
        CountRow(str(label), by_status.get(value, 0), _list_url("accounts:list", status=value))
        for value, label in AccountStatus.choices
    ]
    return rows


def ninebox_summary(t: Today) -> Sequence[Any]:
    """Graded accounts per nine-box class (one aggregate query)."""
    graded = _visible_accounts(t).filter(current_grading__isnull=False).exclude(account_class="")
    counts = dict(graded.values_list("account_class").annotate(n=Count("id")).order_by())
    url = reverse("accounts:ninebox")
    return [CountRow(grade, counts.get(grade, 0), url) for grade in "ABCD"]
