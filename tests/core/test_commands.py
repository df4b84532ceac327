"""The `wuwei` command: demo is idempotent, createadmin, and `serve` really serves."""

import contextlib
import io
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.core.management import call_command

from wuwei.accounts.models import Account
from wuwei.org.management.commands import serve as serve_command
from wuwei.org.models import User
from wuwei.people.models import Contact


def test_demo_is_idempotent_and_complete(db):
    call_command("demo", verbosity=0)
    counts = (User.objects.count(), Account.objects.count(), Contact.objects.count())
    call_command("demo", verbosity=0)
    assert (User.objects.count(), Account.objects.count(), Contact.objects.count()) == counts
    assert counts[1] >= 40
    assert {"rep", "manager", "executive", "admin", "partner_user", "presales"} <= set(
        User.objects.values_list("role_links__role", flat=True)
    )


def test_createadmin(db):
    call_command("createadmin", "root2", password="Sup3r-secret-pw")
    user = User.objects.get(username="root2")
    assert user.is_superuser and user.has_role("admin")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_up(process: subprocess.Popen, url: str, log: Path, deadline_s: float) -> None:
    """Poll `url` until it answers 200; past the deadline or when the server died, fail with
    the server's output so far (read from its log file, never from a pipe that may not end)."""
    deadline = time.monotonic() + deadline_s
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                assert response.status == 200
                return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"serve did not come up:\n{log.read_text(errors='replace')}")
            time.sleep(0.5)


def _stop(process: subprocess.Popen) -> None:
    """End the server and every worker it forked (its own process group), whatever state."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)


def _start(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    with log.open("w") as out:
        return subprocess.Popen(
            args, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


def test_serve_migrates_loads_demo_and_answers(tmp_path: Path):
    port = _free_port()
    env = {
        **os.environ,
        "WUWEI_VAR": str(tmp_path),
        "DATABASE_URL": "",
        "DEBUG": "1",
        "WUWEI_TESTING": "0",
        "PYTHONUNBUFFERED": "1",  # the log shows how far it got, should it fail
    }
    log = tmp_path / "serve.log"
    process = _start(
        [sys.executable, "-m", "wuwei.cli", "serve", "--demo", f"--port={port}", "--workers=1"],
        env,
        log,
    )
    try:
        # migrate + demo on a busy CI machine can take minutes; past that, fail (never hang)
        _wait_until_up(process, f"http://127.0.0.1:{port}/healthz", log, deadline_s=420)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=5) as r:
            assert b"Wuwei" in r.read()
        assert (tmp_path / "wuwei.sqlite3").exists()
    finally:
        _stop(process)
    assert "Demo logins" in log.read_text()
    # the empty database was built from the models (core/schema.py) and the whole demo is in
    with sqlite3.connect(tmp_path / "wuwei.sqlite3") as database:
        applied = database.execute("SELECT COUNT(*) FROM django_migrations").fetchone()[0]
        rules = database.execute("SELECT COUNT(*) FROM playbook_riskrule").fetchone()[0]
        deals = database.execute("SELECT COUNT(*) FROM opportunities_opportunity").fetchone()[0]
        users = {row[0] for row in database.execute("SELECT username FROM org_user")}
    assert applied > 100 and rules > 0  # every migration recorded, the seeds written
    assert deals >= 120
    assert {"admin", "exec", "mgr_east", "rep_li", "partner_chen"} <= users


def _gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return True
    return state in {"Z", "X"}  # ended, waiting for its (new) parent to reap it


def test_a_server_that_never_answers_fails_the_wait_and_is_killed(tmp_path: Path):
    # given: a "server" that never listens and never exits, with a child of its own
    log = tmp_path / "slow.log"
    script = "import subprocess,sys,time; "
    script += "c = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(600)']); "
    script += "print('starting', c.pid, flush=True); time.sleep(600)"
    process = _start([sys.executable, "-c", script], dict(os.environ), log)
    try:
        # when: we wait for it with a short deadline
        with pytest.raises(pytest.fail.Exception, match="starting"):
            _wait_until_up(process, f"http://127.0.0.1:{_free_port()}/", log, deadline_s=2)
    finally:
        _stop(process)
    # then: the server and its child are gone
    assert process.poll() is not None
    child = int(log.read_text().split()[1])
    deadline = time.monotonic() + 10
    while not _gone(child) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _gone(child)


def test_serve_without_demo_loads_no_demo_users(db, settings, monkeypatch):
    settings.DEBUG = True  # skip collectstatic, which is not under test
    started: list[list[str]] = []

    class StartNothing:
        def __init__(self, children, out):
            started.extend(child.argv for child in children)

        def run(self) -> int:
            return 0

    monkeypatch.setattr(serve_command, "Supervisor", StartNothing)
    out = io.StringIO()
    with pytest.raises(SystemExit):
        call_command("serve", "--port", "8123", stdout=out)
    assert User.objects.count() == 0
    assert "Demo logins" not in out.getvalue()
    assert "createadmin" in out.getvalue()
    assert started and "gunicorn" in started[0] and "127.0.0.1:8123" in started[0]


def test_serve_names_an_unreachable_database_instead_of_hanging(monkeypatch):
    # given: a PostgreSQL address where nothing listens
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://wuwei:secret-pw@127.0.0.1:{_free_port()}/nowhere",
        "WUWEI_TESTING": "0",
    }
    # when
    result = subprocess.run(
        [sys.executable, "-m", "wuwei.cli", "migrate"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    # then: one sentence naming the database, never its password
    assert result.returncode == 2
    assert "The database cannot be reached (postgresql 127.0.0.1:" in result.stderr
    assert "secret-pw" not in result.stderr
    assert "Traceback" not in result.stderr
