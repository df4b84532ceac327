"""`make bench` cannot rot: the server runner (bench/server.py) starts `wuwei serve` on a
handful of rows, drives a few scenarios with 1 and 2 clients and reports them in the JSON and
Markdown shapes the README shows. Under a deadline; the server is always stopped."""

import json
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.core.processes import shared_database

pytestmark = pytest.mark.django_db(transaction=True)

DEADLINE = 120  # seconds; the run itself takes well under 30 s on an idle machine


@contextmanager
def deadline(seconds: int) -> Iterator[None]:
    def expired(signum: int, frame: object) -> None:
        raise TimeoutError(f"the server runner took over {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _competitors_on_the_first_deals(actors: object) -> None:
    """Two competitors, one the main threat, on the deals both clients submit questionnaires
    for: the submit must score them (§4.5) or it is refused with 422 (a bench bug, issue 17)."""
    from wuwei.competitors.models import Competitor
    from wuwei.opportunities.models import OpportunityCompetitor

    rivals = [Competitor.objects.create(name=f"Rival <{n}>") for n in (1, 2)]
    for deal in actors.deals["rep"][:2]:  # type: ignore[attr-defined]
        for rival in rivals:
            OpportunityCompetitor.objects.create(
                opportunity_id=deal, competitor=rival, is_primary=rival is rivals[0]
            )


def test_the_server_runner_measures_scenarios_and_writes_json_and_markdown(tmp_path: Path):
    from bench import server, serverdata

    serverdata.build(60)
    _competitors_on_the_first_deals(serverdata.actors())
    only = "trivial,opportunity list p1 · rep,opportunity update · rep,questionnaire submit"
    args = server.parse(
        [
            *("--scale", "60", "--requests", "3", "--seconds", "5", "--clients", "1,2"),
            *("--only", only, "--out", str(tmp_path / "results")),
        ]
    )
    var = tmp_path / "var"
    var.mkdir()
    with shared_database(tmp_path) as url, deadline(DEADLINE):
        report = server.run(args, url, str(var), build=False)
    json_path, md_path = server.write(report, args.out)

    data = json.loads(json_path.read_text())
    rows = {(r["scenario"], r["clients"]): r for r in data["results"]}
    assert set(rows) == {
        (name, clients)
        for name in (
            "trivial JSON view (/healthz)",
            "opportunity list p1 · rep",
            "opportunity update · rep",
            "questionnaire submit · rep",
        )
        for clients in (1, 2)
    }
    for row in rows.values():
        assert row["requests"] == 3 and row["errors"] == 0, row
        assert row["rps"] > 0 and 0 < row["p50"] <= row["p95"] <= row["p99"]
    assert data["scale"] == 60 and data["workers"] == 2 and data["floor_ms"] > 0
    if data["database"] == "postgresql":  # the endpoint's own SQL, replayed through psycopg
        listed = rows[("opportunity list p1 · rep", 1)]
        assert listed["sql_ms"] > 0 and listed["floor_ratio"] > 0
    table = md_path.read_text()
    assert "| scenario | c | req/s | p50 ms | p95 ms | p99 ms |" in table
    assert "| opportunity update · rep | 2 |" in table
    assert "shared machine" in table
