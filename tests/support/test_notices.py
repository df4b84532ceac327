"""Presales hand-off notifications (issue 14): each goes once to the right people, never to
the person who acted, an outsider or a partner; a retried event does not notify twice."""

from decimal import Decimal

from django.db.models import Q

from tests.support.conftest import make_deal, make_request
from wuwei.notifications.models import Notification
from wuwei.support import notices, services
from wuwei.support.models import BudgetApproval


def recipients(kind: str) -> set[str]:
    return set(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


def outsiders_notified(org) -> bool:
    others = [org.peer_rep, org.other_manager, org.partner, org.executive, org.presales]
    return Notification.objects.filter(Q(recipient__in=others)).exists()


def test_request_created_notifies_the_queue_lead_once(org, mci):
    deal = make_deal(org.rep, "5000000")  # A: the delivery centre
    request = make_request(deal)
    assert recipients(notices.KIND_REQUEST) == {"lead"}
    note = Notification.objects.get(kind=notices.KIND_REQUEST)
    assert note.url == f"/support/requests/{request.pk}/"
    assert note.opportunity_id == deal.pk
    assert deal.name in note.title
    # a retry of the same event (e.g. a rerun after a failure) does not notify twice
    assert notices.request_created(request, actor=org.rep) == 0
    assert Notification.objects.filter(kind=notices.KIND_REQUEST).count() == 1
    assert not outsiders_notified(org)


def test_the_actor_is_not_notified_about_their_own_request(org, mci):
    # the centre's delivery lead asks for presales themselves: the queue lead is the actor
    make_request(make_deal(org.rep, "5000000"), by=mci.lead)
    assert recipients(notices.KIND_REQUEST) == set()


def test_assignment_notifies_the_engineer_and_the_rep_not_the_lead(org, mci):
    request = make_request(make_deal(org.rep, "5000000"))
    assignment = services.assignment_create(
        user=mci.lead, request=request, resource=mci.alice, days=Decimal(2)
    )
    assert recipients(notices.KIND_ASSIGNMENT) == {"alice", "rep"}
    assert notices.assignment_created(assignment, actor=mci.lead) == 0
    assert Notification.objects.filter(kind=notices.KIND_ASSIGNMENT).count() == 2
    assert not outsiders_notified(org)


def test_budget_approval_needed_and_decided(org, mci):
    # C deal of 200,000: 5 days at the mean rate exceed the 3,000 budget
    deal = make_deal(org.rep, "200000")
    request = make_request(deal, skills=["network"])
    assert request.state == "awaiting_approval"
    # the approving manager: the nearest manager above the owner (not the requester/owner)
    assert recipients(notices.KIND_APPROVAL) == {"manager"}
    approval = BudgetApproval.objects.get(request=request)
    assert notices.approval_needed(approval, actor=org.rep) == 0

    services.request_decide(user=org.manager, request=request, approve=True, comment="ok")
    # the requester (the rep, also the owner) hears once; the deciding manager does not
    assert recipients(notices.KIND_DECISION) == {"rep"}
    # approved: the request joins its queue, so its lead hears now
    assert recipients(notices.KIND_REQUEST) == {"office_lead"}
    assert not outsiders_notified(org)
    assert not Notification.objects.filter(
        recipient=org.manager, kind=notices.KIND_DECISION
    ).exists()


def test_rejection_reaches_requester_and_owner(org, mci):
    deal = make_deal(org.rep, "200000")
    request = make_request(deal, by=org.manager_above)
    assert recipients(notices.KIND_APPROVAL) == {"manager"}
    services.request_decide(user=org.manager, request=request, approve=False, comment="no")
    assert recipients(notices.KIND_DECISION) == {"rep", "boss"}
    note = Notification.objects.filter(kind=notices.KIND_DECISION).first()
    assert note is not None and "no" in note.body
    assert recipients(notices.KIND_REQUEST) == set()  # rejected: never reaches a queue


def test_a_requester_who_cannot_see_the_deal_is_not_told(org, mci):
    # the peer rep sees none of the rep's deals: the decision link would be a 404 for them
    request = make_request(make_deal(org.rep, "200000"), by=org.peer_rep)
    services.request_decide(user=org.manager, request=request, approve=False, comment="no")
    assert recipients(notices.KIND_DECISION) == {"rep"}


def test_a_managers_own_request_goes_to_the_manager_above(org, mci):
    request = make_request(make_deal(org.rep, "200000"), by=org.manager)
    assert request.state == "awaiting_approval"
    assert recipients(notices.KIND_APPROVAL) == {"boss"}


def test_partner_registered_deal_never_notifies_the_partner(org, mci):
    # an E deal registered by a partner team: the partner is not told about internal work
    deal = make_deal(org.rep, "50000", partner=org.partner_team)
    request = make_request(deal, by=org.manager_above)
    if request.state == "awaiting_approval":
        services.request_decide(user=org.manager, request=request, approve=True, comment="ok")
    services.assignment_create(
        user=mci.office_lead, request=request, resource=mci.carol, days=Decimal("0.5")
    )
    assert recipients(notices.KIND_REQUEST) == {"office_lead"}
    assert recipients(notices.KIND_ASSIGNMENT) == {"carol", "rep"}
    assert not Notification.objects.filter(recipient=org.partner).exists()


def test_hand_off_email_uses_the_same_event(org, mci, settings, django_capture_on_commit_callbacks):
    from django.core import mail

    settings.EMAIL_HOST = "mail.example.com"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mci.lead.email = "lead@example.com"
    mci.lead.save()
    with django_capture_on_commit_callbacks(execute=True):
        request = make_request(make_deal(org.rep, "5000000"))
    assert [m.to for m in mail.outbox] == [["lead@example.com"]]
    assert f"/support/requests/{request.pk}/" in mail.outbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        notices.request_created(request, actor=org.rep)  # a retry: no second email
    assert len(mail.outbox) == 1
