"""Competitor reads (METHOD.md §4.4). Every query starts from `visible()`.

Our record against a competitor is counted over deals, which this app does not know: the app
that owns the deals registers the count (`hooks.register_deal_links`)."""

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from wuwei.competitors.hooks import deal_links
from wuwei.competitors.models import (
    Competitor,
    CompetitorEvent,
    CompetitorPrice,
    CompetitorRelation,
)
from wuwei.core.errors import NotFound
from wuwei.core.visibility import get_visible, visible


def competitor_list(*, user: Any, q: str | None = None) -> QuerySet[Competitor]:
    qs = visible(Competitor, user).filter(archived_at__isnull=True)
    return qs.filter(name__icontains=q) if q else qs


def competitor_get(*, user: Any, id: int) -> Competitor:
    return get_visible(Competitor, user, pk=id)


@dataclass(frozen=True, slots=True)
class Record:
    """Our record against a competitor over the deals the viewer can see (§4.4)."""

    open: int = 0
    won: int = 0
    lost: int = 0
    lost_to: int = 0  # lost with this competitor as the winner

    @property
    def win_rate(self) -> int | None:
        closed = self.won + self.lost
        return round(100 * self.won / closed) if closed else None


def competitor_records(*, user: Any, competitor_ids: list[int]) -> dict[int, Record]:
    """Win/loss per competitor over the deals `user` can see, in one query."""
    return deal_links().records(user=user, competitor_ids=competitor_ids)


def competitor_prices(*, user: Any, competitor: Competitor) -> QuerySet[CompetitorPrice]:
    return visible(CompetitorPrice, user).filter(competitor=competitor, archived_at__isnull=True)


def competitor_record_get(*, user: Any, model: type[Any], competitor: Competitor, id: int) -> Any:
    """A live analysis entry, key event or price of `competitor` that the user can see
    (prices on hidden deals and events on hidden customers are absent): NotFound otherwise."""
    record = get_visible(model, user, pk=id)
    if record.competitor_id != competitor.pk or record.archived_at is not None:
        raise NotFound(_("Not found."))
    return record


def competitor_relations(*, user: Any, competitor: Competitor) -> list[CompetitorRelation]:
    return list(
        visible(CompetitorRelation, user)
        .filter(competitor=competitor, archived_at__isnull=True)
        .select_related("account")
        .order_by("account__name")
    )


def competitor_events(*, user: Any, competitor: Competitor) -> list[CompetitorEvent]:
    return list(
        visible(CompetitorEvent, user)
        .filter(competitor=competitor, archived_at__isnull=True)
        .select_related("account")
    )
