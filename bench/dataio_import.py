"""Issue 15: import 100k account rows from a Salesforce-style CSV (check, then apply, all or
nothing), re-import the same file (nothing changes), and export everything as a CSV zip."""

import os
import random
import tempfile
import time
from pathlib import Path

from django.conf import settings

from bench.common import Result, timed
from wuwei.accounts.models import Account
from wuwei.dataio.exports import export_write
from wuwei.dataio.models import ImportKind, RunStatus
from wuwei.dataio.services import import_apply, import_check, import_create
from wuwei.org.models import Role, TeamKind
from wuwei.org.services import team_create, user_create

INDUSTRIES = ["Banking", "Technology", "Utilities", "Machinery", "Retail", "金融", "制造业"]
HEADER = (
    '"Account ID","Account Name","Account Owner","Type","Industry",'
    '"Billing State/Province","Website","Annual Revenue","Employees"\n'
)


def _file(scale: int, owners: list[str]) -> bytes:
    rng = random.Random(15)
    lines = [HEADER]
    for i in range(scale):
        lines.append(
            f'"001IMP{i:09d}","导入客户 {i:07d} 有限公司","{owners[i % len(owners)]}",'
            f'"Prospect","{rng.choice(INDUSTRIES)}","Province {i % 31}",'
            f'"www.example{i}.cn","{rng.randint(1, 10**9):,}","{rng.randint(1, 50000)}"\n'
        )
    return "".join(lines).encode()


def run(scale: int) -> list[Result]:
    settings.WUWEI_IMPORT_MAX_ROWS = max(settings.WUWEI_IMPORT_MAX_ROWS, scale)
    settings.WUWEI_IMPORT_MAX_BYTES = max(settings.WUWEI_IMPORT_MAX_BYTES, scale * 200)
    company = team_create(user=None, name="Import Co", kind=TeamKind.COMPANY)
    team = team_create(user=None, name="Import sales", kind=TeamKind.SALES, parent=company)
    admin = user_create(username="import_admin", password=None, roles=[Role.ADMIN], team=company)
    owners = [
        user_create(username=f"import_rep{i}", password=None, roles=[Role.REP], team=team).username
        for i in range(20)
    ]
    content = _file(scale, owners)
    before = Account.objects.count()
    cpu_start = time.process_time()

    run_, upload_s = timed(
        lambda: import_create(
            user=admin, kind=ImportKind.ACCOUNTS, filename="accounts.csv", content=content
        )
    )
    run_, check_s = timed(lambda: import_check(run_))
    run_, apply_s = timed(lambda: import_apply(run_))
    cpu_s = time.process_time() - cpu_start
    assert run_.status == RunStatus.DONE, run_.message
    assert Account.objects.count() - before == scale

    again = import_create(
        user=admin, kind=ImportKind.ACCOUNTS, filename="accounts.csv", content=content
    )
    again, recheck_s = timed(lambda: import_check(again))
    assert again.report["counts"]["unchanged"] == scale, again.report["counts"]

    path = Path(tempfile.mkdtemp()) / "export.zip"
    rows, export_s = timed(
        lambda: export_write(user=admin, format="csv", path=path, progress=lambda *a: None)
    )
    os.unlink(path)
    total = upload_s + check_s + apply_s
    return [
        Result(f"import {scale:,} accounts: read and detect", upload_s, "s"),
        Result(f"import {scale:,} accounts: check (dry run)", check_s, "s"),
        Result(f"import {scale:,} accounts: apply (all or nothing)", apply_s, "s"),
        Result(f"import {scale:,} accounts: total", total, "s", target=180),
        Result("import rate", scale / total, "rows/s"),
        # Wall time depends on what else the machine runs; the CPU this process used does not.
        Result(f"import {scale:,} accounts: CPU time of the importing process", cpu_s, "s"),
        Result(f"re-import check ({scale:,} unchanged)", recheck_s, "s"),
        Result(f"export everything as CSV zip ({rows:,} rows)", export_s, "s"),
    ]
