"""What every home panel shares: the day's context, panels, sections and their links."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from django.db.models import (
    QuerySet,
)
from django.urls import reverse
from django.utils.functional import Promise

from wuwei.accounts.models import ActionStatus as PlanActionStatus
from wuwei.core.visibility import Scope, visible
from wuwei.opportunities.models import (
    OPEN_STAGES,
    Grade,
    Opportunity,
)

HOME_ROWS = 5  # rows a panel shows on the home page
PAGE_ROWS = 100  # rows of a panel's own "see all" page
DUE_AHEAD = timedelta(days=7)  # compelling events due within a week count as due now
STALE_QUESTIONNAIRE = timedelta(days=7)  # METHOD.md §4.5: the questionnaire is weekly
RECENT_WEEKS = 2  # win-rate drops of this ISO week and the two before
LOAD_WEEKS = 4  # presales load: this week and the three after
AB = (Grade.A, Grade.B)
OPEN_PLAN_ACTIONS = (PlanActionStatus.PLANNED, PlanActionStatus.IN_PROGRESS)


@dataclass(frozen=True, slots=True)
class Today:
    """What every panel needs: who asks, their visibility scope, and the clock."""

    user: Any
    scope: Scope
    today: date
    now: datetime
    limit: int = HOME_ROWS

    @property
    def fetch(self) -> int:
        return self.limit + 1

    @property
    def monday(self) -> date:
        return self.today - timedelta(days=self.today.weekday())


@dataclass(frozen=True, slots=True)
class Panel:
    key: str
    title: str | Promise
    empty: str | Promise  # what an empty panel says: useful, not just "nothing"
    rows: Callable[[Today], Sequence[Any]]
    # The filtered list behind "see all"; None = the panel's own page (`web:home_panel`).
    see_all: Callable[[Today], str | None] | None = None
    summary: bool = False  # counts, not a to-do list: every row shown, no own page
    # Costly panels arrive after the page (htmx asks their own page for the fragment), so
    # the rest of "today" never waits for them.
    lazy: bool = False

    @property
    def template(self) -> str:
        return f"web/home/_{self.key}.html"


@dataclass(frozen=True, slots=True)
class Section:
    key: str
    title: str | Promise
    applies: Callable[[Scope], bool]
    panels: tuple[Panel, ...]


@dataclass(frozen=True, slots=True)
class Shown:
    panel: Panel
    rows: Sequence[Any]
    more: bool
    see_all: str | None
    is_pending: bool = False  # a lazy panel the page will fetch


@dataclass(frozen=True, slots=True)
class ShownSection:
    section: Section
    panels: list[Shown] = field(default_factory=list)


def _deal_url(deal_id: int, tab: str = "") -> str:
    url = reverse("opportunities:detail", args=[deal_id])
    return f"{url}#{tab}" if tab else url


def _list_url(name: str, **query: Any) -> str:
    return f"{reverse(name)}?{urlencode(query)}" if query else reverse(name)


def _open_deals(t: Today) -> QuerySet[Opportunity]:
    return visible(Opportunity, t.user).filter(archived_at__isnull=True, stage__in=OPEN_STAGES)


def _my_open_deals(t: Today) -> QuerySet[Opportunity]:
    return _open_deals(t).filter(owner_id=t.user.pk)


def quarter_of(day: date) -> tuple[date, date, str]:
    """The calendar quarter holding `day`: first day, last day, `2026-Q4`."""
    quarter = (day.month - 1) // 3 + 1
    first = date(day.year, 3 * quarter - 2, 1)
    after = date(day.year + 1, 1, 1) if quarter == 4 else date(day.year, 3 * quarter + 1, 1)
    return first, after - timedelta(days=1), f"{day.year}-Q{quarter}"
