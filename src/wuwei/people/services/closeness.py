"""Store the closeness index (§3.4) over time: one value per subject, party and day (the
latest of the day wins). Called whenever a status or influence changes, and by the
`snapshot_closeness` command so the series has a point even on quiet days."""

from collections.abc import Collection
from datetime import date

from django.db import transaction
from django.utils import timezone

from wuwei.methodology.closeness import closeness_index
from wuwei.people.models import ClosenessSnapshot, Contact, DecisionParticipant
from wuwei.people.selectors.closeness import (
    ClosenessFacts,
    account_closeness_facts,
    opportunity_closeness_facts,
    snapshot_subject,
)


def _store(
    facts: ClosenessFacts, *, account_id: int | None, opportunity_id: int | None, as_of: date
) -> int:
    values = {None: closeness_index(facts.us)} | {
        competitor: closeness_index(entries) for competitor, entries in facts.competitors.items()
    }
    ClosenessSnapshot.objects.filter(
        **snapshot_subject(account_id, opportunity_id), recorded_on=as_of
    ).delete()
    rows = [
        ClosenessSnapshot(
            account_id=account_id,
            opportunity_id=opportunity_id,
            competitor_id=competitor,
            value=value,
            recorded_on=as_of,
        )
        for competitor, value in values.items()
        if value is not None
    ]
    ClosenessSnapshot.objects.bulk_create(rows)
    return len(rows)


@transaction.atomic
def closeness_record_account(*, account_id: int, as_of: date | None = None) -> int:
    facts = account_closeness_facts(account_id)
    return _store(
        facts, account_id=account_id, opportunity_id=None, as_of=as_of or timezone.localdate()
    )


@transaction.atomic
def closeness_record_opportunity(*, opportunity_id: int, as_of: date | None = None) -> int:
    facts = opportunity_closeness_facts(opportunity_id)
    return _store(
        facts,
        account_id=None,
        opportunity_id=opportunity_id,
        as_of=as_of or timezone.localdate(),
    )


@transaction.atomic
def closeness_record_for_contacts(
    *, contact_ids: Collection[int], as_of: date | None = None
) -> None:
    """Re-record every account and opportunity whose index these contacts take part in."""
    account_ids = set(
        Contact.objects.filter(pk__in=contact_ids).values_list("account_id", flat=True)
    )
    opportunity_ids = set(
        DecisionParticipant.objects.filter(contact_id__in=contact_ids).values_list(
            "opportunity_id", flat=True
        )
    )
    for account_id in sorted(account_ids):
        closeness_record_account(account_id=account_id, as_of=as_of)
    for opportunity_id in sorted(opportunity_ids):
        closeness_record_opportunity(opportunity_id=opportunity_id, as_of=as_of)
