"""The `wuwei` command: demo is idempotent, createadmin, and `serve` really serves."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.core.management import call_command

from wuwei.accounts.models import Account
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


def test_serve_migrates_loads_demo_and_answers(tmp_path: Path):
    port = _free_port()
    env = {
        **os.environ,
        "WUWEI_VAR": str(tmp_path),
        "DATABASE_URL": "",
        "DEBUG": "1",
        "WUWEI_TESTING": "0",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "wuwei.cli", "serve", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        # a first start migrates and loads the demo: minutes on a small, busy machine
        deadline = time.monotonic() + 300
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                    assert r.status == 200
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    process.terminate()  # reading the output waits for serve and its children
                    output = process.communicate(timeout=30)[0]
                    pytest.fail(f"serve did not come up:\n{output}")
                time.sleep(0.5)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=5) as r:
            assert b"Wuwei" in r.read()
        assert (tmp_path / "wuwei.sqlite3").exists()
    finally:
        process.terminate()
        output = process.communicate(timeout=30)[0]  # serve stops gunicorn and the worker
    assert "Demo logins" in output
    assert "[serve] worker started (pid" in output and "[serve] stopped" in output
