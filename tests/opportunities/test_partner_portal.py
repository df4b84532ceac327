"""The partner portal's registration pages (METHOD.md §4.2 E, §1): a partner registers a deal
by customer name and registration number, sees until when it is protected and whether it
overlaps another, and sees nothing of other partners' registrations."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.factories import make_account, make_team, make_user
from tests.opportunities.factories import make_opportunity, products
from wuwei.accounts.models import ConflictKind
from wuwei.opportunities.models import PartnerRegistration
from wuwei.opportunities.registrations import registration_create
from wuwei.org.models import Role, TeamKind


@pytest.fixture
def customer(org):
    return make_account(
        org.rep, name="宁波港集团股份有限公司", registration_number="91330200MA0001"
    )


@pytest.fixture
def rival(org):
    team = make_team("Rival Partner", kind=TeamKind.PARTNER, parent=org.company)
    return make_user("rival_partner", roles=[Role.PARTNER_USER], team=team)


def form(customer, *codes, **extra):
    data = {
        "customer_name": customer.name,
        "customer_registration_number": customer.registration_number,
        "products": [p.pk for p in products(*codes)],
        "estimated_amount": "800000",
        "expected_close": "2027-06-30",
        "notes": "",
    }
    return {**data, **extra}


def test_partner_registers_a_deal_and_sees_its_protection(org, web, customer):
    client = web(org.partner)
    # given a name written another way (有限公司 for 股份有限公司, full-width, spaces)
    data = form(customer, "cloud", customer_name=" 宁波港集团有限公司 ")
    # when
    response = client.post("/opportunities/registrations/new/", data)
    # then
    registration = PartnerRegistration.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/opportunities/registrations/{registration.pk}/"
    assert (registration.partner, registration.account, registration.registered_by) == (
        org.partner_team,
        customer,
        org.partner,
    )
    assert (registration.estimated_amount, registration.expected_close) == (
        Decimal("800000.00"),
        date(2027, 6, 30),
    )
    today = timezone.localdate()
    assert registration.expires_on == today + timedelta(days=90)
    page = client.get(response["Location"]).content.decode()
    expiry = registration.expires_on.isoformat()
    assert f"Protected until {expiry} (90 days left)." in page
    assert 'data-testid="expected-amount">800,000<' in page
    listing = client.get("/opportunities/registrations/").content.decode()
    assert expiry in listing and customer.name in listing
    # the ownership conflict is shown, not which of our teams owns the customer
    assert registration.conflict.kind == ConflictKind.OWNERSHIP
    assert "East KA" not in listing and "East KA" not in page


def test_an_unknown_customer_or_a_mismatched_name_is_refused_alike(org, web, customer):
    client = web(org.partner)
    wrong_name = client.post(
        "/opportunities/registrations/new/", form(customer, "cloud", customer_name="Other Co")
    )
    wrong_number = client.post(
        "/opportunities/registrations/new/",
        form(customer, "cloud", customer_registration_number="91000000XX9999"),
    )
    assert wrong_name.status_code == wrong_number.status_code == 200
    message = "No customer with this name and registration number"
    assert message in wrong_name.content.decode() and message in wrong_number.content.decode()
    assert not PartnerRegistration.objects.exists()


def test_a_registration_needs_products(org, web, customer):
    response = web(org.partner).post(
        "/opportunities/registrations/new/", form(customer, products=[])
    )
    assert response.status_code == 200 and not PartnerRegistration.objects.exists()
    assert "This field is required." in response.content.decode()


def test_overlap_with_another_partner_is_told_clearly(org, web, customer, rival):
    registration_create(user=rival, account=customer, products=products("cloud", "network"))
    client = web(org.partner)
    response = client.post("/opportunities/registrations/new/", form(customer, "cloud"))
    registration = PartnerRegistration.objects.get(partner=org.partner_team)
    assert registration.conflict.kind == ConflictKind.REGISTRATION_OVERLAP
    followed = client.get(response["Location"])
    page = followed.content.decode()
    assert "overlaps another partner's protected registration" in page
    assert "A channel manager will decide" in page
    # the partner learns of the overlap, not whose registration it is nor the conflict page
    assert "Rival Partner" not in page and 'data-testid="conflict-link"' not in page
    flashes = [str(m) for m in followed.context["messages"]]
    assert "This registration overlaps another; see below." in flashes


def test_a_direct_deal_on_the_scope_is_a_conflict_too(org, web, customer):
    make_opportunity(org.rep, customer, 900_000, products=["cloud"])
    client = web(org.partner)
    client.post("/opportunities/registrations/new/", form(customer, "cloud"))
    registration = PartnerRegistration.objects.get()
    assert registration.conflict.kind == ConflictKind.DIRECT_VS_REGISTRATION
    page = client.get(f"/opportunities/registrations/{registration.pk}/").content.decode()
    assert "Our sales team already pursues this customer for these products." in page


def test_partner_cannot_see_another_partners_registrations(org, web, customer, rival):
    theirs = registration_create(user=rival, account=customer, products=products("software"))
    client = web(org.partner)
    hidden = client.get(f"/opportunities/registrations/{theirs.pk}/")
    absent = client.get("/opportunities/registrations/2000000000/")
    assert hidden.status_code == absent.status_code == 404
    assert customer.name not in client.get("/opportunities/registrations/").content.decode()
    assert customer.name not in client.get("/").content.decode()


def test_outsider_gets_404_and_staff_see_the_conflict(org, web, customer):
    registration = registration_create(
        user=org.partner, account=customer, products=products("software")
    )
    outsider = make_user("outsider_rep", team=org.north_ka)
    assert web(outsider).get(f"/opportunities/registrations/{registration.pk}/").status_code == 404
    page = web(org.manager).get(f"/opportunities/registrations/{registration.pk}/")
    assert page.status_code == 200
    assert 'data-testid="conflict-link"' in page.content.decode()  # ownership: East KA's account


def test_staff_register_for_a_partner(org, web, customer):
    client = web(org.manager)
    refused = client.post("/opportunities/registrations/new/", form(customer, "cloud"))
    assert refused.status_code == 200 and not PartnerRegistration.objects.exists()
    data = form(customer, "cloud", partner=org.partner_team.pk)
    assert client.post("/opportunities/registrations/new/", data).status_code == 302
    assert PartnerRegistration.objects.get().registered_by == org.manager


def test_anonymous_is_sent_to_login(client, customer):
    for path in ("/opportunities/registrations/new/", "/opportunities/registrations/1/"):
        response = client.get(path)
        assert response.status_code == 302 and "/login/" in response["Location"]


def _customers(org, n, start):
    return [
        make_account(org.rep, name=f"客户{start + i}", registration_number=f"9133{start + i:010d}")
        for i in range(n)
    ]


def test_page_query_counts_do_not_grow_with_registrations(org, web, django_assert_num_queries):
    client = web(org.partner)
    for account in _customers(org, 3, 0):
        registration_create(user=org.partner, account=account, products=products("cloud"))
    first = PartnerRegistration.objects.order_by("pk").first()
    client.get("/")  # warm the session
    pages = {
        "/": 6,  # session, user, roles, the registrations (+ conflict), their products, bell
        "/opportunities/registrations/": 7,
        f"/opportunities/registrations/{first.pk}/": 7,  # + the deals it became
        "/opportunities/registrations/new/": 6,
    }
    for url, expected in pages.items():
        with django_assert_num_queries(expected):
            assert client.get(url).status_code == 200
    for account in _customers(org, 12, 100):
        registration_create(
            user=org.partner, account=account, products=products("cloud", "software")
        )
    for url, expected in pages.items():
        with django_assert_num_queries(expected):
            assert client.get(url).status_code == 200
