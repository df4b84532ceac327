"""Collections (回款, METHOD.md §8) on won deals: the services, the API, the deal tab, and who
may read and write them."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.factories import make_account, make_user
from tests.opportunities.factories import make_opportunity
from wuwei.core.errors import Conflict, NotAllowed, ValidationFailed
from wuwei.insights.scorecard import services
from wuwei.insights.scorecard.models import Contract, Payment
from wuwei.opportunities.models import Opportunity

D = Decimal


@pytest.fixture
def won(org):
    account = make_account(org.rep, name="回款客户")
    deal = make_opportunity(org.rep, account, 1_000_000)
    Opportunity.objects.filter(pk=deal.pk).update(stage="won", closed_on=date(2025, 3, 1))
    deal.refresh_from_db()
    return deal


def test_contract_and_payments_on_a_won_deal(org, won):
    contract = services.contract_set(
        user=org.rep, opportunity=won, value=D(900_000), signed_on=date(2025, 3, 2)
    )
    changed = services.contract_set(
        user=org.rep, opportunity=won, value=D(950_000), signed_on=None, expected_version=1
    )
    assert (changed.pk, changed.value, changed.version) == (contract.pk, D(950_000), 2)
    with pytest.raises(Conflict):
        services.contract_set(
            user=org.rep, opportunity=won, value=D(1), signed_on=None, expected_version=1
        )
    services.payment_add(user=org.rep, opportunity=won, received_on=date(2025, 4, 1), amount=D(1))
    assert Payment.objects.filter(opportunity=won).count() == 1


def test_open_deals_future_payments_and_partners_are_refused(org, won):
    account = make_account(org.rep, name="未赢")
    open_deal = make_opportunity(org.rep, account, 100_000)
    with pytest.raises(ValidationFailed):
        services.contract_set(user=org.rep, opportunity=open_deal, value=D(1), signed_on=None)
    with pytest.raises(ValidationFailed):
        services.payment_add(
            user=org.rep,
            opportunity=won,
            received_on=timezone.localdate() + timedelta(days=1),
            amount=D(5),
        )
    with pytest.raises(NotAllowed):
        services.payment_add(
            user=org.presales, opportunity=won, received_on=date(2025, 4, 1), amount=D(5)
        )
    assert not Contract.objects.exists() and not Payment.objects.exists()


def test_api(org, won, api):
    path = f"/opportunities/{won.pk}/collections"
    put = api(org.rep).put(f"{path}/contract", {"value": "800000", "signed_on": "2025-03-02"})
    assert put.status_code == 200, put.json()
    posted = api(org.rep).post(
        f"{path}/payments", {"received_on": "2025-04-01", "amount": 200000, "note": "首付款"}
    )
    assert posted.status_code == 201, posted.json()
    body = api(org.manager).get(path).json()
    assert (body["contract"]["value"], body["collected"], body["outstanding"], body["rate"]) == (
        "800000.00",
        "200000.00",
        "600000.00",
        "25.0",
    )
    assert [p["note"] for p in body["payments"]] == ["首付款"]
    # a change needs the version read: missing 422, stale 409
    assert api(org.rep).put(f"{path}/contract", {"value": 1}).status_code == 422
    assert api(org.rep).put(f"{path}/contract", {"value": 1, "version": 9}).status_code == 409
    assert (
        api(org.rep)
        .post(f"{path}/payments", {"received_on": "2025-04-01", "amount": 0})
        .status_code
        == 422
    )
    # outsiders and partners: 404, nothing written
    outsider = make_user("outsider", team=org.north_ka)
    for user in (outsider, org.partner):
        assert api(user).get(path).status_code == 404
        refused = api(user).post(f"{path}/payments", {"received_on": "2025-04-01", "amount": 5})
        assert refused.status_code == 404
    assert Payment.objects.count() == 1


def test_deal_tab_records_a_payment(org, won, web):
    client = web(org.rep)
    tab = client.get(f"/scorecard/deals/{won.pk}/collections/")
    assert tab.status_code == 200 and 'data-testid="payment-form"' in tab.content.decode()
    saved = client.post(
        f"/scorecard/deals/{won.pk}/collections/contract/", {"value": "500000", "signed_on": ""}
    )
    assert 'data-testid="contract-value">500,000.00' in saved.content.decode()
    paid = client.post(
        f"/scorecard/deals/{won.pk}/collections/payments/",
        {"received_on": "2025-04-01", "amount": "125000", "note": "<b>x</b>"},
    )
    html = paid.content.decode()
    assert 'data-testid="collection-rate">25.0 %' in html and "&lt;b&gt;x&lt;/b&gt;" in html
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    refused = client.post(
        f"/scorecard/deals/{won.pk}/collections/payments/",
        {"received_on": future, "amount": "1"},
    )
    assert 'data-testid="collections-error"' in refused.content.decode()
    assert Payment.objects.count() == 1
    outsider = make_user("outsider", team=org.north_ka)
    assert web(outsider).get(f"/scorecard/deals/{won.pk}/collections/").status_code == 404
    assert web(org.partner).get(f"/scorecard/deals/{won.pk}/collections/").status_code == 404


def test_open_deal_tab_says_collections_wait_for_the_win(org, web):
    account = make_account(org.rep, name="在跟")
    deal = make_opportunity(org.rep, account, 100_000)
    html = web(org.rep).get(f"/scorecard/deals/{deal.pk}/collections/").content.decode()
    assert 'data-testid="not-won"' in html
