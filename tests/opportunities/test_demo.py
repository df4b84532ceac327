"""The demo loader: enough deals over every stage, grade and track; idempotent."""

import io
from collections import Counter
from itertools import pairwise

from django.core.management import call_command
from django.db.models import Count

from wuwei.accounts.models import Conflict
from wuwei.competitors.models import CompetitorPrice
from wuwei.opportunities.models import (
    OPEN_STAGES,
    CompellingEvent,
    DealStrategy,
    DealTactic,
    Opportunity,
    PartnerRegistration,
    Questionnaire,
    ValueComparison,
    ValueProposition,
    WinRateSnapshot,
)
from wuwei.support import demo as support_demo


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
    # the accounts demo adds a duplicate-account conflict; registrations add exactly one overlap,
    # and partners working accounts our segment teams own are ownership conflicts (§7.3)
    assert list(
        Conflict.objects.exclude(kind__in=["duplicate_account", "ownership"]).values_list(
            "kind", flat=True
        )
    ) == ["registration_overlap"]
    conflicts = Conflict.objects.count()
    winning = _winning_counts()
    _assert_winning_demo()
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
    assert Conflict.objects.count() == conflicts  # nothing new on the second run
    assert _winning_counts() == winning


def _winning_counts():
    return (
        CompellingEvent.objects.count(),
        Questionnaire.objects.count(),
        WinRateSnapshot.objects.count(),
        sorted(Opportunity.objects.values_list("pk", "win_rate")),
    )


def _assert_winning_demo():
    """Most open deals: compelling events (some unconfirmed), 2-6 questionnaires, a few
    adjustments, 8-12 weeks of curve with some moves of 10+ points; the win rate shown is
    the curve's last point."""
    # the MCI demo's few deals are rated by one questionnaire each; these are the TAS+ demo's
    open_deals = Opportunity.objects.filter(
        stage__in=OPEN_STAGES, archived_at__isnull=True
    ).exclude(name__in=[deal[0] for deal in support_demo.DEALS])
    with_events = open_deals.filter(compelling_events__isnull=False).distinct()
    assert with_events.count() > open_deals.count() * 0.6
    assert with_events.exclude(compelling_events__is_confirmed=True).exists()
    per_deal = Counter(
        Questionnaire.objects.filter(role="rep", opportunity__in=open_deals).values_list(
            "opportunity_id", flat=True
        )
    )
    assert set(per_deal.values()) <= {2, 3, 4, 5, 6} and len(per_deal) > 50
    assert Questionnaire.objects.filter(role="manager").count() >= 10
    curves: dict[int, list[int | None]] = {}
    snapshots = WinRateSnapshot.objects.filter(opportunity__in=open_deals)
    for deal_id, win_rate in snapshots.order_by("opportunity", "week").values_list(
        "opportunity", "win_rate"
    ):
        curves.setdefault(deal_id, []).append(win_rate)
    assert {len(points) for points in curves.values()} <= set(range(9, 14))
    jumps = [
        deal_id
        for deal_id, points in curves.items()
        if any(a is not None and b is not None and abs(a - b) >= 10 for a, b in pairwise(points))
    ]
    assert len(jumps) >= 10
    for deal in open_deals.filter(pk__in=curves):
        assert curves[deal.pk][-1] == deal.win_rate
