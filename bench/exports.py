"""Issue 14: export the account list (`scale` rows) as CSV and as XLSX through the page's own
export (`/accounts/?export=…`, core.exports) and measure time and peak memory; the global
search over the same data.

Peak memory is the process's resident-set high-water mark (Linux `VmHWM`, reset before each
export through /proc/self/clear_refs) minus the resident set before the export: what the
export itself added. It must not grow with the number of rows (CSV streams; XLSX is written
by openpyxl's write-only workbook to a temporary file)."""

import random
from pathlib import Path

from django.db import connection
from django.test import Client

from bench.common import Result, median_ms, timed
from wuwei.accounts.models import Account
from wuwei.org.models import Role, TeamKind, User
from wuwei.org.services import team_create, user_create
from wuwei.people.models import Contact
from wuwei.web.search import global_search

STATUS = Path("/proc/self/status")


def _kib(field: str) -> int:
    for line in STATUS.read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def _reset_peak() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")  # resets VmHWM to the current RSS
    except OSError:
        return False
    return True


def _organisation() -> tuple[User, list[User]]:
    company = team_create(user=None, name="Export Co", kind=TeamKind.COMPANY)
    team = team_create(user=None, name="Export sales", kind=TeamKind.SALES, parent=company)
    admin = user_create(username="export_admin", password=None, roles=[Role.ADMIN], team=company)
    reps = [
        user_create(username=f"export_rep{i}", password=None, roles=[Role.REP], team=team)
        for i in range(20)
    ]
    return admin, reps


def _generate(scale: int, reps: list[User]) -> None:
    rng = random.Random(14)
    batch: list[Account] = []
    for i in range(scale):
        owner = reps[i % len(reps)]
        name = f"导出客户 {i:07d} {rng.choice(['科技', '能源', '银行', '物流'])}有限公司"
        if i % 1000 == 0:
            name = f'=HYPERLINK("http://example.com/{i}")'  # neutralised on the way out
        batch.append(
            Account(
                name=name,
                name_normalized=name.lower(),
                owner=owner,
                team_id=owner.team_id,
                industry="it",
                region=f"Province {i % 31}",
                annual_revenue=rng.randint(1, 10**9),
            )
        )
        if len(batch) == 5000:
            Account.objects.bulk_create(batch)
            batch = []
    Account.objects.bulk_create(batch)
    ids = list(Account.objects.values_list("id", flat=True)[: max(scale // 10, 1)])
    Contact.objects.bulk_create(
        [Contact(account_id=a, name=f"联系人 {a}") for a in ids], batch_size=5000
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _export(client: Client, fmt: str) -> tuple[int, int]:
    """(bytes downloaded, KiB the export added to the peak resident set)."""
    before = _kib("VmRSS")
    measured = _reset_peak()
    response = client.get("/accounts/", {"export": fmt})
    assert response.status_code == 200, response.status_code
    size = 0
    for chunk in response.streaming_content:
        size += len(chunk)
    response.close()
    peak = _kib("VmHWM") if measured else 0
    return size, max(peak - before, 0)


def run(scale: int) -> list[Result]:
    admin, reps = _organisation()
    _generate(scale, reps)
    client = Client(SERVER_NAME="localhost")
    client.force_login(admin)
    client.get("/accounts/")  # warm up templates, translations and the session
    (csv_bytes, csv_kib), csv_s = timed(lambda: _export(client, "csv"))
    (xlsx_bytes, xlsx_kib), xlsx_s = timed(lambda: _export(client, "xlsx"))
    search_ms = median_ms(lambda: global_search(user=reps[0], text="客户 00001"))
    search_admin_ms = median_ms(lambda: global_search(user=admin, text="物流"))
    return [
        Result(f"CSV export of {scale:,} accounts", csv_s, "s", target=60),
        Result("CSV export: rows per second", scale / csv_s, "rows/s"),
        Result("CSV export: size", csv_bytes / 2**20, "MiB"),
        Result("CSV export: peak memory added", csv_kib / 1024, "MiB", target=64),
        Result(f"XLSX export of {scale:,} accounts", xlsx_s, "s", target=180),
        Result("XLSX export: size", xlsx_bytes / 2**20, "MiB"),
        Result("XLSX export: peak memory added", xlsx_kib / 1024, "MiB", target=96),
        Result("global search, a rep (5 groups)", search_ms, "ms", target=500),
        Result("global search, an administrator (5 groups)", search_admin_ms, "ms", target=500),
    ]
