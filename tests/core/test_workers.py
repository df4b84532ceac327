"""Workers as real processes sharing one database queue (SQLite file or PostgreSQL).

Every wait has a deadline and every process is killed at the end, so no test can hang.
"""

import signal
from collections import Counter
from pathlib import Path

import pytest
from django.utils import translation
from django_tasks_db.models import DBTaskResult

from tests.core import job_samples
from tests.core.processes import environment, finish, kill_all, shared_database, start, wait_for
from wuwei.core.models import JobRun, JobStatus

pytestmark = pytest.mark.django_db(transaction=True)

PROBE = Path(__file__).with_name("probe_scheduler.py")
DEADLINE = 180  # seconds: the machine is small and shared; a healthy run takes a few


def _runs(**filters):
    return list(JobRun.objects.filter(**filters).order_by("pk"))


def test_two_workers_never_run_the_same_job(tmp_path):
    log, go = tmp_path / "ran.log", tmp_path / "go"
    with shared_database(tmp_path) as url:
        runs = [
            job_samples.log_once.enqueue(log=str(log), go=str(go), key=key) for key in range(12)
        ]
        env = environment(url, tmp_path)
        workers = [
            start(["worker", "--batch", "--interval", "0.1"], env, tmp_path / f"w{n}.out")
            for n in (1, 2)
        ]
        try:
            # both workers hold a job at once before any job may finish: both really compete
            wait_for(
                lambda: JobRun.objects.filter(status=JobStatus.RUNNING).count() == 2,
                timeout=DEADLINE,
                what="each worker to claim a job",
            )
            go.touch()
            for worker in workers:
                assert finish(worker, timeout=DEADLINE) == 0
        finally:
            kill_all(*workers)
        lines = [line.split() for line in log.read_text().splitlines()]
        keys = Counter(int(key) for key, _pid in lines)
        assert keys == Counter(range(12))  # every job ran exactly once
        assert {int(pid) for _key, pid in lines} == {w.pid for w in workers}
        finished = _runs()
        assert [(r.status, r.attempts) for r in finished] == [(JobStatus.SUCCEEDED, 1)] * 12
        assert {r.result for r in finished} == {w.pid for w in workers}
        assert [len(t.worker_ids) for t in DBTaskResult.objects.all()] == [1] * 12
        assert len(runs) == 12


def test_a_killed_worker_s_jobs_are_resumed_or_failed_cleanly(tmp_path):
    log = tmp_path / "steps.log"
    with shared_database(tmp_path) as url, translation.override("en"):
        resumable = job_samples.slow_steps.enqueue(steps=8, log=str(log), pause=0.4)
        plain = job_samples.slow_plain.enqueue(steps=8, pause=0.4)
        env = environment(url, tmp_path)
        first = [
            start(["worker", "--interval", "0.1"], env, tmp_path / f"a{n}.out") for n in (1, 2)
        ]
        try:
            wait_for(
                lambda: JobRun.objects.filter(status=JobStatus.RUNNING, done__gte=2).count() == 2,
                timeout=DEADLINE,
                what="both jobs to be under way",
            )
            for worker in first:
                worker.send_signal(signal.SIGKILL)
                worker.wait(timeout=30)
            resumable.refresh_from_db()
            assert resumable.status == JobStatus.RUNNING  # nobody has noticed yet
            stopped_at = resumable.checkpoint["next"]
            rescuer = start(["worker", "--batch", "--interval", "0.1"], env, tmp_path / "b.out")
            assert finish(rescuer, timeout=DEADLINE) == 0
        finally:
            kill_all(*first)
        resumable.refresh_from_db()
        plain.refresh_from_db()
        assert (resumable.status, resumable.attempts) == (JobStatus.SUCCEEDED, 2)
        assert resumable.result["resumed_from"] >= stopped_at
        assert resumable.done == 8
        attempts = [line.split()[:5] for line in log.read_text().splitlines()]
        assert attempts == [
            ["attempt", "1", "starts", "at", "1"],
            ["attempt", "2", "starts", "at", str(resumable.result["resumed_from"])],
        ]
        assert plain.status == JobStatus.FAILED
        assert plain.error == "Interrupted: the worker running it stopped. Run it again."
        assert 2 <= plain.done < 8
        # the queue rows of the killed attempts are closed too, none is left running
        assert not DBTaskResult.objects.filter(status="RUNNING").exists()


def test_a_periodic_job_runs_once_per_slot_across_two_processes(tmp_path):
    log, go = tmp_path / "probe.log", tmp_path / "go"
    with shared_database(tmp_path) as url:
        env = environment(url, tmp_path)
        ticks = [
            start([str(PROBE), str(log), str(go)], env, tmp_path / f"t{n}.out") for n in (1, 2)
        ]
        try:
            wait_for(
                lambda: (
                    all((tmp_path / f"t{n}.out").exists() for n in (1, 2))
                    and all("ready" in (tmp_path / f"t{n}.out").read_text() for n in (1, 2))
                ),
                timeout=DEADLINE,
                what="both schedulers to be ready",
            )
            go.touch()  # both tick at the same moment
            for tick in ticks:
                assert finish(tick, timeout=DEADLINE) == 0
        finally:
            kill_all(*ticks)
        assert log.read_text().count("probe ran") == 1
        from wuwei.core.models import ScheduledRun

        claims = Counter(ScheduledRun.objects.values_list("name", flat=True))
        assert claims["probe"] == 1
        assert set(claims.values()) == {1}  # every periodic job: one run for the slot


def _redis_or_skip(url: str) -> None:
    redis = pytest.importorskip("redis", reason="the redis extra is not installed")
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=2)
        client.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("Redis does not answer at 127.0.0.1:6379: the RQ backend is not tested")
    client.flushdb()  # a database of its own for this test


def test_the_rq_backend_is_a_setting_away(tmp_path):
    """WUWEI_TASKS_BACKEND=rq: the run is queued in Redis, RQ's worker runs it, the JobRun
    row tells the outcome as with the database queue."""
    import subprocess
    import sys

    from tests.core.processes import REPO

    redis_url = "redis://127.0.0.1:6379/15"
    _redis_or_skip(redis_url)
    with shared_database(tmp_path) as url:
        env = environment(url, tmp_path, WUWEI_TASKS_BACKEND="rq", REDIS_URL=redis_url)
        enqueue = (
            "from tests.core import job_samples; "
            "run = job_samples.count_to.enqueue(n=3); print('RUN', run.pk, run.task_id)"
        )
        done = subprocess.run(
            [sys.executable, "-m", "wuwei.cli", "shell", "-c", enqueue],
            env=env,
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=DEADLINE,
        )
        assert done.returncode == 0, done.stderr
        (line,) = [line for line in done.stdout.splitlines() if line.startswith("RUN ")]
        _marker, run_id, task_id = line.split()
        run = JobRun.objects.get(pk=int(run_id))
        assert run.status == JobStatus.QUEUED and run.task_id == task_id
        assert not DBTaskResult.objects.exists()  # not on the database queue
        worker = start(["worker", "--batch"], env, tmp_path / "rq.out")
        try:
            assert finish(worker, timeout=DEADLINE) == 0
        finally:
            kill_all(worker)
        run.refresh_from_db()
        assert (run.status, run.done, run.result) == (JobStatus.SUCCEEDED, 3, {"counted": 3})
