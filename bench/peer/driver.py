"""The peer CRM (BottleCRM) under the same load driver as ours (bench/server.py --peer).

Starts the peer's gunicorn (2 workers × 4 threads, like `wuwei serve`) from its own virtualenv
in PEER_HOME (bench/peer/install.sh + load.py), in its own process group with its output in a
file, and stops it in `close()`. Its equivalents of our endpoints:

    list    GET   /api/opportunities/?limit=50
    detail  GET   /api/opportunities/<id>/
    create  POST  /api/opportunities/
    update  PATCH /api/opportunities/<id>/
"""

import contextlib
import itertools
import json
import os
import secrets
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

from bench.server import Driver, Measured, Request, free_port

START_DEADLINE = 120.0


class Peer:
    def __init__(self, home: str | Path) -> None:
        self.home = Path(home).resolve()
        self.config = json.loads((self.home / "config.json").read_text())
        self.port = free_port()
        self.env = dict(os.environ)
        for line in (self.home / "env").read_text().splitlines():
            for pair in line.removeprefix("export ").split():
                key, _, value = pair.partition("=")
                if key and value:
                    self.env[key] = value
        self.env.pop("PYTHONPATH", None)
        self.env.pop("DATABASE_URL", None)
        self.log = self.home / "gunicorn.log"
        command = [
            str(self.home / "venv" / "bin" / "gunicorn"),
            "crm.wsgi:application",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            "2",
            "--threads",
            "4",
            "--graceful-timeout",
            "10",
        ]
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(
                command,
                cwd=self.home,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        self.driver = Driver(self.port)
        self.run_id = secrets.token_hex(3)  # its deal names must be unique
        self.names = itertools.count()
        self._wait()

    def _wait(self) -> None:
        until = time.monotonic() + START_DEADLINE
        while time.monotonic() < until:
            if self.process.poll() is not None:
                raise RuntimeError(f"peer gunicorn exited: {self.log.read_text()[-2000:]}")
            try:
                _, sample = self.driver.one(None, self.request("list", "executive", 0, 0))
                if sample.status == 200:
                    return
                raise RuntimeError(f"peer list answered {sample.status}: {sample.body[:300]!r}")
            except OSError:
                time.sleep(0.5)
        raise RuntimeError("peer gunicorn did not answer in time")

    def request(self, kind: str, role: str, index: int, seq: int) -> Request:
        token = {"Authorization": f"Bearer {self.config['tokens'][role]}"}
        deals = self.config["deals"][role]
        deal = deals[(index + seq) % len(deals)]
        if kind == "list":
            return Request("GET", "/api/opportunities/?limit=50", None, token)
        if kind == "detail":
            return Request("GET", f"/api/opportunities/{deal}/", None, token)
        if kind == "create":
            body = {
                "name": f"Bench deal {self.run_id}-{next(self.names)}",
                "account": self.config["account"],
                "amount": "120000",
                "currency": "CNY",
            }
            return Request("POST", "/api/opportunities/", body, token)
        if kind == "update":
            deal = deals[index % len(deals)]
            return Request(
                "PATCH", f"/api/opportunities/{deal}/", {"amount": str(100_000 + seq)}, token
            )
        raise ValueError(kind)

    def measure(
        self, kind: str, role: str, clients: int, requests: int, seconds: float
    ) -> Measured:
        def make(index: int, seq: int) -> Request:
            return self.request(kind, role, index, seq)

        name = f"{kind} · {role}"
        self.driver.run(name, make, clients, clients, 60)  # warm-up
        return self.driver.run(name, make, clients, requests, seconds)

    def close(self) -> None:
        if self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(20)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def __enter__(self) -> "Peer":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()
