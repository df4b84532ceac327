"""The demo loader builds relationship maps once; a second run adds nothing."""

from django.core.management import call_command

from wuwei.people.models import Activity, ClosenessSnapshot, Connection, DecisionParticipant


def test_demo_builds_maps_idempotently(db):
    call_command("demo", verbosity=0)
    counts = (
        Activity.objects.count(),
        Connection.objects.count(),
        DecisionParticipant.objects.count(),
    )
    assert all(counts)
    assert ClosenessSnapshot.objects.filter(competitor__isnull=False).exists()
    call_command("demo", verbosity=0)
    assert counts == (
        Activity.objects.count(),
        Connection.objects.count(),
        DecisionParticipant.objects.count(),
    )
