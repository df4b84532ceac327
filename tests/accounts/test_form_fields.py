"""Forms for people, not developers (issue 16 item 10): custom fields as typed inputs built
from their definitions, owner pickers offering sales people first, the KA profile consistent with
the segment, and the presales pages with the app's styled controls."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_account, make_user
from wuwei.accounts.models import Account, AccountFieldDefinition, FieldKind
from wuwei.core import services as core_services
from wuwei.org.models import Role


@pytest.fixture
def definitions(org):
    rows = [
        ("erp", "Current ERP", "现用 ERP", FieldKind.TEXT, []),
        ("it_budget", "IT budget (CNY)", "IT 预算（元）", FieldKind.NUMBER, []),
        ("renewal", "Contract renewal", "合同续约日", FieldKind.DATE, []),
        ("listed", "Listed company", "上市公司", FieldKind.YES_NO, []),
        ("tier", "Customer tier", "客户层级", FieldKind.CHOICE, ["Gold", "Silver"]),
    ]
    return [
        core_services.save_new(
            AccountFieldDefinition(
                key=key, label_en=en, label_zh=zh, kind=kind, choices=choices, position=n
            ),
            user=org.admin,
        )
        for n, (key, en, zh, kind, choices) in enumerate(rows)
    ]


def _form(org, **extra):
    return {
        "name": "Harbour Logistics",
        "industry": "it",
        "segment": "SMB",
        "status": "prospect",
        "owner": org.rep.pk,
        "hq_scope": "local",
        **extra,
    }


def test_custom_fields_are_typed_inputs_from_their_definitions(org, web, definitions):
    html = web(org.rep).get("/accounts/new/").content.decode()
    assert "Custom fields (JSON)" not in html and '<textarea name="custom_fields"' not in html
    assert 'name="cf_erp"' in html and "Current ERP" in html
    assert 'type="number" name="cf_it_budget"' in html
    assert 'type="date" name="cf_renewal"' in html
    assert '<select name="cf_tier"' in html and ">Gold</option>" in html
    assert '<select name="cf_listed"' in html


def test_custom_field_values_are_stored_typed_and_others_kept(org, web, definitions):
    account = make_account(org.rep, name="Harbour Logistics")
    Account.objects.filter(pk=account.pk).update(custom_fields={"crm_id": "SF-7", "erp": "Old"})
    client = web(org.rep)
    page = client.get(f"/accounts/{account.pk}/edit/").content.decode()
    assert 'value="Old"' in page and "crm_id" in page  # the imported key is shown, kept
    form = _form(
        org,
        version=1,
        cf_erp=" SAP S/4 ",
        cf_it_budget="1200000",
        cf_renewal="2027-03-31",
        cf_listed="yes",
        cf_tier="Gold",
    )
    assert client.post(f"/accounts/{account.pk}/edit/", form).status_code == 302
    account.refresh_from_db()
    assert account.custom_fields == {
        "crm_id": "SF-7",
        "erp": "SAP S/4",
        "it_budget": 1200000,
        "renewal": "2027-03-31",
        "listed": True,
        "tier": "Gold",
    }
    overview = client.get(f"/accounts/{account.pk}/?tab=overview").content.decode()
    assert "IT budget (CNY)" in overview and "Contract renewal" in overview
    # clearing a field drops its key; a wrong type is refused on the field, nothing saved
    bad = client.post(
        f"/accounts/{account.pk}/edit/", {**form, "version": 2, "cf_it_budget": "lots"}
    )
    assert bad.status_code == 200 and "Enter a number." in bad.content.decode()
    client.post(f"/accounts/{account.pk}/edit/", {**form, "version": 2, "cf_tier": ""})
    account.refresh_from_db()
    assert "tier" not in account.custom_fields and account.version == 3


def test_a_required_custom_field_must_be_filled(org, web, definitions):
    AccountFieldDefinition.objects.filter(key="erp").update(is_required=True)
    response = web(org.rep).post("/accounts/new/", _form(org))
    assert response.status_code == 200 and not Account.objects.exists()


def test_owner_pickers_offer_sales_people_first(org, web):
    make_user("aaron_presales", roles=[Role.PRESALES], team=org.east_ka)
    html = web(org.rep).get("/accounts/new/").content.decode()
    owner = html[html.index('name="owner"') :]
    owner = owner[: owner.index("</select>")]
    sales, others = owner.index('label="Sales"'), owner.index('label="Others"')
    assert sales < others
    assert sales < owner.index(">rep<") < others  # a rep among sales people
    assert owner.index(">aaron_presales<") > others  # presales among the others
    deal_form = web(org.rep).get("/opportunities/new/").content.decode()
    assert 'optgroup label="Sales"' in deal_form


@pytest.mark.parametrize(
    ("segment", "ka_type", "error"),
    [
        ("SMB", "national", "An SMB account has no KA profile"),
        ("KA", "none", "A key account needs a KA profile"),
    ],
)
def test_ka_type_must_match_the_segment(org, web, segment, ka_type, error):
    response = web(org.rep).post(
        "/accounts/new/", _form(org, segment=segment, ka_type=ka_type, ka_type_reason="Known")
    )
    assert response.status_code == 200 and error in response.content.decode()
    assert not Account.objects.exists()


def test_ka_type_override_from_the_form_needs_a_reason_and_is_kept(org, web):
    client = web(org.rep)
    refused = client.post("/accounts/new/", _form(org, segment="KA", ka_type="national"))
    assert "Say why the KA profile is set by hand." in refused.content.decode()
    client.post(
        "/accounts/new/",
        _form(org, segment="KA", ka_type="national", ka_type_reason="Top-500 group"),
    )
    account = Account.objects.get()
    assert (account.ka_profile, account.ka_profile_overridden) == ("national", True)
    assert account.ka_profile_override_reason == "Top-500 group"
    page = client.get(f"/accounts/{account.pk}/edit/").content.decode()
    assert 'value="national" selected data-segments="KA"' in page
    assert 'src="/static/accounts/account_form.js"' in page
    # back to automatic
    client.post(
        f"/accounts/{account.pk}/edit/",
        _form(org, segment="KA", ka_type="", version=account.version),
    )
    account.refresh_from_db()
    assert account.ka_profile_overridden is False


def test_account_form_queries_do_not_grow_with_definitions(org, web, definitions):
    client = web(org.rep)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/accounts/new/").status_code == 200
        return len(queries)

    first = count()
    for n in range(5):
        core_services.save_new(
            AccountFieldDefinition(key=f"extra{n}", label_en="X", label_zh="X", kind="text"),
            user=org.admin,
        )
        make_user(f"seller{n}", roles=[Role.REP], team=org.east_ka)
    assert count() == first


def test_partner_gets_no_definitions(org, definitions):
    from wuwei.accounts.selectors import custom_field_definitions

    assert custom_field_definitions(user=org.partner) == []
    assert len(custom_field_definitions(user=org.rep)) == 5
