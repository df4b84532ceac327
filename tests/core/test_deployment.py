"""Past one machine (docs/deployment.md): two stateless web nodes and two job workers against one
database, with a read replica for exports. Real processes (gunicorn, `wuwei worker`), every wait
with a deadline, every process killed at the end.

On PostgreSQL the replica is a copy of the test database taken before the test writes one more
account; on SQLite a copy of the shared file. The copy stands for a replica that lags: what an
export shows proves which database it read.
"""

import http.client
import re
import shutil
import socket
import sqlite3
import time
from collections import Counter
from contextlib import suppress
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import psycopg
import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

from tests.core.processes import environment, kill_all, shared_database, start, wait_for
from tests.factories import PASSWORD, make_account, make_team, make_user
from wuwei.core import replica
from wuwei.core.models import JobRun, JobStatus, ScheduledRun
from wuwei.core.replica import REPLICA, ReplicaRouter, reading, replica_reads
from wuwei.core.scheduler import registered_jobs
from wuwei.org.models import Role

pytestmark = pytest.mark.django_db(transaction=True)

DEADLINE = 180  # seconds: the machine is small and shared; a healthy run takes a few
SCHEDULED = "wuwei.core.scheduler.run_scheduled"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Browser:
    """Cookies kept by hand, so one session can be carried from one node to the other."""

    def __init__(self) -> None:
        self.cookies: dict[str, str] = {}

    def request(
        self, port: int, method: str, path: str, form: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], str]:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{port}/"
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode("utf-8", "replace")
            for value in response.headers.get_all("Set-Cookie") or []:
                cookie = SimpleCookie(value)
                for key, morsel in cookie.items():
                    self.cookies[key] = morsel.value
            return response.status, dict(response.headers), text
        finally:
            conn.close()

    def csrf(self, port: int, path: str) -> str:
        status, _headers, text = self.request(port, "GET", path)
        assert status == 200, (path, status)
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text)
        assert found, f"no CSRF token on {path}"
        return found.group(1)


def _copy_database(url: str, tmp_path: Path) -> str:
    """A replica as of now: CREATE DATABASE … TEMPLATE on PostgreSQL, a file copy on SQLite."""
    connections.close_all()
    if url.startswith("sqlite"):
        source = sqlite3.connect(url.removeprefix("sqlite:///"))
        target = sqlite3.connect(tmp_path / "replica.sqlite3")
        source.backup(target)
        source.close()
        target.close()
        return f"sqlite:///{tmp_path / 'replica.sqlite3'}"
    server, name = url.rsplit("/", 1)
    replica = f"{name}_replica"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{replica}"')
        # A template must have no other session: close what earlier tests left connected
        # (a live server's idle connection reconnects by itself, CONN_HEALTH_CHECKS).
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = %s AND pid <> pg_backend_pid()",
            [name],
        )
        admin.execute(f'CREATE DATABASE "{replica}" TEMPLATE "{name}"')
    return f"{server}/{replica}"


def _drop_replica(url: str) -> None:
    if url.startswith("postgres"):
        server, name = url.rsplit("/", 1)
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _wait_until_serving(port: int, process) -> None:  # type: ignore[no-untyped-def]
    def answers() -> bool:
        assert process.poll() is None, "a web node exited while starting"
        with suppress(OSError):
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return True
        return False

    wait_for(answers, timeout=DEADLINE, what=f"the web node on port {port}", every=0.2)


def test_two_web_nodes_and_two_workers_share_sessions_jobs_and_a_replica(tmp_path, settings):
    team = make_team("Node team")
    user = make_user("nodeuser", roles=[Role.MANAGER], team=team, display_name="Node Manager")
    # the nodes run production settings, whose hasher is not the test suite's fast one
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    make_account(user, "Before the copy Ltd")
    processes = []
    with shared_database(tmp_path) as url:
        replica_url = _copy_database(url, tmp_path)
        try:
            make_account(user, "After the copy Ltd")  # on the primary only: the replica lags
            env = environment(
                url,
                tmp_path,
                DATABASE_REPLICA_URL=replica_url,
                SECRET_KEY="n" * 60 + "-two-nodes-share-this-secret",
                ALLOWED_HOSTS="127.0.0.1",
                WUWEI_SCHEDULER="1",
            )
            ports = [_free_port(), _free_port()]
            for n, port in enumerate(ports):
                web = ["-m", "gunicorn", "wuwei.wsgi:application", "--bind", f"127.0.0.1:{port}"]
                processes.append(
                    start([*web, "--workers", "1", "--threads", "2"], env, tmp_path / f"web{n}")
                )
            for n in (1, 2):
                processes.append(
                    start(["worker", "--interval", "0.2"], env, tmp_path / f"worker{n}.out")
                )
            for port, process in zip(ports, processes, strict=False):
                _wait_until_serving(port, process)
            a, b = ports
            browser = Browser()

            # signed in on node A …
            token = browser.csrf(a, "/login/")
            status, headers, _ = browser.request(
                a,
                "POST",
                "/login/",
                {"csrfmiddlewaretoken": token, "username": "nodeuser", "password": PASSWORD},
            )
            assert status == 302, headers
            assert "sessionid" in browser.cookies
            # … is signed in on node B, which reads the page from the primary
            status, _, page = browser.request(b, "GET", "/accounts/")
            assert status == 200
            assert "After the copy Ltd" in page and "Before the copy Ltd" in page

            # exports read from the replica, which has not seen the newest account yet
            status, _, csv = browser.request(b, "GET", "/accounts/?export=csv")
            assert status == 200
            assert "Before the copy Ltd" in csv
            assert "After the copy Ltd" not in csv

            # signed out on node B is signed out on node A
            token = browser.csrf(b, "/accounts/")
            status, _, _ = browser.request(b, "POST", "/logout/", {"csrfmiddlewaretoken": token})
            assert status == 302
            status, headers, _ = browser.request(a, "GET", "/accounts/")
            assert status == 302 and "/login/" in headers["Location"]

            # both workers run the scheduler; every periodic job of the slot runs exactly once
            names = {job.name for job in registered_jobs()}
            assert names

            def all_ran() -> bool:
                runs = JobRun.objects.filter(pk__in=ScheduledRun.objects.values("job_run_id"))
                return runs.filter(status=JobStatus.SUCCEEDED).count() >= len(names)

            wait_for(all_ran, timeout=DEADLINE, what="every periodic job to run")
            time.sleep(1.5)  # several more ticks of both schedulers on the same slots
            assert all(p.poll() is None for p in processes), "a node or worker died"
            claims = Counter(ScheduledRun.objects.values_list("name", flat=True))
            assert set(claims) == names
            assert set(claims.values()) == {1}
            ran = Counter(JobRun.objects.values_list("job", flat=True))
            assert ran[SCHEDULED] == len(names)  # no slot ran twice, whichever worker won it
        finally:
            kill_all(*processes)
            connections.close_all()
            _drop_replica(replica_url)
            if replica_url.startswith("sqlite"):
                shutil.rmtree(tmp_path / "var", ignore_errors=True)


def test_the_router_sends_only_report_reads_to_the_replica(monkeypatch):
    router = ReplicaRouter()
    monkeypatch.setattr(replica, "configured", lambda: True)
    assert router.db_for_read(JobRun) is None
    with replica_reads():
        assert router.db_for_read(JobRun) == REPLICA
        assert router.db_for_write(JobRun) is None  # writes stay on the primary
    assert router.db_for_read(JobRun) is None
    assert router.allow_migrate(REPLICA, "core") is False
    assert router.allow_migrate("default", "core") is True
    # a streamed export reads inside the context although its view has returned
    seen = list(reading(router.db_for_read(JobRun) for _ in range(3)))
    assert seen == [REPLICA] * 3
    monkeypatch.setattr(replica, "configured", lambda: False)
    with replica_reads():
        assert router.db_for_read(JobRun) is None  # no replica: the primary


def test_without_a_replica_exports_read_the_primary(db, client):
    user = make_user("solo", roles=[Role.REP])
    make_account(user, "Solo Ltd")
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/accounts/?export=csv")
        body = b"".join(response.streaming_content).decode()
    assert "Solo Ltd" in body
    assert any("accounts_account" in q["sql"] for q in queries.captured_queries)
