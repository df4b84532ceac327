"""The deal page's registries: its tabs and the badges on deal rows and board cards.

Other areas fill them with `register_detail_tab()` and `register_deal_badges()` from their
`AppConfig.ready()` (or the `register()` of their wiring module), never by being imported."""

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy

from wuwei.opportunities.models import Opportunity

# The tabs of the deal page, in order: (key, label, url name or None). A tab without a url
# renders `opportunities/tabs/_<key>.html` with the page; a tab with one is an htmx fragment
# fetched from that url (`<name>` reversed with the opportunity id) when the page loads, so
# other areas (win rate, strategy, coaching) add their own tab from their AppConfig.ready().
DETAIL_TABS: list[tuple[str, Any, str | None]] = [
    ("overview", gettext_lazy("Overview"), None),
    ("team", gettext_lazy("Deal team"), None),
    ("competitors", gettext_lazy("Competitors"), None),
    ("timeline", gettext_lazy("Timeline"), None),
]


@dataclass(frozen=True, slots=True)
class DealBadge:
    """A small mark on a deal row or board card, linking to a tab of the deal page."""

    key: str
    text: str
    title: str
    css: str = "text-bg-light border"
    icon: str = ""
    anchor: str = ""


# Badges other areas put on the deal table and board cards (PRM: how many risk rules fire),
# asked once per page for all its deals: `source(user, ids) -> {id: [DealBadge]}`, a fixed
# number of queries whatever the number of deals.
DealBadgeSource = Callable[[Any, Sequence[int]], Mapping[int, list[DealBadge]]]
DEAL_BADGE_SOURCES: list[DealBadgeSource] = []


def register_deal_badges(source: DealBadgeSource) -> DealBadgeSource:
    if source not in DEAL_BADGE_SOURCES:
        DEAL_BADGE_SOURCES.append(source)
    return source


def attach_badges(user: Any, deals: Iterable[Opportunity]) -> None:
    """Set `deal.badges` on each deal (templates read it)."""
    deals = list(deals)
    found: dict[int, list[DealBadge]] = {}
    if deals:
        for source in DEAL_BADGE_SOURCES:
            for deal_id, badges in source(user, [d.pk for d in deals]).items():
                found.setdefault(deal_id, []).extend(badges)
    for deal in deals:
        deal.badges = found.get(deal.pk, [])  # type: ignore[attr-defined]


def register_detail_tab(key: str, label: Any, url_name: str, *, before: str = "timeline") -> None:
    """Add a lazily loaded tab to the deal page (idempotent), before the tab `before`."""
    if any(tab[0] == key for tab in DETAIL_TABS):
        return
    keys = [tab[0] for tab in DETAIL_TABS]
    position = keys.index(before) if before in keys else len(DETAIL_TABS)
    DETAIL_TABS.insert(position, (key, label, url_name))
