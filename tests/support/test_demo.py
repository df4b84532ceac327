from django.core.management import call_command

from wuwei.support.models import (
    Assignment,
    BudgetApproval,
    CreditSplit,
    PresalesRequest,
    RequestState,
    Resource,
)


def test_demo_has_a_pool_and_requests_in_every_state(db):
    call_command("demo", verbosity=0)
    counts = (Resource.objects.count(), PresalesRequest.objects.count(), Assignment.objects.count())
    call_command("demo", verbosity=0)
    assert (
        Resource.objects.count(),
        PresalesRequest.objects.count(),
        Assignment.objects.count(),
    ) == counts
    assert counts[0] >= 20
    assert set(PresalesRequest.objects.values_list("state", flat=True)) == set(RequestState.values)
    assert set(PresalesRequest.objects.values_list("queue", flat=True)) == {
        "delivery_center",
        "local_office",
        "hotline",
    }
    assert BudgetApproval.objects.filter(status="approved").count() >= 2
    assert BudgetApproval.objects.filter(status="rejected").exists()
    assert CreditSplit.objects.filter(is_double_counted=True).exists()
    assert set(Resource.objects.values_list("home_unit__kind", flat=True)) == {
        "delivery_center",
        "office",
        "hq_presales",
        None,
    }
