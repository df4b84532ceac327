"""SQL statements per API read and write of one deal (issue #17): no SELECT 1 per foreign key
already read, the row read once (locked) by an edit or a stage move, only changed columns
saved, no token queries, answers read as one values() row, and no method-configuration read
where the configuration is cached."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings

from tests.factories import make_account
from tests.opportunities.factories import make_opportunity
from wuwei.core.config import method_config, method_config_update
from wuwei.methodology.config import MethodConfig

DEAL_TABLE = '"opportunities_opportunity"'


def _statements(action, status=(200, 201)):
    with CaptureQueriesContext(connection) as captured:
        response = action()
    assert response.status_code in status, response.json()
    return [q["sql"] for q in captured.captured_queries]


def _work(statements):
    """The statements that read or write rows (savepoints left out: the test's own
    transaction turns the request's transaction into one)."""
    return [sql for sql in statements if "SAVEPOINT" not in sql]


def _warm(org, api):
    account = make_account(org.rep)
    make_opportunity(org.rep, account)  # the token cache warms up
    client = api(org.rep)
    client.get("/me")
    client.post("/opportunities", {"account": account.pk, "name": "Warm"})
    return account, client


def _no_model_graph(statements):
    """No statement reads whole users (password hash and all) or whole accounts."""
    assert not [sql for sql in statements if '"org_user"."password"' in sql]
    assert not [sql for sql in statements if '"accounts_account"."name_normalized"' in sql[:600]]


def _read_once_locked(statements):
    """Before the write the deal's row is read once, locked; the answer reads it as a row."""
    write = next(i for i, sql in enumerate(statements) if sql.startswith(f"UPDATE {DEAL_TABLE}"))
    reads = [sql for sql in statements[:write] if sql.startswith(f"SELECT {DEAL_TABLE}")]
    assert len(reads) == 1, reads
    if connection.features.has_select_for_update:
        assert "FOR UPDATE" in reads[0]
    assert statements[-2].startswith(f"SELECT {DEAL_TABLE}") and "account__name" in statements[-2]


def test_create_update_and_stage_move_statements(org, api):
    account, client = _warm(org, api)

    created = _statements(
        lambda: client.post("/opportunities", {"account": account.pk, "name": "Deal"})
    )
    assert not [sql for sql in created if 'SELECT 1 AS "a"' in sql.replace("%s", "1")]
    assert not [sql for sql in created if "org_apitoken" in sql or "org_userrole" in sql]
    assert not [sql for sql in created if '"org_team"' in sql]  # the ownership check: ids
    # 21 statements before issue #17, 10 before this work, 9 before the stage owner was one
    # INSERT … ON CONFLICT DO NOTHING
    assert len(_work(created)) == 8
    _no_model_graph(created[-2:])  # the answer: the deal's row and its product codes

    deal = client.get("/opportunities", {"limit": 1, "sort": "-created_at"}).json()["items"][0]
    updated = _statements(
        lambda: client.patch(
            f"/opportunities/{deal['id']}", {"amount": "250000", "version": deal["version"]}
        )
    )
    update = [sql for sql in updated if sql.startswith("UPDATE")]
    assert len(update) == 1 and '"created_at"' not in update[0] and '"amount"' in update[0]
    _read_once_locked(updated)
    assert len(_work(updated)) == 6  # 18 statements before issue #17, 8 before this work
    _no_model_graph(updated)

    moved = _statements(
        lambda: client.post(
            f"/opportunities/{deal['id']}/stage",
            {"to": "lost", "reason": "budget", "version": deal["version"] + 1},
        )
    )
    deal_updates = [sql for sql in moved if sql.startswith(f"UPDATE {DEAL_TABLE}")]
    assert len(deal_updates) == 1 and '"created_at"' not in deal_updates[0]
    _read_once_locked(moved)
    _no_model_graph(moved[-2:])


@pytest.mark.parametrize("who", ["rep", "partner"])
def test_detail_is_two_statements_whatever_the_deal_holds(org, api, who):
    """One values() row through visibility and one query for the product codes, for a deal
    with no product and one with many, for staff and for a partner user."""
    account = make_account(org.rep)
    led = {"partner": org.partner_team}  # partner-led: the partner user sees them too
    plain = make_opportunity(org.rep, account, name="Plain <b>", **led)
    full = make_opportunity(
        org.rep, account, name="Full", products=["data", "security", "cloud"], **led
    )
    client = api(getattr(org, who))
    client.get("/me")
    for deal in (plain, full):
        shown = _statements(lambda deal=deal: client.get(f"/opportunities/{deal.pk}"))
        assert len(shown) == 2, shown
        _no_model_graph(shown)


def _lower_b_min(admin):
    data = MethodConfig().to_dict()
    data["opportunity_grade"]["b_min"] = "500000"
    method_config_update(user=admin, data=data, expected_version=None)


@override_settings(WUWEI_CONFIG_CACHE=True)
def test_cached_method_configuration_is_read_once_and_follows_every_change(
    org, api, django_capture_on_commit_callbacks
):
    from django.core.cache import cache

    from wuwei.core import config

    account, client = _warm(org, api)
    deal = {"account": account.pk, "name": "Cached", "amount": "600000"}
    created = _statements(lambda: client.post("/opportunities", deal))
    assert not [sql for sql in created if "core_methodsettings" in sql]
    assert created and client.post("/opportunities", deal).json()["grade"] == "C"

    with django_capture_on_commit_callbacks(execute=True):
        _lower_b_min(org.admin)
        # the changing transaction reads its own change, never the cached row
        assert client.post("/opportunities", deal).json()["grade"] == "B"
    config._changing.flag = False  # any other request: the change is committed (and cached)
    assert client.post("/opportunities", deal).json()["grade"] == "B"
    assert cache.get(config.CACHE_KEY)["data"]["opportunity_grade"]["b_min"] == "500000"


@override_settings(WUWEI_CONFIG_CACHE=True)
def test_a_row_cached_while_the_configuration_changed_is_not_served(
    org, django_capture_on_commit_callbacks
):
    """Another process read the old row while the change was being made and cached it under
    the stamp of that moment: the commit's new stamp makes that entry worthless."""
    from django.core.cache import cache

    from wuwei.core import config

    assert method_config() == MethodConfig()  # cached under the first stamp
    with django_capture_on_commit_callbacks(execute=True):
        _lower_b_min(org.admin)
        stale = {"stamp": cache.get(config.STAMP_KEY), "data": config._NOTHING}
        cache.set(config.CACHE_KEY, stale)  # what the other process cached: the defaults
    config._changing.flag = False  # read as that other process would
    assert method_config().opportunity_grade.b_min == 500000


def test_per_process_cache_reads_the_row_every_time(org):
    """Without a cache every process shares, each call reads the row: a change made in
    another process is seen at once."""
    from wuwei.core.models import MethodSettings

    with CaptureQueriesContext(connection) as captured:
        method_config()
        method_config()
    assert len(captured.captured_queries) == 2
    data = MethodConfig().to_dict()
    data["opportunity_grade"]["b_min"] = "500000"
    MethodSettings.objects.create(pk=1, data=data)
    assert method_config().opportunity_grade.b_min == 500000


def test_shared_row_querysets_never_hold_rows(org, api):
    """The deal rows' and product codes' querysets are set up once per process and only
    chained (`selectors._rows`, `_product_links`): after reads and writes through them, and
    a change seen by the next read, they hold no rows."""
    from wuwei.opportunities import selectors
    from wuwei.opportunities.api.deals import _ROW_COLUMNS

    account, client = _warm(org, api)
    created = client.post("/opportunities", {"account": account.pk, "name": "Shared"}).json()
    assert client.get("/opportunities").status_code == 200
    path = f"/opportunities/{created['id']}"
    client.patch(path, {"name": "Shared 2", "version": created["version"]})
    assert client.get(path).json()["name"] == "Shared 2"
    assert selectors._rows(_ROW_COLUMNS)._result_cache is None
    assert selectors._product_links()._result_cache is None
