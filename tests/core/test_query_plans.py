"""Searches and a manager's rows can be answered from indexes on PostgreSQL (issue #17):
checked with EXPLAIN, the way they were checked at 200k deals (bench/README.md).

The test tables are tiny, where a sequential scan is always cheapest; so each condition is
planned on its own, with sequential and plain index scans switched off (`SET LOCAL`), which
leaves bitmap scans: PostgreSQL then reads every branch of the condition from an index (a
BitmapOr of index scans) when it can, and falls back to the disabled sequential scan when
one branch cannot use one (a join, a hashed subquery, a LIKE without a trigram index)."""

import pytest
from django.db import connection, transaction

from tests.factories import make_account, make_contact
from tests.opportunities.factories import make_opportunity
from wuwei.accounts.models import Account
from wuwei.accounts.selectors import account_search
from wuwei.core.visibility import visible
from wuwei.opportunities.models import Opportunity
from wuwei.opportunities.selectors import opportunity_search
from wuwei.people.models import Contact
from wuwei.people.selectors.contacts import contact_search

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="trigram indexes and plans: PostgreSQL"
)


def _plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def _scans(plan: str, table: str) -> list[str]:
    """How `plan` reads `table`: one line per scan of it."""
    return [line.strip() for line in plan.splitlines() if f" on {table} " in line + " "]


def _from_index(plan: str, table: str, index: str) -> None:
    scans = _scans(plan, table)
    assert scans, plan
    assert not any("Seq Scan" in s for s in scans), plan
    assert f"Bitmap Index Scan on {index}" in plan, plan


@pytest.fixture
def data(org):
    account = make_account(org.rep, team=org.east_ka, name="深圳华为技术有限公司")
    make_opportunity(org.rep, account, team=org.east_ka, name="Campus network")
    make_contact(account, "Zhang Wei", title="CIO", email="zw@example.cn")
    account.registration_number = "91440300"
    account.save(update_fields=["registration_number"])
    return account


@pytest.mark.parametrize("text", ["华为技术", "account 1", "HUAWEI", "91440300"])
def test_account_search_reads_the_trigram_index(data, text):
    _from_index(_plan(account_search(Account.objects.all(), text)), *ACCOUNTS)


def test_contact_search_reads_the_trigram_indexes(data):
    plan = _plan(contact_search(Contact.objects.all(), "华为"))
    _from_index(plan, "people_contact", "contact_search_trgm")
    # the account-name branch: the matching accounts' ids, then their contacts by index
    assert "Index Cond: (account_id = ANY ($0))" in plan, plan


def test_deal_search_reads_the_trigram_indexes(data):
    plan = _plan(opportunity_search(Opportunity.objects.all(), "campus"))
    _from_index(plan, "opportunities_opportunity", "opp_search_trgm")
    assert "Index Cond: (account_id = ANY ($0))" in plan, plan


ACCOUNTS = ("accounts_account", "account_search_trgm")


@pytest.mark.parametrize("model", [Opportunity, Account])
def test_a_managers_rows_come_from_the_owner_and_team_indexes(org, data, model):
    """`owner_id = me OR id = ANY(deal team) OR team_id IN (…) OR owner_id IN (…)`: a
    BitmapOr of index scans, so a manager's few thousand deals are read at 1M as at 20k,
    whatever else the list filters on."""
    plan = _plan(visible(model, org.manager_above))
    table = model._meta.db_table
    assert "BitmapOr" in plan, plan
    assert not any("Seq Scan" in s for s in _scans(plan, table)), plan
    assert "SubPlan" not in plan, plan
