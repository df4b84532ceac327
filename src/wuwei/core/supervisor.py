"""A small process supervisor for `wuwei serve`: the web server and the job workers side by side.

A worker that dies is started again (after a pause that grows while it keeps dying at once);
when the web server exits, or the supervisor is asked to stop (SIGTERM, SIGINT), every child is
asked to stop, given `stop_timeout` seconds, then killed.
"""

import signal
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from types import FrameType
from typing import Any, TextIO

QUICK_DEATH_SECONDS = 10.0


@dataclass
class Child:
    name: str
    argv: Sequence[str]
    restart: bool  # False: when it exits, everything stops (the web server)
    process: subprocess.Popen[bytes] | None = None
    started_at: float = 0.0
    delay: float = 0.0
    restart_at: float | None = None
    restarts: int = field(default=0)


class Supervisor:
    def __init__(
        self,
        children: Sequence[Child],
        *,
        out: TextIO | Any,
        env: dict[str, str] | None = None,
        restart_delay: float = 1.0,
        max_restart_delay: float = 30.0,
        stop_timeout: float = 15.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.children = list(children)
        self.out = out
        self.env = env
        self.restart_delay = restart_delay
        self.max_restart_delay = max_restart_delay
        self.stop_timeout = stop_timeout
        self.clock = clock
        self.stopping = False

    def say(self, text: str) -> None:
        self.out.write(f"[serve] {text}\n")
        self.out.flush()

    def start(self, child: Child) -> None:
        child.process = subprocess.Popen(list(child.argv), env=self.env)
        child.started_at = self.clock()
        child.restart_at = None
        self.say(f"{child.name} started (pid {child.process.pid})")

    def poll(self) -> int | None:
        """One look at the children: restart dead workers; the web server's exit code when it
        has exited (then everything should stop), else None."""
        now = self.clock()
        for child in self.children:
            if child.process is None:
                if child.restart_at is not None and now >= child.restart_at:
                    child.restarts += 1
                    self.start(child)
                continue
            code = child.process.poll()
            if code is None:
                continue
            child.process = None
            if not child.restart:
                self.say(f"{child.name} exited with code {code}")
                return code
            quick = now - child.started_at < QUICK_DEATH_SECONDS
            child.delay = (
                min(self.max_restart_delay, max(self.restart_delay, child.delay * 2))
                if quick
                else self.restart_delay
            )
            child.restart_at = now + child.delay
            self.say(f"{child.name} exited with code {code}; restarting in {child.delay:.0f} s")
        return None

    def stop(self) -> None:
        """SIGTERM to every child, SIGKILL to those still running after `stop_timeout`."""
        running = [c.process for c in self.children if c.process is not None]
        for process in running:
            if process.poll() is None:
                process.terminate()
        deadline = self.clock() + self.stop_timeout
        for process in running:
            try:
                process.wait(timeout=max(0.0, deadline - self.clock()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for child in self.children:
            child.process = None
        self.say("stopped")

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        self.stopping = True

    def run(self, *, poll_every: float = 0.5) -> int:
        """Start everything and supervise until the web server exits or a stop signal comes."""
        previous = {
            sig: signal.signal(sig, self._on_signal) for sig in (signal.SIGTERM, signal.SIGINT)
        }
        code = 0
        try:
            for child in self.children:
                self.start(child)
            while not self.stopping:
                exited = self.poll()
                if exited is not None:
                    code = exited
                    break
                time.sleep(poll_every)
        finally:
            self.stop()
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        return code
