"""Interaction level derived from activities (§3.2)."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from wuwei.methodology.config import InteractionConfig
from wuwei.methodology.enums import InteractionLevel

__all__ = ["ActivityFact", "InteractionLevel", "derive_interaction_level"]


@dataclass(frozen=True, slots=True)
class ActivityFact:
    """One activity involving the contact: its date and kind slug (e.g. `site_visit`)."""

    occurred_on: date
    kind: str


def derive_interaction_level(
    activities: Sequence[ActivityFact], *, as_of: date, config: InteractionConfig
) -> InteractionLevel:
    """Interaction level from activity counts (METHOD.md §3.2); never picked by hand.

    Count the activities in the last `window_days` (180): 0 → none, 1-2 → occasional,
    3-5 → multiple, >= 6 → deep; any activity of a deep kind (executive_meeting, site_visit,
    workshop) in the last `deep_window_days` (90) → deep.
    Windows are inclusive at both ends: from `as_of - window_days` (the day exactly 180 days
    back counts) to `as_of`. Activities after `as_of` are ignored (planned, not happened).
    """
    window_start = as_of - timedelta(days=config.window_days)
    deep_start = as_of - timedelta(days=config.deep_window_days)
    deep_kinds = set(config.deep_kinds)
    count = 0
    for activity in activities:
        if not window_start <= activity.occurred_on <= as_of:
            continue
        count += 1
        if activity.kind in deep_kinds and activity.occurred_on >= deep_start:
            return InteractionLevel.DEEP
    if count >= config.deep_min_activities:
        return InteractionLevel.DEEP
    if count >= config.multiple_min_activities:
        return InteractionLevel.MULTIPLE
    if count >= config.occasional_min_activities:
        return InteractionLevel.OCCASIONAL
    return InteractionLevel.NONE
