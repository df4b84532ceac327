"""StageHistory.advanced ("went on to a later stage", pipeline conversion, issue #14): kept
by the stage move in the same UPDATE that closes the open stay, recomputed when a stay is
written on its own, and the same as the migration's backfill (`mark_advanced`)."""

from datetime import timedelta

from tests.opportunities.winning import add_event, answer, make_deal
from wuwei.opportunities.models import StageHistory, mark_advanced
from wuwei.opportunities.services import opportunity_move_stage


def _flags(deal):
    return list(
        StageHistory.objects.filter(opportunity=deal)
        .order_by("entered_at", "id")
        .values_list("stage", "advanced")
    )


def test_stage_moves_mark_the_stays_they_go_on_from_and_lost_is_no_step_on(org):
    deal, (rival,) = make_deal(org.rep, amount=100_000)  # fast track
    add_event(deal, org.rep)
    answer(deal, org.rep, (5, 5), [(rival, 4, 6)])
    for stage in ("initiate", "negotiation"):
        deal = opportunity_move_stage(user=org.rep, opportunity=deal, to=stage)
    deal = opportunity_move_stage(user=org.rep, opportunity=deal, to="lost", reason="Price")

    moved = _flags(deal)

    assert moved == [
        ("validate", True),
        ("initiate", True),
        ("negotiation", False),
        ("lost", False),
    ]
    assert StageHistory.objects.filter(opportunity=deal, left_at__isnull=True).count() == 1
    StageHistory.objects.filter(opportunity=deal).update(advanced=False)
    mark_advanced()  # the migration's backfill finds the same
    assert _flags(deal) == moved


def test_a_stay_written_on_its_own_recomputes_the_deal(org):
    deal, _rivals = make_deal(org.rep, amount=100_000)
    [first] = StageHistory.objects.filter(opportunity=deal)
    later = first.entered_at + timedelta(days=3)
    StageHistory.objects.create(opportunity=deal, stage="bidding", entered_at=later)
    # written after it but entered before it: the first stay went on to bidding, not this one
    StageHistory.objects.create(
        opportunity=deal, stage="initiate", entered_at=first.entered_at + timedelta(days=1)
    )

    assert _flags(deal) == [("validate", True), ("initiate", True), ("bidding", False)]


def _previous(deal):
    return list(
        StageHistory.objects.filter(opportunity=deal)
        .order_by("entered_at", "id")
        .values_list("stage", "previous_entered_at")
    )


def test_each_stay_keeps_the_deals_previous_entry_into_its_stage(org):
    deal, (rival,) = make_deal(org.rep, amount=100_000)  # fast track
    add_event(deal, org.rep)
    answer(deal, org.rep, (5, 5), [(rival, 4, 6)])
    [first] = StageHistory.objects.filter(opportunity=deal)
    start = first.entered_at
    for stage in ("initiate", "validate", "initiate"):
        deal = opportunity_move_stage(user=org.rep, opportunity=deal, to=stage)
    stays = list(StageHistory.objects.filter(opportunity=deal).order_by("entered_at", "id"))

    moved = _previous(deal)

    assert moved == [
        ("validate", None),
        ("initiate", None),
        ("validate", start),
        ("initiate", stays[1].entered_at),
    ]
    StageHistory.objects.filter(opportunity=deal).update(previous_entered_at=None)
    mark_advanced([deal.pk])  # recomputed from the stays, as for a stay written on its own
    assert _previous(deal) == moved
    # a stay written on its own before the others: the earlier entry of its stage
    earlier = start - timedelta(days=1)
    StageHistory.objects.create(opportunity=deal, stage="validate", entered_at=earlier)
    assert _previous(deal)[:2] == [("validate", None), ("validate", earlier)]
