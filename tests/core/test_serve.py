"""`wuwei serve` supervises gunicorn and the job worker: a dead worker comes back, and stopping
the server stops everything. Deadlines everywhere; every process is killed at the end."""

import os
import signal
import socket
import sys
import urllib.request
from io import StringIO
from pathlib import Path

import pytest

from tests.core.processes import environment, finish, kill_all, shared_database, start, wait_for
from wuwei.core.supervisor import Child, Supervisor

DEADLINE = 180


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


SLEEPER = [sys.executable, "-c", "import time; time.sleep(120)"]


def test_the_supervisor_restarts_a_dead_worker_and_stops_with_the_web_server():
    now = [0.0]
    out = StringIO()
    web, worker = Child("web", SLEEPER, restart=False), Child("worker", SLEEPER, restart=True)
    supervisor = Supervisor([web, worker], out=out, clock=lambda: now[0], stop_timeout=20)
    try:
        supervisor.start(web)
        supervisor.start(worker)
        first = worker.process
        assert first is not None
        first.kill()
        first.wait(timeout=20)
        now[0] = 1.0  # it died within a second: wait before restarting
        assert supervisor.poll() is None
        assert worker.process is None and worker.restart_at == 2.0
        now[0] = 2.0
        assert supervisor.poll() is None
        assert worker.process is not None and worker.process.pid != first.pid
        assert worker.restarts == 1
        second = worker.process
        assert web.process is not None
        web.process.terminate()
        web.process.wait(timeout=20)
        assert supervisor.poll() == -signal.SIGTERM  # the web server is gone: time to stop
        supervisor.stop()
        assert second.poll() is not None  # the worker was stopped with it
    finally:
        for child in (web, worker):
            if child.process is not None and child.process.poll() is None:
                child.process.kill()
                child.process.wait()
    lines = out.getvalue().splitlines()
    assert lines[2] == "[serve] worker exited with code -9; restarting in 1 s"
    assert lines[-1] == "[serve] stopped"


def test_a_worker_that_keeps_dying_is_restarted_ever_more_slowly():
    now = [0.0]
    worker = Child("worker", [sys.executable, "-c", "raise SystemExit(3)"], restart=True)
    supervisor = Supervisor([worker], out=StringIO(), clock=lambda: now[0], max_restart_delay=4)
    delays = []
    for _ in range(4):
        supervisor.start(worker)
        assert worker.process is not None
        worker.process.wait(timeout=60)
        supervisor.poll()
        delays.append(worker.delay)
    assert delays == [1.0, 2.0, 4.0, 4.0]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def pids_started(log: Path, name: str) -> list[int]:
    text = log.read_text() if log.exists() else ""
    prefix = f"[serve] {name} started (pid "
    return [int(line[len(prefix) : -1]) for line in text.splitlines() if line.startswith(prefix)]


@pytest.mark.django_db(transaction=True)
def test_serve_runs_gunicorn_and_a_supervised_worker(tmp_path):
    port = free_port()
    log = tmp_path / "serve.out"
    with shared_database(tmp_path) as url:
        env = environment(url, tmp_path, DEBUG="1", WEB_WORKERS="1", PYTHONUNBUFFERED="1")
        serve = start(["serve", "--port", str(port), "--workers", "1"], env, log)
        try:
            wait_for(lambda: pids_started(log, "worker"), timeout=DEADLINE, what="the worker")
            (web_pid,) = pids_started(log, "web")
            (first,) = pids_started(log, "worker")

            def answers() -> bool:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=5) as r:
                        return r.status == 200
                except OSError:
                    return False

            wait_for(answers, timeout=DEADLINE, what="gunicorn to answer", every=0.5)
            os.kill(first, signal.SIGKILL)
            wait_for(
                lambda: len(pids_started(log, "worker")) == 2, timeout=DEADLINE, what="a restart"
            )
            second = pids_started(log, "worker")[1]
            assert second != first and alive(second)
            serve.send_signal(signal.SIGTERM)
            assert finish(serve, timeout=60) == 0
            assert not alive(second) and not alive(web_pid)
        finally:
            kill_all(serve)
    assert "[serve] stopped" in log.read_text()
