"""`wuwei import`: the same check and apply from the terminal, with a progress line."""

from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from tests.dataio.helpers import FILES
from wuwei.accounts.models import Account
from wuwei.dataio.models import ImportRun

pytestmark = pytest.mark.django_db


def test_dry_run_then_import(org: Any, tmp_path: Any) -> None:
    out = StringIO()
    path = str(FILES / "gb18030_accounts.csv")
    call_command("import", path, "--kind", "accounts", "--user", "rep", "--dry-run", stdout=out)
    assert "3 to create, 0 to update, 0 unchanged, 0 with errors." in out.getvalue()
    assert not Account.objects.exists()
    out, err = StringIO(), StringIO()
    call_command("import", path, "--kind", "accounts", "--user", "rep", stdout=out, stderr=err)
    assert "3 created, 0 updated, 0 unchanged, 0 rejected." in out.getvalue()
    # the progress line (plain lines when not on a terminal)
    assert "[#########################] 100% 3/3 rows" in err.getvalue()
    assert Account.objects.count() == 3 and ImportRun.objects.count() == 2


def test_row_mode_writes_the_rejects(org: Any, tmp_path: Any) -> None:
    source = tmp_path / "accounts.csv"
    source.write_text("Account name,Annual revenue\nGood,1\nBad,-1\n")
    rejects = tmp_path / "rejects.csv"
    call_command(
        "import",
        str(source),
        "--kind",
        "accounts",
        "--user",
        "rep",
        "--mode",
        "rows",
        "--rejects",
        str(rejects),
        stdout=StringIO(),
        stderr=StringIO(),
    )
    assert rejects.read_text(encoding="utf-8-sig").splitlines()[1] == (
        "Bad,-1,The amount cannot be negative."
    )


def test_bad_file_is_a_clear_error(org: Any, tmp_path: Any) -> None:
    source = tmp_path / "accounts.csv"
    source.write_bytes(b"Account name,account name\nA,B\n")
    with pytest.raises(CommandError, match="appears twice"):
        call_command(
            "import", str(source), "--kind", "accounts", "--user", "rep", stdout=StringIO()
        )
