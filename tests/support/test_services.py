"""MCI services: routing, capacity, ledger, budget approval, stage owners, credit, warnings."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import translation

from tests.factories import make_user
from tests.support.conftest import MONDAY, make_deal, make_request
from wuwei.core.errors import Conflict, NotAllowed, ValidationFailed
from wuwei.opportunities.models import Opportunity
from wuwei.support import services
from wuwei.support.models import (
    AppendOnlyError,
    ApprovalStatus,
    BudgetApproval,
    CreditSplit,
    LedgerEntry,
    RequestState,
    StageOwner,
)
from wuwei.support.services import (
    assignment_cancel,
    assignment_create,
    ledger_total,
    stage_owner_gate,
    stage_owner_on_entry,
)
from wuwei.support.warnings import (
    RequestWarning,
    register_request_warning,
    request_warning_checks,
)

# ----------------------------------------------------------------------------------------
# routing: every grade × unit (the deal's team has a local office or not)

AMOUNTS = {"A": "5000000", "B": "1000000", "C": "200000", "D": "50000", "E": "50000"}


@pytest.fixture(autouse=True)
def _english():
    """Messages are read in English, whatever language an earlier test left active."""
    with translation.override("en"):
        yield


@pytest.mark.parametrize(
    ("grade", "team", "queue", "unit"),
    [
        ("A", "east_ka", "delivery_center", "centre"),
        ("B", "east_ka", "delivery_center", "centre"),
        ("C", "east_ka", "local_office", "office"),
        ("D", "east_ka", "local_office", "office"),
        ("E", "east_ka", "local_office", "office"),
        ("A", "north_ka", "delivery_center", "centre"),
        ("B", "north_ka", "delivery_center", "centre"),
        ("C", "north_ka", "hotline", None),
        ("D", "north_ka", "hotline", None),
        ("E", "north_ka", "hotline", None),
    ],
)
def test_requests_are_routed_by_grade_and_unit(org, mci, grade, team, queue, unit):
    owner = org.rep if team == "east_ka" else make_user("north_rep", team=org.north_ka)
    extra = {"partner": org.partner_team} if grade == "E" else {}
    deal = make_deal(owner, AMOUNTS[grade], **extra)
    assert deal.grade == grade

    request = make_request(deal)

    assert request.queue == queue
    assert request.unit == (getattr(mci, unit) if unit else None)


# ----------------------------------------------------------------------------------------
# capacity: exactly 100 % is allowed, above is refused or flagged, across week boundaries


def _assign(mci, request, resource, start, end, days, **extra):
    return assignment_create(
        user=mci.lead,
        request=request,
        resource=resource,
        start=start,
        end=end,
        days=Decimal(days),
        **extra,
    )


def test_capacity_boundaries_across_weeks(org, mci):
    deal = make_deal(org.rep, "50000000")  # a budget large enough not to interfere
    request = make_request(deal, effort_days=Decimal(20), end=date(2027, 1, 15))
    # Wednesday to Tuesday: 3 days in W01, 2 days in W02 (capacity 5 days a week)
    _assign(mci, request, mci.bob, date(2027, 1, 6), date(2027, 1, 12), "5")
    # W01 reaches exactly 5 days = 100 %: allowed
    _assign(mci, request, mci.bob, MONDAY, date(2027, 1, 5), "2")
    # W02 can take 3 more days = 100 %
    _assign(mci, request, mci.bob, date(2027, 1, 13), date(2027, 1, 15), "3")
    # half a day more on Friday of W01 → 110 %: refused, nothing saved
    with pytest.raises(Conflict) as refused:
        _assign(mci, request, mci.bob, date(2027, 1, 8), date(2027, 1, 8), "0.5")
    assert refused.value.errors == [("days", "2027-W01: 110.00 %")]
    assert mci.bob.assignments.count() == 3
    # ... unless the lead accepts it: the week is flagged
    flagged = _assign(
        mci,
        request,
        mci.bob,
        date(2027, 1, 8),
        date(2027, 1, 12),
        "1",
        allow_over_capacity=True,
    )
    assert flagged.over_capacity_weeks == ["2027-W01", "2027-W02"]


def test_capacity_across_the_new_year(org, mci):
    deal = make_deal(org.rep, "50000000")
    request = make_request(deal, effort_days=Decimal(11))
    _assign(mci, request, mci.alice, date(2026, 12, 28), date(2027, 1, 8), "10")  # 100 %, 100 %
    with pytest.raises(Conflict, match="2026-W53"):
        _assign(mci, request, mci.alice, date(2027, 1, 1), date(2027, 1, 1), "0.5")
    # another person is free
    _assign(mci, request, mci.bob, date(2027, 1, 1), date(2027, 1, 1), "0.5")


def test_cancelled_assignments_free_the_weeks(org, mci):
    deal = make_deal(org.rep, "50000000")
    request = make_request(deal)
    first = _assign(mci, request, mci.bob, MONDAY, date(2027, 1, 8), "5")
    assignment_cancel(user=mci.lead, assignment=first, reason="moved")
    _assign(mci, request, mci.bob, MONDAY, date(2027, 1, 8), "5")


def test_only_the_queue_lead_assigns(org, mci):
    deal = make_deal(org.rep, "50000000")  # AB → the delivery centre
    request = make_request(deal)
    for outsider in (mci.office_lead, mci.hotline_lead, org.rep, org.other_manager):
        with pytest.raises(NotAllowed):
            assignment_create(user=outsider, request=request, resource=mci.bob, days=Decimal(1))
    # the centre lead directs everyone on an AB deal, local office staff included
    assignment_create(user=mci.lead, request=request, resource=mci.carol, days=Decimal(1))
    # C in the east → the Shanghai office; its lead, a manager above it and executives assign
    small = make_request(make_deal(org.rep, "900000"))
    with pytest.raises(NotAllowed):
        assignment_create(user=mci.lead, request=small, resource=mci.carol, days=Decimal(1))
    for lead in (mci.office_lead, org.manager_above, org.executive):
        assignment_create(user=lead, request=small, resource=mci.carol, days=Decimal(1))
    # C in the north → the hotline, led from HQ presales
    hotline = make_request(make_deal(make_user("north_rep", team=org.north_ka), "900000"))
    with pytest.raises(NotAllowed):
        assignment_create(user=mci.lead, request=hotline, resource=mci.dave, days=Decimal(1))
    assignment_create(user=mci.hotline_lead, request=hotline, resource=mci.dave, days=Decimal(1))


# ----------------------------------------------------------------------------------------
# the ledger: charges, sums, reversal, append-only


def test_ledger_sums_and_reversal(org, mci):
    deal = make_deal(org.rep, "50000000")  # budget 1,500,000
    request = make_request(deal)
    a = _assign(mci, request, mci.alice, MONDAY, date(2027, 1, 8), "2.5")  # 2.5 × 3000
    b = _assign(mci, request, mci.bob, MONDAY, date(2027, 1, 8), "3")  # 3 × 1000
    assert (a.cost, b.cost) == (Decimal("7500.00"), Decimal("3000.00"))
    assert ledger_total(deal) == Decimal("10500.00")
    assert LedgerEntry.objects.filter(opportunity=deal).count() == 2

    assignment_cancel(user=mci.lead, assignment=a, reason="customer postponed")

    entries = list(LedgerEntry.objects.filter(opportunity=deal).order_by("id"))
    assert [(e.kind, e.amount) for e in entries] == [
        ("charge", Decimal("7500.00")),
        ("charge", Decimal("3000.00")),
        ("reversal", Decimal("-7500.00")),
    ]
    assert entries[2].reverses_id == entries[0].pk
    assert ledger_total(deal) == Decimal("3000.00")
    with pytest.raises(Conflict):
        services.ledger_reverse(user=mci.lead, entry=entries[0], reason="again")
    with pytest.raises(Conflict):
        services.ledger_reverse(user=mci.lead, entry=entries[2], reason="reverse a reversal")
    with pytest.raises(NotAllowed):
        services.ledger_reverse(user=org.rep, entry=entries[1], reason="mine")
    # append-only: no edit, no delete, not even in bulk
    entries[1].amount = Decimal(1)
    with pytest.raises(AppendOnlyError):
        entries[1].save()
    with pytest.raises(AppendOnlyError):
        entries[1].delete()
    with pytest.raises(AppendOnlyError):
        LedgerEntry.objects.filter(opportunity=deal).update(amount=0)
    with pytest.raises(AppendOnlyError):
        LedgerEntry.objects.filter(opportunity=deal).delete()
    assert ledger_total(deal) == Decimal("3000.00")


# ----------------------------------------------------------------------------------------
# budget: over the budget needs a manager's approval


def test_budget_approval_path(org, mci):
    # C deal of 200,000: budget 1.5 % = 3,000; 5 days at the mean rate 2,000 = 10,000
    deal = make_deal(org.rep, "200000")
    request = make_request(deal, skills=["network"])
    assert (request.state, request.estimated_cost, request.budget_at_request) == (
        RequestState.AWAITING_APPROVAL,
        Decimal("10000.00"),
        Decimal("3000.00"),
    )
    approval = BudgetApproval.objects.get(request=request)
    assert (approval.status, approval.projected_total) == ("pending", Decimal("10000.00"))
    # not assignable while waiting
    with pytest.raises(Conflict):
        assignment_create(
            user=mci.office_lead, request=request, resource=mci.carol, days=Decimal(1)
        )
    # a rep cannot approve; a manager can
    with pytest.raises(NotAllowed):
        services.request_decide(user=org.peer_rep, request=request, approve=True)
    services.request_decide(user=org.manager, request=request, approve=True, comment="strategic")
    request.refresh_from_db()
    approval.refresh_from_db()
    assert (request.state, request.over_budget_approved) == (RequestState.QUEUED, True)
    assert (approval.status, approval.decided_by, approval.comment) == (
        ApprovalStatus.APPROVED,
        org.manager,
        "strategic",
    )
    # the approved overrun is assignable: 5 × 1,000 > 3,000
    assignment_create(user=mci.office_lead, request=request, resource=mci.carol, days=Decimal(5))
    assert ledger_total(deal) == Decimal("5000.00")
    # deciding twice is refused
    with pytest.raises(Conflict):
        services.request_decide(user=org.manager, request=request, approve=True)


def test_budget_rejection_needs_a_reason(org, mci):
    deal = make_deal(org.rep, "200000")
    request = make_request(deal)
    with pytest.raises(ValidationFailed):
        services.request_decide(user=org.manager, request=request, approve=False)
    services.request_decide(user=org.manager, request=request, approve=False, comment="too small")
    request.refresh_from_db()
    assert request.state == RequestState.REJECTED
    assert BudgetApproval.objects.get(request=request).status == ApprovalStatus.REJECTED


def test_assignment_over_budget_is_refused_then_escalated(org, mci):
    # B deal of 1,000,000: budget 30,000; the estimate (5 × 2,000) fits
    deal = make_deal(org.rep, "1000000")
    request = make_request(deal, effort_days=Decimal(10), end=date(2027, 1, 15))
    assert request.state == RequestState.QUEUED
    _assign(mci, request, mci.alice, MONDAY, date(2027, 1, 8), "5")  # 15,000
    with pytest.raises(Conflict, match="budget"):
        _assign(
            mci,
            request,
            mci.alice,
            date(2027, 1, 11),
            date(2027, 1, 15),
            "5.01",
            allow_over_capacity=True,
        )
    assert ledger_total(deal) == Decimal("15000.00")
    _assign(mci, request, mci.alice, date(2027, 1, 11), date(2027, 1, 15), "5")  # exactly 30,000
    services.request_escalate(user=mci.lead, request=request, days=Decimal(2))
    request.refresh_from_db()
    assert request.state == RequestState.AWAITING_APPROVAL
    services.request_decide(user=org.manager, request=request, approve=True)
    _assign(mci, request, mci.bob, date(2027, 1, 11), date(2027, 1, 12), "2")
    assert ledger_total(deal) == Decimal("32000.00")


def test_a_manager_cannot_approve_their_own_request(org, mci):
    deal = make_deal(org.manager, "200000")
    request = make_request(deal, by=org.manager)
    with pytest.raises(NotAllowed):
        services.request_decide(user=org.manager, request=request, approve=True)
    services.request_decide(user=org.manager_above, request=request, approve=True)


# ----------------------------------------------------------------------------------------
# single owner per stage


def test_stage_owner_defaults_to_the_deal_owner_and_is_idempotent(org, mci):
    deal = make_deal(org.rep)
    first = stage_owner_on_entry(opportunity=deal, stage="initiate", by=org.rep)
    again = stage_owner_on_entry(opportunity=deal, stage="initiate", by=org.manager)
    assert first.pk == again.pk
    assert first.owner == org.rep


def test_exactly_one_open_owner_per_stage(org, mci):
    deal = make_deal(org.rep)
    stage_owner_on_entry(opportunity=deal, stage="validate", by=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        StageOwner.objects.create(opportunity=deal, stage="validate", owner=org.peer_rep)
    # reassigning closes the old term and opens one new
    Opportunity.members.through.objects.create(opportunity=deal, user=org.peer_rep)
    services.stage_owner_reassign(
        user=org.rep, opportunity=deal, stage="validate", owner=org.peer_rep, reason="on leave"
    )
    terms = list(StageOwner.objects.filter(opportunity=deal, stage="validate").order_by("id"))
    assert [(t.owner, t.left_at is None) for t in terms] == [(org.rep, False), (org.peer_rep, True)]


def test_reassign_rules(org, mci):
    deal = make_deal(org.rep)
    stage_owner_on_entry(opportunity=deal, stage="validate", by=org.rep)
    with pytest.raises(NotAllowed):
        services.stage_owner_reassign(
            user=org.peer_rep, opportunity=deal, stage="validate", owner=org.peer_rep
        )
    # a rep who cannot see the deal cannot own a stage of it; nothing changes
    with pytest.raises(ValidationFailed):
        services.stage_owner_reassign(
            user=org.rep, opportunity=deal, stage="validate", owner=org.peer_rep
        )
    assert StageOwner.objects.get(opportunity=deal, stage="validate").owner == org.rep
    # a presales person can: owning the stage lets them see the deal
    services.stage_owner_reassign(
        user=org.manager, opportunity=deal, stage="needs_analysis", owner=mci.alice.user
    )


def test_stage_owner_gate(org, mci):
    deal = make_deal(org.rep)
    StageOwner.objects.filter(opportunity=deal).delete()
    reasons = stage_owner_gate(deal, "initiate")
    assert [(r.code, dict(r.params)) for r in reasons] == [
        ("stage_without_owner", {"stage": "validate"})
    ]
    stage_owner_on_entry(opportunity=deal, stage="validate", by=org.rep)
    assert stage_owner_gate(deal, "initiate") == []
    Opportunity.objects.filter(pk=deal.pk).update(stage="won")
    deal.refresh_from_db()
    assert stage_owner_gate(deal, "lost") == []


# ----------------------------------------------------------------------------------------
# warnings before committing resources


def test_win_rate_zero_asks_for_confirmation_which_is_recorded(org, mci):
    deal = make_deal(org.rep, win_rate=0)
    with pytest.raises(Conflict) as asked:
        make_request(deal, confirm_warnings=False)
    assert [field for field, _m in asked.value.errors] == ["confirm_warnings"]
    assert "win rate is 0" in asked.value.errors[0][1]
    request = make_request(deal, confirm_warnings=True)
    assert [w["code"] for w in request.warnings] == ["win_rate_zero"]
    assert (request.warnings_confirmed_by, request.warnings_confirmed_at is not None) == (
        org.rep,
        True,
    )


def test_not_rated_deal_warns_no_compelling_event(org, mci):
    deal = make_deal(org.rep, win_rate=None)
    with pytest.raises(Conflict, match="Confirm"):
        make_request(deal, confirm_warnings=False)
    assert [w["code"] for w in make_request(deal).warnings] == ["no_compelling_event"]
    rated = make_request(make_deal(org.rep, win_rate=40), confirm_warnings=False)
    assert rated.warnings == [] and rated.warnings_confirmed_by is None


def test_warning_checks_are_a_replaceable_registry(org, mci):
    original = request_warning_checks["no_compelling_event"]

    @register_request_warning("no_compelling_event")
    def precise(opportunity):
        return None if opportunity.name.startswith("Deal") else RequestWarning("x", "y")

    try:
        deal = make_deal(org.rep, win_rate=None)
        assert make_request(deal, confirm_warnings=False).warnings == []
    finally:
        request_warning_checks["no_compelling_event"] = original


# ----------------------------------------------------------------------------------------
# scoring and credit


def _won(deal):
    Opportunity.objects.filter(pk=deal.pk).update(stage="won")
    deal.refresh_from_db()
    return deal


def test_credit_splits_on_won_deals(org, mci):
    deal = make_deal(org.rep, "2000000")
    Opportunity.members.through.objects.create(opportunity=deal, user=org.peer_rep)
    request = make_request(deal)
    _assign(mci, request, mci.alice, MONDAY, date(2027, 1, 8), "2")
    with pytest.raises(Conflict):
        services.credit_splits_create_for_won(deal)
    _won(deal)

    splits = services.credit_splits_create_for_won(deal)
    again = services.credit_splits_create_for_won(deal)

    assert [s.pk for s in splits] == [s.pk for s in again]
    rows = sorted((s.user.username, s.role, s.amount, s.is_double_counted) for s in splits)
    assert rows == [
        ("alice", "presales", Decimal("2000000.00"), True),
        ("peer", "participant", Decimal("2000000.00"), True),
        ("rep", "owner", Decimal("2000000.00"), False),
    ]
    real = CreditSplit.objects.filter(opportunity=deal, is_double_counted=False)
    assert sum(s.amount for s in real) == deal.amount


def test_scores_only_by_the_stage_owner_for_participants(org, mci):
    deal = make_deal(org.rep)
    request = make_request(deal)
    _assign(mci, request, mci.alice, MONDAY, date(2027, 1, 8), "1")
    with pytest.raises(NotAllowed):
        services.stage_score_submit(
            user=org.peer_rep,
            opportunity=deal,
            stage="validate",
            participant=mci.alice.user,
            score=80,
        )
    with pytest.raises(Conflict):  # not reached yet
        stage_owner_on_entry(opportunity=deal, stage="bidding", by=org.rep)
        services.stage_score_submit(
            user=org.rep, opportunity=deal, stage="bidding", participant=mci.alice.user, score=80
        )
    with pytest.raises(ValidationFailed):  # not a participant
        services.stage_score_submit(
            user=org.rep, opportunity=deal, stage="validate", participant=mci.bob.user, score=80
        )
    with pytest.raises(ValidationFailed):
        services.stage_score_submit(
            user=org.rep, opportunity=deal, stage="validate", participant=mci.alice.user, score=101
        )
    services.stage_score_submit(
        user=org.rep, opportunity=deal, stage="validate", participant=mci.alice.user, score=80
    )
    with pytest.raises(Conflict):
        services.stage_score_submit(
            user=org.rep, opportunity=deal, stage="validate", participant=mci.alice.user, score=90
        )


def test_performance_report_sums(org, mci):
    from wuwei.support.selectors import performance_report, performance_return

    big = make_deal(org.rep, "3000000")
    small = make_deal(org.rep, "1000000")
    for deal, days in ((big, "2"), (small, "3")):
        request = make_request(deal, effort_days=Decimal(days))
        _assign(mci, request, mci.alice, date(2027, 2, 1), date(2027, 2, 5), days)
    extra = _assign(mci, make_request(big), mci.alice, date(2027, 3, 1), date(2027, 3, 5), "1")
    assignment_cancel(user=mci.lead, assignment=extra, reason="not needed")
    for deal in (big, small):
        services.stage_score_submit(
            user=org.rep,
            opportunity=deal,
            stage="validate",
            participant=mci.alice.user,
            score=70 if deal is big else 90,
        )
        services.credit_splits_create_for_won(_won(deal))

    rows = {row.username: row for row in performance_report(user=org.executive)}

    alice = rows["alice"]
    assert (alice.credited, alice.credited_real, alice.deals_credited) == (
        Decimal("4000000.00"),
        Decimal("0.00"),
        2,
    )
    assert (alice.scores_received, alice.score_average) == (2, 80.0)
    assert (alice.days_spent, alice.cost) == (Decimal("5.00"), Decimal("15000.00"))
    assert performance_return(alice) == Decimal("266.67")
    rep = rows["rep"]
    assert (rep.credited, rep.credited_real, rep.cost, performance_return(rep)) == (
        Decimal("4000000.00"),
        Decimal("4000000.00"),
        Decimal("0.00"),
        None,
    )
    assert "bob" not in rows
    # a rep reads only their own row; the delivery lead their centre's people
    assert [r.username for r in performance_report(user=org.rep)] == ["rep"]
    assert [r.username for r in performance_report(user=mci.lead)] == ["alice"]
