"""`wuwei backup` / `wuwei restore`: every table, history included, round trip across databases."""

import json
import subprocess
import sys
import uuid
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.core import job_samples
from tests.core.processes import REPO, environment
from tests.factories import make_account, make_contact
from tests.opportunities.factories import make_opportunity
from wuwei.core.backup import backed_up_models, backup, restore
from wuwei.core.errors import Conflict
from wuwei.core.models import IdempotencyRecord, JobRun
from wuwei.org.models import Team

PG_SERVER = "postgres://postgres@127.0.0.1:5432"


def contents(path: Path) -> dict[str, list[dict]]:
    """Every table's rows, as data (JSON object key order does not matter)."""
    with zipfile.ZipFile(path) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        return {
            entry["table"]: [
                json.loads(line)
                for line in archive.read(f"tables/{entry['table']}.jsonl").splitlines()
            ]
            for entry in manifest["tables"]
        }


@pytest.fixture
def data(org):
    """A little of everything: teams and users, deals with their history, a contact, a queued
    job (UUID key, JSON), an idempotency record (bytes), a hostile name."""
    account = make_account(org.rep, name="<img src=x onerror=alert(1)> 华东电网")
    make_contact(account, name="王伟")
    deal = make_opportunity(org.rep, account)
    deal.name = "二期扩容"
    deal.save()
    job_samples.count_to.enqueue(user=org.rep, n=3)
    IdempotencyRecord.objects.create(
        user=org.rep,
        key="k1",
        method="POST",
        path="/api/v1/x",
        status=201,
        content_type="application/json",
        body=b"\x00\xff{}",
    )
    return org


def test_every_managed_table_is_in_the_backup_parents_first():
    models = backed_up_models()
    labels = [m._meta.label for m in models]
    for needed in [
        "org.User",
        "org.HistoricalTeam",
        "opportunities.Opportunity",
        "django_tasks_database.DBTaskResult",
        "core.JobRun",
        "sessions.Session",
        "contenttypes.ContentType",
    ]:
        assert needed in labels
    assert labels.index("contenttypes.ContentType") < labels.index("auth.Permission")
    assert labels.index("accounts.Account") < labels.index("opportunities.Opportunity")


def test_backup_then_restore_gives_back_every_row(data, tmp_path):
    first = tmp_path / "first.zip"
    summaries = backup(first)
    assert {s.table: s.rows for s in summaries}["org_historicalteam"] >= 5
    before = contents(first)
    Team.objects.filter(name="East KA").update(name="changed")
    JobRun.objects.all().delete()
    with pytest.raises(Conflict):
        restore(first)  # a database in use is not replaced silently
    restore(first, force=True)
    second = tmp_path / "second.zip"
    backup(second)
    assert contents(second) == before
    assert Team.objects.filter(name="East KA").exists()
    assert IdempotencyRecord.objects.get().body == b"\x00\xff{}"
    # new rows get fresh keys after the restore (sequences follow the restored rows)
    assert Team.objects.create(name="new").pk > max(r["id"] for r in before["org_team"])


def test_the_commands_refuse_bad_input(db, tmp_path):
    existing = tmp_path / "x.zip"
    existing.write_text("not a zip")
    with pytest.raises(CommandError, match="exists"):
        call_command("backup", str(existing))
    with pytest.raises(CommandError, match="not a Wuwei backup"):
        call_command("restore", str(existing))
    with pytest.raises(CommandError, match="does not exist"):
        call_command("restore", str(tmp_path / "missing.zip"))
    empty = tmp_path / "empty.zip"
    with zipfile.ZipFile(empty, "w") as archive:
        archive.writestr("readme.txt", "hi")
    with pytest.raises(CommandError, match="not a Wuwei backup"):
        call_command("restore", str(empty))


def _postgres_or_skip():
    psycopg = pytest.importorskip("psycopg")
    try:
        psycopg.connect(f"{PG_SERVER}/postgres", connect_timeout=3).close()
    except psycopg.OperationalError:
        pytest.skip(
            "PostgreSQL does not answer at 127.0.0.1:5432: the cross-database restore is not tested"
        )
    return psycopg


def test_a_backup_restores_onto_a_fresh_postgresql_database(data, tmp_path):
    """SQLite → a new PostgreSQL database, compared table by table."""
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("the SQLite → PostgreSQL move is tested in the SQLite run of the suite")
    psycopg = _postgres_or_skip()
    source = tmp_path / "source.zip"
    backup(source)
    name = f"wuwei_data_jobs_restore_{uuid.uuid4().hex[:10]}"
    admin = psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True)
    admin.execute(f"CREATE DATABASE {name}")
    try:
        env = environment(f"{PG_SERVER}/{name}", tmp_path)

        def wuwei(*args: str) -> subprocess.CompletedProcess[str]:
            return subprocess.run(
                [sys.executable, "-m", "wuwei.cli", *args],
                env=env,
                cwd=REPO,
                capture_output=True,
                text=True,
                timeout=900,
            )

        restored = wuwei("restore", str(source))
        assert restored.returncode == 0, restored.stderr
        assert "Restored" in restored.stdout
        again = tmp_path / "again.zip"
        dumped = wuwei("backup", str(again))
        assert dumped.returncode == 0, dumped.stderr
        assert contents(again) == contents(source)
        with zipfile.ZipFile(again) as archive:
            assert json.loads(archive.read("manifest.json"))["vendor"] == "postgresql"
        refused = wuwei("restore", str(source))
        assert refused.returncode != 0
        assert "already holds data" in refused.stderr
    finally:
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [name]
        )
        admin.execute(f"DROP DATABASE IF EXISTS {name}")
        admin.close()
