"""A registration or ownership conflict reaches the managers concerned (issue 14): the
managers whose subtree holds the account, once, never the partner who caused it."""

from tests.factories import make_account
from tests.opportunities.factories import products
from wuwei.accounts import notices
from wuwei.accounts.conflicts import conflict_raise
from wuwei.accounts.models import OwnershipConflict
from wuwei.notifications.models import Notification
from wuwei.opportunities.registrations import registration_create


def notified() -> set[str]:
    return set(
        Notification.objects.filter(kind=notices.KIND).values_list("recipient__username", flat=True)
    )


def test_partner_registration_conflict_reaches_the_accounts_managers_only(org):
    account = make_account(org.rep, name="<img src=x onerror=alert(1)>", registration_number="R1")
    registration = registration_create(
        user=org.partner, account=account, products=products("cloud")
    )
    conflict = OwnershipConflict.objects.get(pk=registration.conflict_id)
    # the managers of East KA and of the region above it; not north, not the rep, no partner
    assert notified() == {"manager", "boss"}
    note = Notification.objects.filter(kind=notices.KIND).first()
    assert note is not None and note.url == f"/accounts/conflicts/{conflict.pk}/"
    assert not Notification.objects.filter(recipient=org.partner).exists()
    # the same conflict reported again notifies nobody twice
    assert notices.conflict_raised(conflict, actor=org.partner) == 0
    assert Notification.objects.filter(kind=notices.KIND).count() == 2


def test_the_manager_who_raises_a_conflict_is_not_told(org):
    account = make_account(org.rep)
    conflict_raise(kind="ownership", account=account, raised_by=org.manager, summary="Mine")
    assert notified() == {"boss"}


def test_overlapping_registrations_notify_per_conflict(org):
    from tests.factories import make_team, make_user
    from wuwei.org.models import Role, TeamKind

    rival_team = make_team("Rival", kind=TeamKind.PARTNER, parent=org.company)
    rival = make_user("rival", roles=[Role.PARTNER_USER], team=rival_team)
    account = make_account(org.rep, registration_number="R2")
    registration_create(user=org.partner, account=account, products=products("cloud"))
    registration_create(user=rival, account=account, products=products("cloud"))
    kinds = set(OwnershipConflict.objects.values_list("kind", flat=True))
    assert "registration_overlap" in kinds
    per_conflict = Notification.objects.filter(kind=notices.KIND, recipient=org.manager)
    assert per_conflict.count() == OwnershipConflict.objects.count()
    assert not Notification.objects.filter(recipient__in=[org.partner, rival]).exists()
