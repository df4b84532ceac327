"""SQL statements per API write (issue #17): no SELECT 1 per foreign key already read, no
method-configuration read per write, only changed columns saved, no token queries."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_account
from tests.opportunities.factories import make_opportunity


def _statements(action):
    with CaptureQueriesContext(connection) as captured:
        response = action()
    assert response.status_code in {200, 201}, response.json()
    return [q["sql"] for q in captured.captured_queries]


def test_create_update_and_stage_move_statements(org, api):
    account = make_account(org.rep)
    make_opportunity(org.rep, account)  # the configuration and token caches warm up
    client = api(org.rep)
    client.get("/me")
    client.post("/opportunities", {"account": account.pk, "name": "Warm"})

    created = _statements(
        lambda: client.post("/opportunities", {"account": account.pk, "name": "Deal"})
    )
    assert not [sql for sql in created if 'SELECT 1 AS "a"' in sql.replace("%s", "1")]
    assert not [sql for sql in created if "org_apitoken" in sql or "org_userrole" in sql]
    assert len(created) <= 16  # 21 before (issue #17)

    deal = client.get("/opportunities", {"limit": 1, "sort": "-created_at"}).json()["items"][0]
    updated = _statements(
        lambda: client.patch(
            f"/opportunities/{deal['id']}", {"amount": "250000", "version": deal["version"]}
        )
    )
    update = [sql for sql in updated if sql.startswith("UPDATE")]
    assert len(update) == 1 and '"created_at"' not in update[0] and '"amount"' in update[0]
    assert len(updated) <= 12  # 18 before

    moved = _statements(
        lambda: client.post(
            f"/opportunities/{deal['id']}/stage",
            {"to": "lost", "reason": "budget", "version": deal["version"] + 1},
        )
    )
    deal_updates = [sql for sql in moved if sql.startswith('UPDATE "opportunities_opportunity"')]
    assert len(deal_updates) == 1 and '"created_at"' not in deal_updates[0]
