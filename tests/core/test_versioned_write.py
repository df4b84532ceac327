"""The one versioned write (issue 12 item 6): core.services sets version, history user and
change reason; services call it instead of setting `_history_user` by hand."""

import re
from pathlib import Path

from wuwei.accounts.models import Tactic
from wuwei.core import services as core_services

SRC = Path(__file__).resolve().parents[2] / "src" / "wuwei"


def test_versioned_save_bumps_and_attributes(org):
    tactic = Tactic.objects.first()
    before = tactic.version
    tactic.title_en = "Changed"
    core_services.versioned_save(tactic, user=org.manager, reason="why")
    tactic.refresh_from_db()
    assert (tactic.title_en, tactic.version) == ("Changed", before + 1)
    record = tactic.history.first()
    assert (record.history_user, record.history_change_reason) == (org.manager, "why")
    assert record.version == before + 1


def test_versioned_save_of_some_fields_and_without_a_bump(org):
    tactic = Tactic.objects.first()
    before = tactic.version
    tactic.title_en, tactic.position = "Only this", 99
    core_services.versioned_save(tactic, user=org.manager, fields=["title_en"])
    tactic.refresh_from_db()
    assert (tactic.title_en, tactic.position, tactic.version) == ("Only this", 0, before + 1)
    tactic.position = 5
    core_services.versioned_save(tactic, user=org.executive, bump=False)
    tactic.refresh_from_db()
    assert (tactic.position, tactic.version) == (5, before + 1)
    assert tactic.history.first().history_user == org.executive


def test_delete_attributed_names_who_deleted(org):
    tactic = Tactic.objects.first()
    pk = tactic.pk
    core_services.delete_attributed(tactic, user=org.manager, reason="cleanup")
    record = Tactic.history.filter(id=pk).first()
    assert record.history_type == "-"
    assert (record.history_user, record.history_change_reason) == (org.manager, "cleanup")


def test_no_service_sets_the_history_fields_by_hand():
    """Only core.services touches `_history_user`, `_change_reason` and `version += 1`."""
    pattern = re.compile(r"\._history_user\s*=|\._change_reason\s*=|\.version\s*\+=\s*1")
    allowed = {SRC / "core" / "services.py"}
    offenders = [
        f"{path.relative_to(SRC)}:{number}"
        for path in SRC.rglob("*.py")
        if path not in allowed and "migrations" not in path.parts
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line)
    ]
    assert offenders == []
