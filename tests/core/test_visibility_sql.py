"""The visibility rules of deals and accounts stay index-friendly (issue #17): comparisons of
the row's own indexed columns with constants and id subqueries, no join to users or teams and
no EXISTS correlated to each row; the same rows as before and the same number of queries."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_account, make_user
from tests.opportunities.factories import make_opportunity
from wuwei.accounts.models import Account
from wuwei.core.visibility import visible
from wuwei.opportunities.models import Opportunity


def _where(model, user) -> tuple[str, str]:
    sql = str(visible(model, user).query)
    return sql, sql.partition(" WHERE ")[2]


@pytest.mark.parametrize("model", [Opportunity, Account])
@pytest.mark.parametrize(
    "viewer", ["rep", "peer_rep", "manager", "manager_above", "other_manager", "presales"]
)
def test_visible_has_no_join_and_no_correlated_subquery(org, model, viewer):
    sql, where = _where(model, getattr(org, viewer))
    table = model._meta.db_table
    assert "JOIN" not in sql.partition(" WHERE ")[0]
    # (presales' grant joins their assignments to requests inside its own id subquery)
    assert "JOIN" not in where or viewer == "presales"
    assert "EXISTS" not in sql
    # every mention of the row in the condition is a plain indexed comparison of one of its
    # columns with a constant or an id subquery — nothing inside a subquery points back at it
    mentions = re.findall(rf'"{table}"\."\w+"', where)
    plain = re.findall(
        rf'"{table}"\."\w+" (?:= \d+|= ANY\(ARRAY\(SELECT|IN \(SELECT|IN \([\d, ]+\))', where
    )
    assert mentions and len(plain) == len(mentions), where


@pytest.mark.parametrize("model", [Opportunity, Account])
@pytest.mark.parametrize("viewer", ["rep", "manager"])
def test_manager_adds_the_subtree_by_team_ids_and_people_ids(org, model, viewer):
    _, where = _where(model, getattr(org, viewer))
    # looked up by index: `= ANY(ARRAY(SELECT …))` on PostgreSQL (core.visibility.InIds)
    subtree = (rf'"{column}" (?:IN \(|= ANY\(ARRAY\()SELECT' for column in ("team_id", "owner_id"))
    assert all(re.search(s, where) for s in subtree) is (viewer == "manager")
    assert ("LIKE" in where) is (viewer == "manager")


def test_a_change_of_the_organisation_is_seen_at_once(org):
    account = make_account(org.rep, team=org.east_ka)
    assert not visible(Opportunity, org.manager).exists()
    newcomer = make_user("newcomer", team=org.east_ka)
    deal = make_opportunity(newcomer, account, team=org.north_ka, by=org.admin)
    assert list(visible(Opportunity, org.manager)) == [deal]  # owned in the subtree
    newcomer.team = org.north_ka
    newcomer.save(update_fields=["team"])
    assert not visible(Opportunity, org.manager).exists()


@pytest.mark.parametrize("model", [Opportunity, Account])
def test_seeing_everything_adds_no_condition(org, model):
    assert "WHERE" not in str(visible(model, org.executive).query)
    assert "WHERE" not in str(visible(model, org.admin).query)


def test_union_branches_each_find_their_rows(org):
    account = make_account(org.rep, team=org.east_ka)
    owned = make_opportunity(org.rep, account, team=org.east_ka)
    member = make_opportunity(org.peer_rep, account, team=org.east_ka)
    member.members.add(org.other_manager)
    seen = set(visible(Opportunity, org.other_manager).values_list("pk", flat=True))
    assert seen == {member.pk}
    # the same deal found by several branches comes back once
    owned.members.add(org.rep)
    assert list(visible(Opportunity, org.rep).filter(pk=owned.pk)) == [owned]
    assert visible(Opportunity, org.manager).filter(pk=owned.pk).count() == 1
    # and the condition composes: counts, exclusions and further filters stay right
    assert visible(Opportunity, org.manager_above).count() == 2
    assert visible(Opportunity, org.other_manager).exclude(pk=member.pk).count() == 0


def _list_queries(api, user) -> int:
    client = api(user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/opportunities").status_code == 200
    return len(queries)


@pytest.mark.parametrize("viewer", ["rep", "manager"])
def test_opportunity_list_query_count_is_unchanged(org, api, viewer):
    account = make_account(org.rep, team=org.east_ka)
    make_opportunity(org.rep, account, team=org.east_ka)
    user = getattr(org, viewer)
    first = _list_queries(api, user)
    for _ in range(3):
        make_opportunity(org.rep, account, team=org.east_ka)
    # the count measured before the rewrite (main at d4dbec6), and no more with more rows
    assert first == LIST_QUERIES
    assert _list_queries(api, user) == LIST_QUERIES


LIST_QUERIES = 5
