"""Interaction levels (§3.2) derived from activities, never picked by hand.

A contact's overall level counts every activity it took part in; its level on a decision map
counts only the activities linked to that opportunity. The windows move with time, so the
`recompute_interaction` command re-derives everything daily; the activity services re-derive
the contacts they touch at once. Derived values do not bump `version` (nobody edited them)."""

from collections import defaultdict
from collections.abc import Collection, Iterable
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from wuwei.core.config import method_config
from wuwei.methodology.config import InteractionConfig
from wuwei.methodology.interaction import ActivityFact, derive_interaction_level
from wuwei.people.models import Activity, Contact, DecisionParticipant

CHUNK = 1000


def _facts(
    contact_ids: Collection[int], *, as_of: date, config: InteractionConfig
) -> tuple[dict[int, list[ActivityFact]], dict[tuple[int, int], list[ActivityFact]]]:
    """Activities in the window per contact, and per (opportunity, contact). One query."""
    start = as_of - timedelta(days=config.window_days)
    rows = Activity.contacts.through.objects.filter(
        contact_id__in=contact_ids,
        activity__archived_at__isnull=True,
        activity__occurred_on__range=(start, as_of),
    ).values_list(
        "contact_id", "activity__opportunity_id", "activity__occurred_on", "activity__kind"
    )
    overall: dict[int, list[ActivityFact]] = defaultdict(list)
    per_deal: dict[tuple[int, int], list[ActivityFact]] = defaultdict(list)
    for contact_id, opportunity_id, occurred_on, kind in rows:
        fact = ActivityFact(occurred_on=occurred_on, kind=kind)
        overall[contact_id].append(fact)
        if opportunity_id is not None:
            per_deal[(opportunity_id, contact_id)].append(fact)
    return overall, per_deal


def _apply(model: type[Contact] | type[DecisionParticipant], changed: dict[int, str]) -> None:
    by_level: dict[str, list[int]] = defaultdict(list)
    for pk, level in changed.items():
        by_level[level].append(pk)
    for level, pks in by_level.items():
        model.objects.filter(pk__in=pks).update(interaction_level=level)


@transaction.atomic
def interaction_recompute(*, contact_ids: Iterable[int], as_of: date | None = None) -> int:
    """Re-derive the overall and per-deal levels of these contacts; returns how many changed."""
    ids = sorted(set(contact_ids))
    as_of = as_of or timezone.localdate()
    config = method_config().interaction
    changed_count = 0
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        overall, per_deal = _facts(chunk, as_of=as_of, config=config)
        changed: dict[int, str] = {}
        for pk, current in Contact.objects.filter(pk__in=chunk).values_list(
            "pk", "interaction_level"
        ):
            level = str(derive_interaction_level(overall.get(pk, []), as_of=as_of, config=config))
            if level != current:
                changed[pk] = level
        _apply(Contact, changed)
        changed_deal: dict[int, str] = {}
        for pk, opportunity_id, contact_id, current in DecisionParticipant.objects.filter(
            contact_id__in=chunk
        ).values_list("pk", "opportunity_id", "contact_id", "interaction_level"):
            facts = per_deal.get((opportunity_id, contact_id), [])
            level = str(derive_interaction_level(facts, as_of=as_of, config=config))
            if level != current:
                changed_deal[pk] = level
        _apply(DecisionParticipant, changed_deal)
        changed_count += len(changed) + len(changed_deal)
    return changed_count


def interaction_recompute_all(*, as_of: date | None = None) -> int:
    """Every contact, in chunks (the `recompute_interaction` command)."""
    ids = list(Contact.objects.order_by("pk").values_list("pk", flat=True))
    total = 0
    for start in range(0, len(ids), CHUNK):
        total += interaction_recompute(contact_ids=ids[start : start + CHUNK], as_of=as_of)
    return total
