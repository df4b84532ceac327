"""Server benchmarks (issue 17): every scenario over loopback against `wuwei serve` with
production settings (DEBUG off, gunicorn 2 workers × 4 threads), with 1 and 8 concurrent
clients, reporting req/s and p50/p95/p99 and three ratios:

- floor ratio = endpoint p50 / (p50 of a trivial JSON view in the same server + p50 of the
  endpoint's own SQL replayed directly through psycopg). The trivial view is the existing
  `/healthz` (no new endpoint ships); the SQL is captured by running the endpoint once
  in-process inside a transaction that is rolled back, then replayed (also rolled back);
- scale ratio = p50 here ÷ p50 of an earlier result file at another size (`--baseline`);
- peer ratio = our req/s ÷ BottleCRM's on list, detail, create and update (`--peer URL`,
  bench/peer/), alternating rounds with ours.

    python -m bench server --scale 20000              # builds wuwei_bench_server_20000 once
    python -m bench server --database postgres://…/wuwei_scale_1m --baseline bench/results/…

Results: bench/results/server-<scale>-<time>.json and .md (and server-<scale>-latest.*).
The server is started with a deadline and always stopped in `finally`; its output goes to a
log file, never a pipe.
"""

import argparse
import contextlib
import http.client
import itertools
import json
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

RESULTS = Path(__file__).parent / "results"
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432"
START_DEADLINE = 180.0  # seconds for `serve` to migrate, collect static files and answer
REQUEST_TIMEOUT = 120.0


# ----------------------------------------------------------------------------------------
# the load driver


@dataclass
class Request:
    method: str
    path: str
    body: dict[str, Any] | None = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Sample:
    seconds: float
    status: int
    body: bytes


@dataclass
class Measured:
    scenario: str
    clients: int
    requests: int
    errors: int
    rps: float
    p50: float
    p95: float
    p99: float
    bytes: int
    statuses: dict[str, int]
    first_error: str = ""  # the body of the first answer ≥ 400, cut short


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


class Driver:
    """Threads with one keep-alive http.client connection each; a fixed request count and a
    time box, whichever ends first."""

    def __init__(self, port: int) -> None:
        self.port = port

    def one(self, conn: http.client.HTTPConnection | None, request: Request) -> tuple[Any, Sample]:
        body = json.dumps(request.body).encode() if request.body is not None else None
        headers = {"Host": "localhost", **request.headers}
        if body is not None:
            headers["Content-Type"] = "application/json"
        for attempt in range(2):
            if conn is None:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=REQUEST_TIMEOUT)
            start = time.perf_counter()
            try:
                conn.request(request.method, request.path, body=body, headers=headers)
                response = conn.getresponse()
                data = response.read()
            except (http.client.HTTPException, OSError):
                conn.close()
                conn = None
                if attempt:
                    raise
                continue
            elapsed = time.perf_counter() - start
            if response.getheader("Connection", "").lower() == "close":
                conn.close()
                conn = None
            return conn, Sample(elapsed, response.status, data)
        raise AssertionError("unreachable")

    def run(
        self,
        name: str,
        make: Callable[[int, int], Request],
        clients: int,
        requests: int,
        seconds: float,
        after: Callable[[int, Sample], None] | None = None,
    ) -> Measured:
        lock = threading.Lock()
        issued = [0]
        samples: list[Sample] = []
        deadline = time.perf_counter() + seconds
        failures: list[BaseException] = []

        def client(index: int) -> None:
            conn = None
            try:
                while True:
                    with lock:
                        if issued[0] >= requests or time.perf_counter() > deadline:
                            break
                        seq = issued[0]
                        issued[0] += 1
                    conn, sample = self.one(conn, make(index, seq))
                    if after is not None:
                        after(index, sample)
                    with lock:
                        samples.append(sample)
            except BaseException as exc:
                failures.append(exc)
            finally:
                if conn is not None:
                    conn.close()

        threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
        start = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(seconds + REQUEST_TIMEOUT + 10)
        wall = time.perf_counter() - start
        if failures:
            raise RuntimeError(f"{name}: {failures[0]!r}")
        ms = [s.seconds * 1000 for s in samples]
        statuses: dict[str, int] = {}
        for s in samples:
            statuses[str(s.status)] = statuses.get(str(s.status), 0) + 1
        return Measured(
            scenario=name,
            clients=clients,
            requests=len(samples),
            errors=sum(1 for s in samples if s.status >= 400),
            rps=len(samples) / wall if wall else 0.0,
            p50=_percentile(ms, 50),
            p95=_percentile(ms, 95),
            p99=_percentile(ms, 99),
            bytes=round(statistics.mean(len(s.body) for s in samples)) if samples else 0,
            statuses=statuses,
            first_error=next(
                (
                    f"{s.status} {s.body[:300].decode(errors='replace')}"
                    for s in samples
                    if s.status >= 400
                ),
                "",
            ),
        )


# ----------------------------------------------------------------------------------------
# the server


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def server_env(database_url: str, var: str) -> dict[str, str]:
    env = dict(os.environ)
    src = str(Path(__file__).resolve().parent.parent / "src")
    env.update(
        DATABASE_URL=database_url,
        DEBUG="0",
        WUWEI_TESTING="0",
        WUWEI_VAR=var,
        DJANGO_SETTINGS_MODULE="wuwei.settings",
        PYTHONPATH=os.pathsep.join(p for p in (src, env.get("PYTHONPATH", "")) if p),
        # A benchmark is one client hammering: throttles would measure themselves.
        WUWEI_RATE_API="0",
        WUWEI_RATE_TOKEN="0",
        WUWEI_REQUIRE_2FA="0",
        WUWEI_SCHEDULER="0",
        ALLOWED_HOSTS="127.0.0.1,localhost",
    )
    return env


class Server:
    """`wuwei serve` in its own process group, output to a file; stopped in `stop()`."""

    def __init__(self, database_url: str, var: str, workers: int = 2) -> None:
        self.port = free_port()
        self.var = var
        self.log = Path(var) / "serve.log"
        self.env = server_env(database_url, var)
        self.workers = workers
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, deadline: float = START_DEADLINE) -> None:
        command = [
            sys.executable,
            "-m",
            "wuwei.cli",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--workers",
            str(self.workers),
            "--job-workers",
            "0",
        ]
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(
                command,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        until = time.monotonic() + deadline
        while time.monotonic() < until:
            if self.process.poll() is not None:
                raise RuntimeError(f"wuwei serve exited ({self.process.returncode}): {self.tail()}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", "/healthz", headers={"Host": "localhost"})
                if conn.getresponse().status == 200:
                    conn.close()
                    return
                conn.close()
            except OSError:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"wuwei serve did not answer within {deadline:.0f} s: {self.tail()}")

    def tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def stop(self) -> None:
        process = self.process
        if process is None or process.poll() is not None:
            return
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(20)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)


# ----------------------------------------------------------------------------------------
# scenarios


@dataclass
class Scenario:
    name: str
    make: Callable[[int, int], Request]
    after: Callable[[int, Sample], None] | None = None
    requests: int | None = None  # a cap below the run's --requests (exports)
    clients: tuple[int, ...] | None = None
    peer: tuple[str, str] | None = None  # the peer's equivalent: (list|detail|…, role)
    floor: bool = True  # capture and replay its SQL


class Context:
    """Tokens, session cookies and ids the scenarios use; versions tracked across writes."""

    def __init__(self, actors: Any, tokens: dict[str, str], cookies: dict[str, str]) -> None:
        self.actors = actors
        self.tokens = tokens
        self.cookies = cookies
        self.versions: dict[int, int] = {}
        self.stages: dict[int, str] = {}
        self.home: dict[int, str] = {}  # each deal's stage before the run
        self.cursors: dict[str, str | None] = {}
        # each deal's competitors, scored in its questionnaires (`competitor_answers`)
        self.competitors: dict[int, list[dict[str, int]]] = {}
        self.lock = threading.Lock()

    def api(self, role: str, method: str, path: str, body: Any = None) -> Request:
        return Request(
            method, "/api/v1" + path, body, {"Authorization": f"Bearer {self.tokens[role]}"}
        )

    def page(self, role: str, path: str) -> Request:
        return Request("GET", path, None, {"Cookie": self.cookies[role]})

    def get(
        self, role: str, path: str | Callable[[int, int], str]
    ) -> Callable[[int, int], Request]:
        """A scenario's request maker: GET an API path (or a path made per request)."""

        def make(i: int, s: int) -> Request:
            return self.api(role, "GET", path(i, s) if callable(path) else path)

        return make

    def get_page(self, role: str, path: str) -> Callable[[int, int], Request]:
        return lambda i, s: self.page(role, path)

    def deal(self, role: str, index: int) -> int:
        deals = self.actors.deals[role]
        return deals[index % len(deals)]

    def track(self, sample: Sample) -> None:
        if sample.status < 300:
            data = json.loads(sample.body)
            with self.lock:
                self.versions[data["id"]] = data["version"]
                self.stages[data["id"]] = data["stage"]


OPEN = (
    "validate",
    "initiate",
    "needs_analysis",
    "value_presentation",
    "tender_preparation",
    "bidding",
    "negotiation",
)
NEXT_STAGE = dict(itertools.pairwise(OPEN)) | {"negotiation": "bidding"}
FILTER = {"status": "open", "grade": "B"}


def _detail_path(ctx: Context, role: str, i: int, s: int) -> str:
    return f"/opportunities/{ctx.deal(role, i + s)}"


def scenarios(ctx: Context) -> list[Scenario]:
    a = ctx.actors
    out = [
        Scenario(
            "trivial JSON view (/healthz)", lambda i, s: Request("GET", "/healthz"), floor=False
        )
    ]
    for role in ("executive", "manager", "rep"):
        out.append(
            Scenario(
                f"opportunity list p1 · {role}",
                ctx.get(role, "/opportunities?limit=50"),
                peer=("list", role) if role != "manager" else None,
            )
        )
        out.append(
            Scenario(
                f"opportunity list filtered · {role}",
                ctx.get(role, "/opportunities?" + urlencode({**FILTER, "limit": 50})),
            )
        )
    for role in ("executive", "manager"):
        if ctx.cursors.get(role):
            out.append(
                Scenario(
                    f"opportunity list deep keyset page · {role}",
                    ctx.get(
                        role,
                        "/opportunities?" + urlencode({"limit": 50, "cursor": ctx.cursors[role]}),
                    ),
                )
            )
    for role in ("executive", "manager", "rep"):
        out.append(
            Scenario(
                f"opportunity detail · {role}",
                ctx.get(role, partial(_detail_path, ctx, role)),
                peer=("detail", role) if role != "manager" else None,
            )
        )
    out.append(
        Scenario(
            "opportunity create · rep",
            lambda i, s: ctx.api(
                "rep",
                "POST",
                "/opportunities",
                {"account": a.rep_account, "name": f"Bench deal {i}-{s}", "amount": "120000"},
            ),
            peer=("create", "rep"),
        )
    )

    def update(i: int, s: int) -> Request:
        deal = ctx.deal("rep", i)
        body = {"amount": str(100_000 + s), "version": ctx.versions[deal]}
        return ctx.api("rep", "PATCH", f"/opportunities/{deal}", body)

    out.append(
        Scenario(
            "opportunity update · rep", update, lambda i, x: ctx.track(x), peer=("update", "rep")
        )
    )

    def move(i: int, s: int) -> Request:
        # back and forth between the deal's stage and the next one (both have an owner)
        deal = ctx.deal("rep", i)
        home = ctx.home[deal]
        to = NEXT_STAGE[home] if ctx.stages[deal] == home else home
        body = {"to": to, "version": ctx.versions[deal], "reason": "benchmark"}
        return ctx.api("rep", "POST", f"/opportunities/{deal}/stage", body)

    out.append(Scenario("stage move · rep", move, lambda i, x: ctx.track(x)))
    for role in ("manager", "executive"):
        out.append(
            Scenario(
                f"pipeline board (page) · {role}",
                ctx.get_page(role, "/opportunities/board/"),
            )
        )
    out.append(
        Scenario(
            "relationship map, 300 contacts · executive",
            ctx.get("executive", f"/accounts/{a.map_account}/relationship-map"),
        )
    )
    out.append(
        Scenario(
            "questionnaire submit · rep",
            lambda i, s: ctx.api(
                "rep",
                "POST",
                f"/opportunities/{ctx.deal('rep', i)}/questionnaires",
                {
                    "has_inside_source": True,
                    "us": {"fit": 6, "closeness": 4 + s % 3},
                    "competitors": ctx.competitors.get(ctx.deal("rep", i), []),
                },
            ),
        )
    )
    out.append(
        Scenario(
            "account list, search · manager",
            lambda i, s: ctx.api("manager", "GET", "/accounts?" + urlencode({"q": "account 1"})),
        )
    )
    for role in ("manager", "executive"):
        out.append(Scenario(f"forecast · {role}", ctx.get(role, "/forecast")))
    for role in ("rep", "manager", "executive"):
        out.append(Scenario(f"home page · {role}", ctx.get_page(role, "/")))
    out.append(
        Scenario(
            "export deal list CSV (all rows) · executive",
            lambda i, s: ctx.page("executive", "/opportunities/?export=csv"),
            requests=3,
            clients=(1,),
            floor=False,
        )
    )
    return out


# ----------------------------------------------------------------------------------------
# in-process: data, tokens, sessions, SQL capture and replay


def _django(database_url: str, var: str) -> None:
    os.environ.update(server_env(database_url, var))
    import django

    django.setup()


def _prepare(scale: int, build: bool) -> tuple[Any, dict[str, str], dict[str, str]]:
    from django.conf import settings
    from django.test import Client

    from bench import serverdata
    from wuwei.org.tokens import token_create

    if build and not serverdata.built():
        print(f"building {scale:,} deals…", flush=True)
        start = time.perf_counter()
        serverdata.build(scale)
        print(f"  built in {time.perf_counter() - start:.0f} s", flush=True)
    actors = serverdata.actors()
    serverdata.stage_owners(actors.rep, actors.deals["rep"])
    tokens, cookies = {}, {}
    for role in ("executive", "manager", "rep"):
        user = getattr(actors, role)
        tokens[role] = token_create(user=user, name="bench", days=1)[1]
        client = Client()
        client.force_login(user)
        name = settings.SESSION_COOKIE_NAME
        cookies[role] = f"{name}={client.cookies[name].value}"
    return actors, tokens, cookies


def competitor_answers(deals: list[int]) -> dict[int, list[dict[str, int]]]:
    """Scores for every competitor on each deal: a questionnaire that leaves out the most
    threatening ones (at least two, and every main threat: METHOD.md §4.5) is refused with
    422, so on data with competitors on deals the submit scores them all."""
    from wuwei.opportunities.models import OpportunityCompetitor

    answers: dict[int, list[dict[str, int]]] = {}
    links = OpportunityCompetitor.objects.filter(opportunity_id__in=deals, archived_at__isnull=True)
    for deal, competitor in links.order_by("pk").values_list("opportunity_id", "competitor_id"):
        answers.setdefault(deal, []).append({"competitor": competitor, "fit": 5, "closeness": 6})
    return answers


def capture_sql(request: Request) -> list[str]:
    """The SQL one request runs, captured in-process in a transaction rolled back after (its
    second run, so that what the server keeps cached is not counted)."""
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(SERVER_NAME="localhost")
    extra: dict[str, Any] = {}
    for key, value in request.headers.items():
        if key == "Cookie":
            name, _, val = value.partition("=")
            client.cookies[name] = val
        else:
            extra["HTTP_" + key.upper().replace("-", "_")] = value
    captured: list[str] = []
    for _ in range(2):  # the second run: caches warm, as in the running server
        with CaptureQueriesContext(connection) as queries, transaction.atomic():
            client.generic(
                request.method,
                request.path,
                json.dumps(request.body) if request.body is not None else "",
                content_type="application/json",
                **extra,
            )
            transaction.set_rollback(True)
        captured = [q["sql"] for q in queries.captured_queries]
    return captured


def replay_ms(dsn: str, statements: list[str], repeat: int = 15) -> float | None:
    """p50 of running the statements directly through psycopg (each run rolled back)."""
    if not statements or not dsn.startswith("postgres"):
        return None
    import psycopg

    times: list[float] = []
    budget = time.perf_counter() + 6.0  # slow SQL at 1M: at least 3 runs, then stop by time
    with psycopg.connect(dsn) as conn:
        for _ in range(repeat + 2):
            if len(times) >= 3 and time.perf_counter() > budget:
                break
            start = time.perf_counter()
            with conn.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql.encode(), prepare=False)
                    if cursor.description is not None:
                        cursor.fetchall()
            times.append((time.perf_counter() - start) * 1000)
            conn.rollback()
    return statistics.median(times[2:] if len(times) > 4 else times[1:])


def _deep_cursors(driver: Driver, ctx: Context, rows: int) -> None:
    for role in ("executive", "manager"):
        cursor = None
        path = "/opportunities?limit=500"
        for _ in range(max(1, rows // 500)):
            _, sample = driver.one(
                None, ctx.api(role, "GET", path + (f"&cursor={cursor}" if cursor else ""))
            )
            if sample.status != 200:
                raise RuntimeError(f"deep cursor for {role}: {sample.status} {sample.body[:200]!r}")
            cursor = json.loads(sample.body)["next"]
            if cursor is None:
                break
        ctx.cursors[role] = cursor


def _read_versions(driver: Driver, ctx: Context) -> None:
    for deal in ctx.actors.deals["rep"]:
        _, sample = driver.one(None, ctx.api("rep", "GET", f"/opportunities/{deal}"))
        ctx.track(sample)
        ctx.home.setdefault(deal, ctx.stages[deal])


# ----------------------------------------------------------------------------------------
# output


def machine() -> str:
    cpus = os.cpu_count()
    try:
        model = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
    except (OSError, StopIteration):
        model = platform.processor()
    return f"{platform.node()}: {cpus} CPU ({model}), {platform.system()} {platform.release()}"


def _fmt(value: float | None, digits: int = 1) -> str:
    if value is None or value != value:  # None or NaN
        return "—"
    return f"{value:,.{digits}f}"


def _sql(row: dict[str, Any]) -> str:
    if row.get("sql_ms") is None or row["clients"] != 1:
        return "—"
    return f"{row['sql_ms']:,.1f} ({row.get('sql_statements') or '?'})"


def markdown(report: dict[str, Any]) -> str:
    lines = [
        f"Server benchmarks, {report['date']} · scale {report['scale']:,} deals · "
        f"{report['database']} · {report['machine']} (shared machine: absolute times are noisy, "
        f"compare the ratios) · gunicorn {report['workers']} workers × 4 threads, DEBUG off · "
        f"{report['requests']} requests or {report['seconds']:g} s per cell",
        "",
        "| scenario | c | req/s | p50 ms | p95 ms | p99 ms | errors | SQL ms (statements) "
        "| floor ratio "
        "| scale ratio | peer ratio |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in report["results"]:
        lines.append(
            f"| {row['scenario']} | {row['clients']} | {_fmt(row['rps'])} | {_fmt(row['p50'])} "
            f"| {_fmt(row['p95'])} | {_fmt(row['p99'])} | {row['errors']}/{row['requests']} "
            f"| {_sql(row)} | {_fmt(row.get('floor_ratio'), 2)} "
            f"| {_fmt(row.get('scale_ratio'), 2)} | {_fmt(row.get('peer_ratio'), 2)} |"
        )
    if report.get("peer"):
        lines += [
            "",
            "BottleCRM (PyPI `django-crm`), same data and driver, alternating rounds:",
            "",
            "| peer endpoint | c | req/s | p50 ms | p95 ms | p99 ms | errors |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for row in report["peer"]:
            lines.append(
                f"| {row['scenario']} | {row['clients']} | {_fmt(row['rps'])} | {_fmt(row['p50'])} "
                f"| {_fmt(row['p95'])} | {_fmt(row['p99'])} | {row['errors']}/{row['requests']} |"
            )
    lines += [
        "",
        "floor ratio = p50 ÷ (p50 of /healthz + p50 of the endpoint's own SQL through psycopg), "
        "1 client; scale ratio = p50 ÷ p50 of the baseline run; peer ratio = our req/s ÷ the "
        "peer's for the same endpoint and concurrency.",
    ]
    return "\n".join(lines) + "\n"


def write(report: dict[str, Any], out: Path) -> tuple[Path, Path]:
    out.mkdir(parents=True, exist_ok=True)
    stamp = report["date"].replace(":", "").replace("-", "")[:15]
    base = out / f"server-{report['scale']}-{stamp}"
    json_path, md_path = base.with_suffix(".json"), base.with_suffix(".md")
    json_path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    md_path.write_text(markdown(report))
    return json_path, md_path


def apply_baseline(report: dict[str, Any], baseline: dict[str, Any]) -> None:
    """scale ratio = p50 here ÷ p50 of the same scenario and concurrency in the baseline."""
    before = {(r["scenario"], r["clients"]): r["p50"] for r in baseline["results"]}
    for row in report["results"]:
        p50 = before.get((row["scenario"], row["clients"]))
        if p50:
            row["scale_ratio"] = row["p50"] / p50
    report["baseline"] = {"scale": baseline["scale"], "date": baseline["date"]}


# ----------------------------------------------------------------------------------------
# main


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench server", description=__doc__)
    parser.add_argument("--scale", type=int, default=20_000, help="deals to build")
    parser.add_argument("--postgres", default=DEFAULT_PG, help="server for the built database")
    parser.add_argument(
        "--database",
        metavar="URL",
        help="an existing Wuwei database to measure (e.g. one `wuwei demo --scale` built); "
        "default: <--postgres>/wuwei_bench_server_<scale>, built on first use and kept",
    )
    parser.add_argument("--sqlite", action="store_true", help="a throwaway SQLite database")
    parser.add_argument("--requests", type=int, default=100, help="per scenario and concurrency")
    parser.add_argument("--seconds", type=float, default=10.0, help="time box per cell")
    parser.add_argument("--clients", default="1,8", help="concurrency levels")
    parser.add_argument("--only", default="", help="comma-separated scenario name prefixes")
    parser.add_argument("--skip", default="", help="comma-separated scenario name prefixes")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--baseline", type=Path, help="a result JSON at another size")
    parser.add_argument(
        "--peer",
        metavar="PEER_HOME",
        help="BottleCRM installed and loaded by bench/peer/ (install.sh, load.py): measured "
        "on list, detail, create and update, alternating with ours",
    )
    parser.add_argument("--rounds", type=int, default=1, help="alternating rounds (peer)")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--no-sql", action="store_true", help="skip the SQL capture (floor)")
    return parser.parse_args(argv)


def _database_url(args: argparse.Namespace, var: str) -> tuple[str, bool]:
    if args.sqlite:
        return f"sqlite:///{var}/bench.sqlite3", True
    if args.database:
        return args.database, False
    import psycopg

    name = f"wuwei_bench_server_{args.scale}"
    server = args.postgres.rstrip("/")
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            admin.execute(f'CREATE DATABASE "{name}"')
    return f"{server}/{name}", True


def _terminate(signum: int, frame: Any) -> None:
    # `timeout` or Ctrl-C: leave through the `finally` that stops the servers
    raise SystemExit(128 + signum)


def main(argv: list[str]) -> int:
    args = parse(argv)
    signal.signal(signal.SIGTERM, _terminate)
    if os.environ.get("BENCH_TRACE"):
        import faulthandler

        faulthandler.dump_traceback_later(float(os.environ["BENCH_TRACE"]), repeat=True)
    var = tempfile.mkdtemp(prefix="wuwei-bench-server-")
    database_url, build = _database_url(args, var)
    _django(database_url, var)
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    report = run(args, database_url, var, build=build)
    json_path, md_path = write(report, args.out)
    print()
    print(md_path.read_text())
    print(f"written: {json_path} and {md_path}")
    return 0


def run(args: argparse.Namespace, database_url: str, var: str, *, build: bool) -> dict[str, Any]:
    """Measure every chosen scenario against a server on `database_url` (migrated, Django set
    up in this process on the same database); return the report."""
    from django.db import connection

    actors, tokens, cookies = _prepare(args.scale, build)

    ctx = Context(actors, tokens, cookies)
    ctx.competitors = competitor_answers(actors.deals["rep"])
    levels = tuple(int(c) for c in args.clients.split(","))
    server = Server(database_url, var, workers=args.workers)
    peer = None
    if args.peer:
        from bench.peer.driver import Peer

        peer = Peer(args.peer)
    results: list[dict[str, Any]] = []
    peer_results: list[dict[str, Any]] = []
    try:
        server.start()
        driver = Driver(server.port)
        _deep_cursors(driver, ctx, rows=min(10_000, args.scale // 2))
        _read_versions(driver, ctx)
        chosen = [
            s
            for s in scenarios(ctx)
            if (not args.only or any(s.name.startswith(p) for p in args.only.split(",")))
            and not (args.skip and any(s.name.startswith(p) for p in args.skip.split(",")))
        ]
        sql: dict[str, float | None] = {}
        counts: dict[str, int] = {}
        for scenario in chosen:
            if args.no_sql or not scenario.floor or connection.vendor != "postgresql":
                continue
            statements = capture_sql(scenario.make(0, 0))
            sql[scenario.name] = replay_ms(database_url, statements)
            counts[scenario.name] = len(statements)
        connection.close()  # the runner holds no connection while the server works
        for round_no in range(args.rounds):
            for scenario in chosen:
                slow = False
                for clients in scenario.clients or levels:
                    if slow and clients > 1:
                        # one request outlasts the time box: 8 at once would take minutes
                        print(f"  {scenario.name:<48} c={clients} skipped (1 client > time box)")
                        continue
                    requests = min(args.requests, scenario.requests or args.requests)
                    # warm-up: one request per client
                    driver.run(scenario.name, scenario.make, clients, clients, 60, scenario.after)
                    measured = driver.run(
                        scenario.name,
                        scenario.make,
                        clients,
                        requests,
                        args.seconds,
                        scenario.after,
                    )
                    slow = slow or measured.p50 > args.seconds * 1000
                    row = asdict(measured) | {
                        "round": round_no + 1,
                        "sql_ms": sql.get(scenario.name),
                        "sql_statements": counts.get(scenario.name),
                    }
                    results.append(row)
                    print(
                        f"  {scenario.name:<48} c={clients} {measured.rps:8.1f} req/s "
                        f"p50 {measured.p50:8.1f} ms  errors {measured.errors}/{measured.requests}",
                        flush=True,
                    )
                    if peer is not None and scenario.peer:
                        kind, role = scenario.peer
                        peered = peer.measure(kind, role, clients, requests, args.seconds)
                        peer_results.append(asdict(peered) | {"round": round_no + 1})
                        print(
                            f"  {'  peer ' + peered.scenario:<48} c={clients} "
                            f"{peered.rps:8.1f} req/s p50 {peered.p50:8.1f} ms  "
                            f"errors {peered.errors}/{peered.requests}",
                            flush=True,
                        )
        floor_ms = _median_p50(results, "trivial JSON view (/healthz)", 1)
    finally:
        server.stop()
        if peer is not None:
            peer.close()
    merged = _merge_rounds(results)
    merged_peer = _merge_rounds(peer_results)
    for row in merged:
        if row["clients"] == 1 and row.get("sql_ms") is not None and floor_ms:
            row["floor_ratio"] = row["p50"] / (floor_ms + row["sql_ms"])
    _peer_ratios(merged, merged_peer, chosen)
    report = {
        "date": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "scale": args.scale,
        "database": connection.vendor,
        "machine": machine(),
        "workers": args.workers,
        "requests": args.requests,
        "seconds": args.seconds,
        "rounds": args.rounds,
        "floor_ms": floor_ms,
        "results": merged,
        "peer": merged_peer,
    }
    if args.baseline:
        apply_baseline(report, json.loads(args.baseline.read_text()))
    return report


def _median_p50(rows: list[dict[str, Any]], name: str, clients: int) -> float | None:
    values = [r["p50"] for r in rows if r["scenario"] == name and r["clients"] == clients]
    return statistics.median(values) if values else None


def _merge_rounds(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per scenario and concurrency: the median of each figure over the rounds."""
    groups: dict[tuple[str, int], list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault((row["scenario"], row["clients"]), []).append(row)
    merged = []
    for (_name, _clients), group in groups.items():
        first = dict(group[0])
        for key in ("rps", "p50", "p95", "p99"):
            first[key] = statistics.median(r[key] for r in group)
        first["requests"] = sum(r["requests"] for r in group)
        first["errors"] = sum(r["errors"] for r in group)
        first["rounds"] = len(group)
        first.pop("round", None)
        merged.append(first)
    return merged


def _peer_ratios(
    ours: list[dict[str, Any]], peer: list[dict[str, Any]], chosen: list[Scenario]
) -> None:
    kinds = {s.name: " · ".join(s.peer) for s in chosen if s.peer}
    theirs = {(r["scenario"], r["clients"]): r for r in peer}
    for row in ours:
        kind = kinds.get(row["scenario"])
        other = theirs.get((kind, row["clients"])) if kind else None
        if other and other["rps"] and not other["errors"]:
            row["peer_ratio"] = row["rps"] / other["rps"]


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
