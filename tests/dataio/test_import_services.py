"""Dry run, idempotent re-import, all-or-nothing rollback, row-by-row rejects, duplicates
(§7.3), who may import what, cancel."""

from typing import Any

import pytest

from tests.dataio.helpers import checked, imported, sample
from tests.factories import make_account
from wuwei.accounts.models import Account, OwnershipConflict
from wuwei.core.errors import NotFound, ValidationFailed
from wuwei.dataio.models import ExternalKey, ImportKind, ImportMapping, ImportMode, RunStatus
from wuwei.dataio.services import import_apply, import_check, import_create, import_set_columns
from wuwei.opportunities.models import Opportunity

pytestmark = pytest.mark.django_db

HEADER = "External ID,Account name,Industry,Annual revenue,Owner\n"


def _csv(*rows: str) -> bytes:
    return (HEADER + "\n".join(rows) + "\n").encode()


def _history_count() -> int:
    return Account.history.count() + Opportunity.history.count()


def test_dry_run_reports_each_row_and_writes_nothing(org: Any) -> None:
    make_account(org.rep, "Contoso Ltd")
    content = _csv(
        "A1,Fabrikam Inc.,Banking,100,rep",
        "A2,,Banking,100,rep",
        "A3,Northwind,Banking,lots,rep",
        "A4,CONTOSO Limited,Banking,5,rep",
        "A5,Tailspin,Space travel,5,nobody",
        "A1,Fabrikam again,Banking,1,rep",
    )
    run = checked(org.rep, ImportKind.ACCOUNTS, "accounts.csv", content)
    assert run.status == RunStatus.CHECKED
    assert run.report["counts"] == {"create": 1, "update": 1, "unchanged": 0, "error": 4}
    issues = [(i["row"], i["column"], i["message"], i["level"]) for i in run.report["issues"]]
    assert issues == [
        (3, "Account name", "Every account needs a name.", "error"),
        (4, "Annual revenue", "“lots” is not a number.", "error"),
        (
            5,
            "Account name",
            f"Looks like the existing account “Contoso Ltd” (#{Account.objects.get().pk}) "
            "(duplicate rule: same name once legal forms and punctuation are ignored); the row "
            "updates it.",
            "warning",
        ),
        (6, "Owner", "No active user is called “nobody” (use a username or e-mail).", "error"),
        (
            6,
            "Industry",
            "The industry “Space travel” is not in the list; it is kept as Other.",
            "warning",
        ),
        (7, "External ID", "The external ID “A1” appears again (first in row 2).", "error"),
    ]
    assert Account.objects.count() == 1 and not ExternalKey.objects.exists()


def test_reimporting_the_same_file_changes_nothing(org: Any) -> None:
    first = imported(org.rep, ImportKind.ACCOUNTS, "salesforce_accounts.csv")
    imported(org.rep, ImportKind.OPPORTUNITIES, "salesforce_opportunities.csv")
    assert first.report["counts"]["create"] == 3
    before = (
        _history_count(),
        list(Account.objects.values_list("pk", "version")),
        ExternalKey.objects.count(),
    )
    again = imported(org.rep, ImportKind.ACCOUNTS, "salesforce_accounts.csv")
    deals = imported(org.rep, ImportKind.OPPORTUNITIES, "salesforce_opportunities.csv")
    assert again.report["counts"] == {"create": 0, "update": 0, "unchanged": 3, "error": 0}
    assert deals.report["counts"] == {"create": 0, "update": 0, "unchanged": 2, "error": 0}
    assert (
        _history_count(),
        list(Account.objects.values_list("pk", "version")),
        ExternalKey.objects.count(),
    ) == before


def test_a_changed_row_updates_with_history_naming_the_import(org: Any) -> None:
    imported(org.rep, ImportKind.ACCOUNTS, "a.csv", _csv("A1,Fabrikam,Banking,100,rep"))
    run = imported(org.rep, ImportKind.ACCOUNTS, "b.csv", _csv("A1,Fabrikam,Banking,250,rep"))
    assert run.report["counts"]["update"] == 1
    account = Account.objects.get()
    assert (account.annual_revenue, account.version) == (250, 2)
    assert list(account.history.values_list("history_change_reason", flat=True)) == [
        f"import #{run.pk} b.csv",
        f"import #{run.pk - 1} a.csv",
    ]


def test_all_or_nothing_rolls_back_when_a_service_refuses_a_row(org: Any) -> None:
    # given a file whose second row the account service refuses at write time
    make_account(org.peer_rep, "Hidden Corp", registration_number="REG-1")
    content = b"External ID,Account name,Registration number\nA1,Alpha,REG-2\nA2,Beta,REG-3\n"
    run = checked(org.rep, ImportKind.ACCOUNTS, "accounts.csv", content)
    assert run.report["counts"]["error"] == 0
    # someone takes REG-3 between the check and the import
    make_account(org.peer_rep, "Gamma", registration_number="REG-3")
    run = import_apply(run)
    assert run.status == RunStatus.FAILED
    assert run.message == "A row was refused, so nothing was imported (all or nothing)."
    assert not Account.objects.filter(name__in=["Alpha", "Beta"]).exists()
    assert not ExternalKey.objects.exists()


def test_row_by_row_imports_good_rows_and_offers_the_rejects(org: Any) -> None:
    content = _csv("A1,Alpha,Banking,1,rep", "A2,Beta,Banking,-5,rep", "A3,Gamma,,,rep")
    run = import_create(
        user=org.rep,
        kind=ImportKind.ACCOUNTS,
        filename="mixed.csv",
        content=content,
        mode=ImportMode.ROWS,
    )
    run = import_apply(import_check(run))
    assert run.status == RunStatus.DONE and run.is_applied
    assert sorted(Account.objects.values_list("name", flat=True)) == ["Alpha", "Gamma"]
    rejects = bytes(run.rejects).decode("utf-8-sig").splitlines()
    assert rejects == [
        "External ID,Account name,Industry,Annual revenue,Owner,Why it was rejected",
        "A2,Beta,Banking,-5,rep,The amount cannot be negative.",
    ]


def test_all_mode_refuses_to_apply_a_file_with_errors(org: Any) -> None:
    run = checked(org.rep, ImportKind.ACCOUNTS, "a.csv", _csv("A1,,Banking,1,rep"))
    with pytest.raises(ValidationFailed):
        import_apply(run)
    assert not Account.objects.exists()


def test_a_rep_imports_only_their_own_records(org: Any) -> None:
    theirs = make_account(org.peer_rep, "Peer Account")
    ExternalKey.objects.create(
        source="generic", kind="accounts", external_id="P1", object_id=theirs.pk
    )
    run = checked(
        org.rep,
        ImportKind.ACCOUNTS,
        "a.csv",
        _csv("A1,Mine,Banking,1,peer", "P1,Peer Account,Banking,2,rep"),
    )
    messages = [i["message"] for i in run.report["issues"]]
    assert messages == [
        "You can only import records owned by yourself or by people in your team.",
        "This account exists but you cannot see it; ask its owner.",
    ]
    # a manager may name the people of their team as owners
    run = imported(org.manager, ImportKind.ACCOUNTS, "a.csv", _csv("A1,Mine,Banking,1,peer"))
    assert Account.objects.get(name="Mine").owner == org.peer_rep


@pytest.mark.parametrize("who", ["partner", "presales", "executive"])
def test_others_cannot_import(org: Any, who: str) -> None:
    with pytest.raises(NotFound):
        import_create(
            user=getattr(org, who),
            kind=ImportKind.ACCOUNTS,
            filename="a.csv",
            content=_csv("A1,Alpha,Banking,1,"),
        )


def test_a_duplicate_the_rep_cannot_see_is_created_and_raises_a_conflict(org: Any) -> None:
    other = make_account(org.other_manager, "Contoso Ltd")
    run = imported(org.rep, ImportKind.ACCOUNTS, "a.csv", _csv("A1,Contoso Co.,Banking,1,"))
    assert run.report["issues"][0]["message"] == (
        "A similar account exists that you cannot see; the account is created and a manager "
        "is asked to decide."
    )
    created = Account.objects.get(name="Contoso Co.")
    conflict = OwnershipConflict.objects.get()
    assert (conflict.account, conflict.other_account, conflict.kind) == (
        created,
        other,
        "ownership",
    )


def test_adjusted_mapping_is_saved_and_reused(org: Any) -> None:
    content = b"Kunde,Branche\nFabrikam,Banking\n"
    run = import_create(user=org.rep, kind=ImportKind.ACCOUNTS, filename="k.csv", content=content)
    assert run.columns == {}
    import_set_columns(
        user=org.rep,
        run=run,
        columns={"Kunde": "name", "Branche": "industry"},
        save_as="German sheet",
    )
    mapping = ImportMapping.objects.get(created_by=org.rep, name="German sheet")
    again = import_create(
        user=org.rep, kind=ImportKind.ACCOUNTS, filename="k2.csv", content=content, mapping=mapping
    )
    assert again.columns == {"Kunde": "name", "Branche": "industry"}
    assert import_apply(import_check(again)).status == RunStatus.DONE
    assert Account.objects.get().industry == "finance"


def test_too_long_mapping_name_is_refused_not_cut(org: Any) -> None:
    content = b"Kunde,Branche\nFabrikam,Banking\n"
    run = import_create(user=org.rep, kind=ImportKind.ACCOUNTS, filename="k.csv", content=content)
    with pytest.raises(ValidationFailed) as refused:
        import_set_columns(user=org.rep, run=run, columns={"Kunde": "name"}, save_as="x" * 101)
    assert refused.value.errors == [("save_as", "too long")]
    run.refresh_from_db()
    assert (run.columns, ImportMapping.objects.count()) == ({}, 0)


def test_missing_required_column_is_a_clear_message(org: Any) -> None:
    run = checked(
        org.rep,
        ImportKind.OPPORTUNITIES,
        "deals.csv",
        b"Opportunity name,Amount\nBig deal,100\n",
    )
    assert run.status == RunStatus.FAILED
    assert run.message == (
        "No column is mapped to “Account name”, which every row needs. "
        "Choose the column that holds it."
    )


def test_cancel_in_all_mode_leaves_nothing(org: Any) -> None:
    rows = [f"A{i},Company {i},Banking,1,rep" for i in range(2500)]
    run = checked(org.rep, ImportKind.ACCOUNTS, "big.csv", _csv(*rows))
    calls = {"n": 0}

    def cancel_after_first_chunk() -> bool:
        calls["n"] += 1
        return calls["n"] >= 2

    run = import_apply(run, should_cancel=cancel_after_first_chunk)
    assert run.status == RunStatus.CANCELLED
    assert run.message == "Cancelled; nothing was imported."
    assert not Account.objects.exists() and not ExternalKey.objects.exists()


def test_progress_is_reported_per_chunk(org: Any) -> None:
    rows = [f"A{i},Company {i},Banking,1,rep" for i in range(1500)]
    seen: list[tuple[int, int]] = []
    run = import_create(
        user=org.rep, kind=ImportKind.ACCOUNTS, filename="big.csv", content=_csv(*rows)
    )
    import_check(run, progress=lambda done, total, message: seen.append((done, total)))
    assert seen == [(0, 1500), (1000, 1500), (1500, 1500)]


def test_sample_file_names_are_kept(org: Any) -> None:
    assert sample("salesforce_accounts.csv").startswith(b'"Account ID"')


def test_a_job_cancel_during_apply_rolls_back_and_is_passed_on(org: Any) -> None:
    from wuwei.core.jobs import JobCancelled

    rows = [f"A{i},Company {i},Banking,1,rep" for i in range(1500)]
    run = checked(org.rep, ImportKind.ACCOUNTS, "big.csv", _csv(*rows))
    calls = {"n": 0}

    def progress(done: int, total: int, message: str) -> None:
        calls["n"] += 1
        if calls["n"] == 2:  # after the first chunk was written
            raise JobCancelled

    with pytest.raises(JobCancelled):
        import_apply(run, progress=progress)
    run.refresh_from_db()
    assert (run.status, run.is_applied) == (RunStatus.CANCELLED, False)
    assert not Account.objects.exists()


def test_a_step_whose_worker_died_is_shown_as_stopped(org: Any) -> None:
    from wuwei.core.models import JobRun
    from wuwei.dataio.jobs import APPLY, start_import_step
    from wuwei.dataio.services import import_refresh

    run = checked(org.rep, ImportKind.ACCOUNTS, "a.csv", _csv("A1,Alpha,Banking,1,rep"))
    run = start_import_step(run, APPLY)
    assert run.status == RunStatus.QUEUED and run.is_running
    # the worker took it, then died: the queue marks the job failed
    run.status = RunStatus.APPLYING
    run.save()
    JobRun.objects.filter(pk=run.job_id).update(status="failed")
    run = import_refresh(type(run).objects.select_related("job").get(pk=run.pk))
    assert run.status == RunStatus.FAILED
    assert run.message == "The import stopped before the end; nothing was imported. Try again."
    assert not Account.objects.exists()
