"""Presets recognise realistic exports (Salesforce, HubSpot, a GB18030 Chinese CSV, XLSX)
and the imported records carry the values, links and history the services give them."""

from decimal import Decimal
from typing import Any

import pytest

from tests.dataio.helpers import imported
from wuwei.accounts.models import Account, AccountStatus, Industry
from wuwei.competitors.models import Competitor
from wuwei.dataio.models import ImportKind, RunStatus
from wuwei.opportunities.models import Opportunity
from wuwei.people.models import Activity, Contact

pytestmark = pytest.mark.django_db


def test_salesforce_report_accounts_contacts_and_deals(org: Any) -> None:
    # given Salesforce report and Data Loader exports
    accounts = imported(org.rep, ImportKind.ACCOUNTS, "salesforce_accounts.csv")
    contacts = imported(org.rep, ImportKind.CONTACTS, "salesforce_contacts.csv")
    deals = imported(org.rep, ImportKind.OPPORTUNITIES, "salesforce_opportunities.csv")
    # then the presets were detected and every row imported
    assert (accounts.preset, contacts.preset, deals.preset) == (
        "salesforce-accounts",
        "salesforce-contacts",
        "salesforce-opportunities",
    )
    assert [accounts.status, contacts.status, deals.status] == [RunStatus.DONE] * 3
    assert accounts.report["counts"] == {"create": 3, "update": 0, "unchanged": 0, "error": 0}
    spdb = Account.objects.get(name="Shanghai Pudong Development Bank Co., Ltd.")
    assert (spdb.industry, spdb.status, spdb.region, spdb.annual_revenue, spdb.employee_count) == (
        Industry.FINANCE,
        AccountStatus.CUSTOMER,
        "Shanghai",
        Decimal("1250000000.00"),
        55000,
    )
    assert spdb.owner == org.rep and spdb.team == org.east_ka
    assert spdb.name_normalized == "shanghaipudongdevelopmentbank"
    # contacts found their account by the Salesforce account id; Chinese names read 李伟
    assert sorted(Contact.objects.values_list("name", "account__name")) == [
        ("Wei Zhang", "Shanghai Pudong Development Bank Co., Ltd."),
        ("李伟", "Haier Group Corporation"),
    ]
    # deals found their account by name, were graded and start in stage 1
    deal = Opportunity.objects.get(name="SPDB core banking upgrade")
    assert (deal.account, deal.amount, str(deal.expected_close), deal.stage, deal.grade) == (
        spdb,
        Decimal("8500000.00"),
        "2027-03-31",
        "validate",
        deal.grade,
    )
    assert (
        deal.history.first().history_change_reason
        == f"import #{deals.pk} salesforce_opportunities.csv"
    )
    assert (
        spdb.history.get().history_change_reason == f"import #{accounts.pk} salesforce_accounts.csv"
    )


def test_hubspot_companies_contacts_and_deals(org: Any) -> None:
    runs = [
        imported(org.rep, ImportKind.ACCOUNTS, "hubspot_companies.csv"),
        imported(org.rep, ImportKind.CONTACTS, "hubspot_contacts.csv"),
        imported(org.rep, ImportKind.OPPORTUNITIES, "hubspot_deals.csv"),
    ]
    assert [run.preset for run in runs] == [
        "hubspot-companies",
        "hubspot-contacts",
        "hubspot-deals",
    ]
    assert [run.status for run in runs] == [RunStatus.DONE] * 3
    midea = Account.objects.get(name="Midea Group")
    assert (midea.status, midea.industry, midea.region) == (
        AccountStatus.CUSTOMER,
        Industry.RETAIL,
        "Foshan",
    )
    assert Contact.objects.get().account == midea
    assert set(Opportunity.objects.values_list("name", "account__name")) == {
        ("Midea data platform", "Midea Group"),
        ("BYD dealer portal", "BYD Company Limited"),
    }


def test_gb18030_chinese_export_then_contacts_xlsx_activities_and_competitors(org: Any) -> None:
    accounts = imported(org.rep, ImportKind.ACCOUNTS, "gb18030_accounts.csv")
    assert accounts.preset == "generic-accounts"
    assert accounts.status == RunStatus.DONE, accounts.report
    spdb = Account.objects.get(registration_number="9131000013221158XB")
    assert (spdb.name, spdb.industry, spdb.region, spdb.annual_revenue, spdb.notes) == (
        "上海浦东发展银行股份有限公司",
        Industry.FINANCE,
        "上海",
        Decimal("12500000000.00"),
        "重点客户（总行）",
    )
    assert Account.objects.get(registration_number="91440606722473344C").annual_revenue == (
        Decimal("12000000.00")
    )
    contacts = imported(org.rep, ImportKind.CONTACTS, "contacts_utf8_bom.csv")
    assert contacts.status == RunStatus.DONE, contacts.report
    assert sorted(spdb.contacts.values_list("name", "influence")) == [("刘强", 3), ("王芳", 5)]
    deals = imported(org.rep, ImportKind.OPPORTUNITIES, "opportunities.xlsx")
    assert deals.status == RunStatus.DONE, deals.report
    deal = Opportunity.objects.get(name="浦发银行数据中台")
    assert (deal.account, deal.amount, str(deal.expected_close)) == (
        spdb,
        Decimal("8500000.00"),
        "2027-03-31",
    )
    assert Opportunity.objects.get(name="美的供应链协同").amount == Decimal("1200000.50")
    activities = imported(org.rep, ImportKind.ACTIVITIES, "activities.csv")
    assert activities.status == RunStatus.DONE, activities.report
    call = Activity.objects.get(subject="Follow-up call")
    assert (call.kind, str(call.occurred_on)) == ("call", "2027-01-20")
    assert sorted(call.contacts.values_list("name", flat=True)) == ["刘强", "王芳"]
    assert Activity.objects.get(subject="Kick-off visit").kind == "visit"
    assert Contact.objects.get(name="王芳").activities.count() == 2
    competitors = imported(org.rep, ImportKind.COMPETITORS, "competitors.csv")
    assert competitors.status == RunStatus.DONE, competitors.report
    assert set(Competitor.objects.values_list("name", "headquarters")) == {
        ("Kingdee", "Shenzhen"),
        ("Yonyou", "Beijing"),
    }
