"""The demo loader: enough deals over every stage, grade and track; idempotent."""

import io

from django.core.management import call_command
from django.db.models import Count

from wuwei.accounts.models import Conflict
from wuwei.opportunities.models import (
    CompetitorPrice,
    DealStrategy,
    DealTactic,
    Opportunity,
    PartnerRegistration,
    ValueComparison,
    ValueProposition,
)


def _demo():
    call_command("demo", stdout=io.StringIO())


def test_demo_covers_the_lifecycle_and_is_idempotent(db):
    _demo()
    count = Opportunity.objects.count()
    assert count >= 120
    stages = dict(Opportunity.objects.values_list("stage").annotate(n=Count("id")).order_by())
    assert set(stages) == {
        "validate",
        "initiate",
        "needs_analysis",
        "value_presentation",
        "tender_preparation",
        "bidding",
        "negotiation",
        "won",
        "lost",
    }
    assert set(Opportunity.objects.values_list("grade", flat=True)) == {"A", "B", "C", "D", "E"}
    assert set(Opportunity.objects.values_list("track", flat=True)) == {
        "big_project",
        "fast_track",
        "partner",
    }
    assert (
        Opportunity.objects.filter(stage="lost").exclude(loss_reason="").count() == stages["lost"]
    )
    assert Opportunity.objects.filter(winning_competitor__isnull=False).exists()
    assert CompetitorPrice.objects.values("competitor").distinct().count() == 5
    assert PartnerRegistration.objects.count() >= 3
    # the accounts demo adds a duplicate-account conflict; registrations add exactly one overlap
    assert list(
        Conflict.objects.exclude(kind="duplicate_account").values_list("kind", flat=True)
    ) == ["registration_overlap"]
    # strategy, tactics (some carried out as activities) and value propositions on AB deals
    pursued = DealStrategy.objects.count()
    assert pursued >= 30
    assert set(DealStrategy.objects.values_list("opportunity__track", flat=True)) == {"big_project"}
    assert len(set(DealStrategy.objects.values_list("strategy", flat=True))) >= 4
    assert DealTactic.objects.filter(activity__isnull=False).count() >= 15
    assert ValueProposition.objects.count() == pursued
    assert ValueComparison.objects.filter(competitor__isnull=False).exists()
    pursuit = (DealTactic.objects.count(), ValueComparison.objects.count())
    _demo()
    assert Opportunity.objects.count() == count
    assert DealStrategy.objects.count() == pursued
    assert (DealTactic.objects.count(), ValueComparison.objects.count()) == pursuit
    assert Conflict.objects.count() == 2  # nothing new on the second run
