"""The deal timeline: what happened to a deal beyond its stage history and field changes,
newest first (e.g. coaching reviews, METHOD.md §4.10 "part of the deal history").

Entries come from sources; each source is a function `(user, opportunity, limit) -> entries`
and must respect visibility. Other areas add theirs with `register_deal_timeline_source`
(from AppConfig.ready()); `deal_timeline` assembles them for the deal page's Timeline tab.
Entries are the account timeline's `TimelineEntry`, so one source can feed both.
"""

from collections.abc import Callable, Iterable
from typing import Any

from wuwei.accounts.timeline import TimelineEntry, newest_first
from wuwei.opportunities.models import Opportunity

DealTimelineSource = Callable[[Any, Opportunity, int], Iterable[TimelineEntry]]
_sources: list[DealTimelineSource] = []


def register_deal_timeline_source(source: DealTimelineSource) -> DealTimelineSource:
    """Add a source of deal timeline entries (idempotent; usable as a decorator)."""
    if source not in _sources:
        _sources.append(source)
    return source


def deal_timeline(*, user: Any, opportunity: Opportunity, limit: int = 50) -> list[TimelineEntry]:
    """Entries of every source, newest first; each source contributes at most `limit`."""
    return newest_first(_sources, user, opportunity, limit)
