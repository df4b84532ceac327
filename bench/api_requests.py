"""The request path of the opportunity API in-process (issue #17 item 4): SQL statements and
milliseconds per token-authenticated request through the Django test client — list, detail,
create, update and stage move — for a manager and a rep. Not the server benchmark (that is
`make bench`): this isolates what our code does per request, with no HTTP server around it.
"""

import itertools
import os
import statistics
import time
from collections.abc import Callable
from typing import Any

from django.db import connection
from django.test import Client

from bench.common import Result
from bench.opportunities import _generate, _org
from wuwei.opportunities.models import Opportunity
from wuwei.org.models import User
from wuwei.org.tokens import token_create

REPEAT = 15


def _client(user: User) -> tuple[Client, dict[str, str]]:
    _token, raw = token_create(user=user)
    return Client(SERVER_NAME="localhost"), {"Authorization": f"Bearer {raw}"}


def _measure(action: Callable[[], Any], repeat: int = REPEAT) -> tuple[int, float]:
    """(statements of one run, median ms of `repeat` runs after a warm-up)."""
    action()
    statements = []

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        action()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    if os.environ.get("BENCH_SQL"):
        print("\n".join(f"    {sql[:220]}" for sql in statements))
    return len(statements), statistics.median(samples)


def _scenarios(user: User, who: str) -> list[Result]:
    client, headers = _client(user)
    first = Opportunity.objects.filter(owner=user).order_by("pk").first() or (
        Opportunity.objects.filter(team__path__startswith=user.team.path).order_by("pk").first()
    )
    assert first is not None
    account_id = first.account_id
    counter = itertools.count()

    def call(method: str, path: str, data: Any = None, status: int = 200) -> Any:
        kwargs: dict[str, Any] = {"headers": headers}
        if data is not None:
            kwargs["data"] = data
            kwargs["content_type"] = "application/json"
        response = getattr(client, method)(path, **kwargs)
        assert response.status_code == status, (path, response.status_code, response.content)
        return response.json()

    def create() -> Any:
        return call(
            "post",
            "/api/v1/opportunities",
            {"account": account_id, "name": f"Bench {next(counter)}", "amount": "120000"},
            201,
        )

    target = create()

    def update() -> Any:
        nonlocal target
        target = call(
            "patch",
            f"/api/v1/opportunities/{target['id']}",
            {"amount": str(100000 + next(counter)), "version": target["version"]},
        )
        return target

    def stage_move() -> Any:
        nonlocal target
        # validate → lost → (a fresh deal each time: a closed deal does not move again)
        target = create()
        return call(
            "post",
            f"/api/v1/opportunities/{target['id']}/stage",
            {"to": "lost", "reason": "bench", "version": target["version"]},
        )

    scenarios: list[tuple[str, Callable[[], Any]]] = [
        ("list p1 (50)", lambda: call("get", "/api/v1/opportunities?limit=50")),
        ("detail", lambda: call("get", f"/api/v1/opportunities/{first.pk}")),
        ("create", create),
        ("update", update),
        ("create + stage move", stage_move),
    ]
    results = []
    for name, action in scenarios:
        statements, ms = _measure(action)
        results.append(Result(f"{who}: {name} statements", statements, "SQL"))
        results.append(Result(f"{who}: {name}", ms, "ms"))
    return results


def run(scale: int) -> list[Result]:
    org = _org()
    _generate(scale, org)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return _scenarios(org["manager"], "manager") + _scenarios(org["reps"][0], "rep")
