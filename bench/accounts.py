"""Account and contact lists at scale: first page, a deep keyset page, search, count."""

import random

from django.db import connection
from django.test import Client

from bench.common import Result, median_ms, timed
from wuwei.accounts.models import Account
from wuwei.org.models import Role, TeamKind, User
from wuwei.org.services import team_create, user_create
from wuwei.org.tokens import token_create
from wuwei.people.models import Contact

INDUSTRIES = ["it", "finance", "energy", "manufacturing", "government", "retail"]


def _organisation() -> tuple[User, list[User]]:
    company = team_create(user=None, name="Bench Co", kind=TeamKind.COMPANY)
    teams = [
        team_create(user=None, name=f"Sales {i}", kind=TeamKind.SALES, parent=company)
        for i in range(10)
    ]
    reps = [
        user_create(username=f"bench_rep{i}", password=None, roles=[Role.REP], team=teams[i % 10])
        for i in range(100)
    ]
    manager = user_create(
        username="bench_manager", password=None, roles=[Role.MANAGER], team=teams[0]
    )
    return manager, reps


def _generate(scale: int, reps: list[User]) -> None:
    rng = random.Random(1)
    batch: list[Account] = []
    for i in range(scale):
        owner = reps[i % len(reps)]
        name = f"Company {i:07d} {rng.choice(['Tech', 'Energy', 'Bank', 'Logistics'])} Ltd"
        batch.append(
            Account(
                name=name,
                name_normalized=name.lower(),
                owner=owner,
                team_id=owner.team_id,
                industry=rng.choice(INDUSTRIES),
            )
        )
        if len(batch) == 5000:
            Account.objects.bulk_create(batch)
            batch = []
    Account.objects.bulk_create(batch)
    account_ids = list(Account.objects.values_list("id", flat=True)[: scale // 10])
    Contact.objects.bulk_create(
        [Contact(account_id=a, name=f"Person {a}-{k}") for a in account_ids for k in range(3)],
        batch_size=5000,
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def run(scale: int) -> list[Result]:
    manager, reps = _organisation()
    _, seconds = timed(lambda: _generate(scale, reps))
    _token, raw = token_create(user=manager)
    client = Client(headers={"Authorization": f"Bearer {raw}"}, SERVER_NAME="localhost")

    def get(params: dict[str, str]) -> dict:
        response = client.get("/api/v1/accounts", params)
        assert response.status_code == 200, response.content
        return response.json()

    deep_cursor = get({"limit": "500"})["next"]
    for _ in range(5):
        deep_cursor = get({"limit": "500", "cursor": deep_cursor})["next"] or deep_cursor
    return [
        Result("generate accounts (bulk)", scale / seconds, "rows/s"),
        Result(
            "API /accounts first page (50), manager scope",
            median_ms(lambda: get({})),
            "ms",
            target=150,
        ),
        Result(
            "API /accounts page after 3,000 rows (keyset)",
            median_ms(lambda: get({"cursor": deep_cursor})),
            "ms",
            target=150,
        ),
        Result(
            "API /accounts?industry=finance",
            median_ms(lambda: get({"industry": "finance"})),
            "ms",
            target=150,
        ),
        Result(
            "API /accounts?q=company 00123",
            median_ms(lambda: get({"q": "company 00123"})),
            "ms",
            target=1500,
        ),
        Result(
            "API /accounts?count=true", median_ms(lambda: get({"count": "true"})), "ms", target=500
        ),
        Result(
            "API /contacts first page",
            median_ms(lambda: client.get("/api/v1/contacts").json()),
            "ms",
            target=150,
        ),
    ]
