"""Imports: upload → columns → check (dry run) → apply, the same for the web, `wuwei import`
and the job queue. Long steps take `progress(done, total, message)` and `should_cancel()`.

Apply in `all` mode runs the whole file in one transaction: a refused row, a cancel or a
crash rolls everything back, so a file is never half imported. In `rows` mode each chunk
commits on its own and refused rows go to a rejects file."""

import csv
import io
import logging
from collections import Counter
from collections.abc import Callable, Iterator
from itertools import islice
from typing import Any

from django.db import DatabaseError, IntegrityError, transaction
from django.utils.translation import gettext as _

from wuwei.core.errors import DomainError, NotFound, ValidationFailed
from wuwei.core.jobs import JobCancelled, WorkerStopping
from wuwei.dataio.history import history_reason
from wuwei.dataio.importers import IMPORTERS, Context, RowPlan, may_import
from wuwei.dataio.importers.base import CREATE, ERROR, UNCHANGED, UPDATE, Issue
from wuwei.dataio.models import ImportKind, ImportMapping, ImportMode, ImportRun, RunStatus
from wuwei.dataio.presets import (
    apply_preset,
    detect_preset,
    fields_for,
    missing_required,
    preset_get,
)
from wuwei.dataio.readers import FileProblem, Table, open_table
from wuwei.org.models import User

logger = logging.getLogger(__name__)
Progress = Callable[[int, int, str], None]
ShouldCancel = Callable[[], bool]
CHUNK = 1000
ISSUES_KEPT = 1000
RECORDS_KEPT = 50
MAPPING_NAME_LENGTH = 100  # ImportMapping.name


class Cancelled(Exception):
    pass


class _Abort(Exception):
    """All-or-nothing mode met a refused row: roll the file back."""


def _no_progress(done: int, total: int, message: str) -> None:
    return None


def _never() -> bool:
    return False


def require_importer(user: User) -> None:
    if not may_import(user):
        raise NotFound(_("Not found."))


# ---------------------------------------------------------------------------------------
# upload and columns


def import_create(
    *,
    user: User,
    kind: str,
    filename: str,
    content: bytes,
    mode: str = ImportMode.ALL,
    preset: str = "",
    mapping: ImportMapping | None = None,
) -> ImportRun:
    """Check the file (raises FileProblem) and keep it with the columns the preset (given,
    saved or detected from the headers) recognises."""
    require_importer(user)
    if kind not in ImportKind.values:
        raise ValidationFailed(_("Choose what the file holds."), [("kind", _("invalid"))])
    if mode not in ImportMode.values:
        raise ValidationFailed(_("Choose how to import."), [("mode", _("invalid"))])
    table = open_table(filename, content)
    chosen = preset_get(kind, preset) if preset else None
    if mapping is not None:
        columns = {h: f for h, f in mapping.columns.items() if h in table.headers}
        source, preset_slug = mapping.source, ""
    else:
        chosen = chosen or detect_preset(kind, table.headers)
        columns = apply_preset(chosen, table.headers)
        source, preset_slug = chosen.source, chosen.slug
    return ImportRun.objects.create(
        kind=kind,
        filename=filename[-200:],
        content=content,
        source=source,
        preset=preset_slug,
        columns=columns,
        headers=table.headers,
        sample=next(table.rows(), (0, []))[1],
        row_count=table.row_count,
        total=table.row_count,
        mode=mode,
        created_by=user,
    )


def import_set_columns(
    *,
    user: User,
    run: ImportRun,
    columns: dict[str, str],
    mode: str | None = None,
    save_as: str = "",
) -> ImportRun:
    """The user's adjusted mapping {header: field}; saved for reuse under `save_as`."""
    require_importer(user)
    if run.is_running or run.is_applied:
        raise ValidationFailed(_("This import has already started."))
    save_as = save_as.strip()
    if len(save_as) > MAPPING_NAME_LENGTH:  # a 422, never cut (API.md)
        raise ValidationFailed(
            _("This text is %(size)s characters long; at most %(limit)s fit.")
            % {"size": len(save_as), "limit": MAPPING_NAME_LENGTH},
            [("save_as", _("too long"))],
        )
    known = fields_for(run.kind)
    errors = []
    cleaned: dict[str, str] = {}
    for header, target in columns.items():
        if not target:
            continue
        if header not in run.headers or target not in known:
            errors.append((header, _("unknown column or field")))
        elif target in cleaned.values():
            errors.append(
                (
                    header,
                    _("“%(field)s” is chosen for two columns.") % {"field": known[target].label},
                )
            )
        else:
            cleaned[header] = target
    if errors:
        raise ValidationFailed(_("Each field can take one column."), errors)
    run.columns = cleaned
    if mode in ImportMode.values:
        run.mode = mode
    run.status = RunStatus.UPLOADED
    run.report = {}
    run.save(update_fields=["columns", "mode", "status", "report", "updated_at"])
    if save_as:
        ImportMapping.objects.update_or_create(
            created_by=user,
            kind=run.kind,
            name=save_as,
            defaults={"columns": cleaned, "source": run.source},
        )
    return run


def mapping_list(*, user: User, kind: str) -> list[ImportMapping]:
    return list(ImportMapping.objects.filter(created_by=user, kind=kind).order_by("name"))


# ---------------------------------------------------------------------------------------
# check and apply


def import_check(
    run: ImportRun, *, progress: Progress = _no_progress, should_cancel: ShouldCancel = _never
) -> ImportRun:
    """The dry run: every row validated, matched and planned; nothing written."""
    return _run(run, write=False, progress=progress, should_cancel=should_cancel)


def import_apply(
    run: ImportRun, *, progress: Progress = _no_progress, should_cancel: ShouldCancel = _never
) -> ImportRun:
    import_require_applicable(run)
    return _run(run, write=True, progress=progress, should_cancel=should_cancel)


def import_require_applicable(run: ImportRun) -> None:
    """An import applies once, after a check, and in `all` mode only without errors."""
    if run.is_applied:
        raise ValidationFailed(_("This file has already been imported."))
    if run.status not in (RunStatus.CHECKED, RunStatus.QUEUED) or "counts" not in run.report:
        raise ValidationFailed(_("Check the file (dry run) before importing it."))
    if run.mode == ImportMode.ALL and run.report.get("counts", {}).get(ERROR):
        raise ValidationFailed(
            _(
                "The check found rows with errors. Correct them, or import row by row and "
                "download the rejected rows."
            )
        )


def _set_status(run: ImportRun, status: str, message: str = "", **fields: Any) -> None:
    run.status = status
    run.message = message[:500]
    for name, value in fields.items():
        setattr(run, name, value)
    run.save(update_fields=["status", "message", "updated_at", *fields])


def _run(
    run: ImportRun, *, write: bool, progress: Progress, should_cancel: ShouldCancel
) -> ImportRun:
    _set_status(run, RunStatus.APPLYING if write else RunStatus.CHECKING, done=0)
    tally = _Tally(run)
    try:
        table = open_table(run.filename, bytes(run.content))
        missing = missing_required(run.kind, set(run.columns.values()))
        if missing:
            raise FileProblem(
                _(
                    "No column is mapped to “%(field)s”, which every row needs. Choose the "
                    "column that holds it."
                )
                % {"field": missing[0].label}
            )
        work = _Work(run, table, tally, progress, should_cancel, write=write)
        if write and run.mode == ImportMode.ALL:
            with transaction.atomic(), history_reason(run.history_reason):
                work.all_chunks(per_row=False)
        elif write:
            with history_reason(run.history_reason):
                work.all_chunks(per_row=True)
        else:
            work.all_chunks(per_row=True)
    except FileProblem as problem:
        tally.problem = problem.message
        _finish(run, tally, RunStatus.FAILED, problem.message, applied=False)
    except WorkerStopping:
        _finish(run, tally, RunStatus.FAILED, _stopped_message(run, write), applied=False)
        raise
    except (Cancelled, JobCancelled) as exc:
        message = (
            _("Cancelled; nothing was imported.")
            if run.mode == ImportMode.ALL or not write
            else _("Cancelled; the rows before the cancel were imported.")
        )
        _finish(run, tally, RunStatus.CANCELLED, message, applied=write and run.mode != "all")
        if isinstance(exc, JobCancelled):
            raise
    except _Abort:
        _finish(
            run,
            tally,
            RunStatus.FAILED,
            _("A row was refused, so nothing was imported (all or nothing)."),
            applied=False,
        )
    except (DatabaseError, DomainError) as exc:
        logger.exception("import #%s stopped", run.pk)
        message = (
            exc.detail
            if isinstance(exc, DomainError)
            else _("The database refused the import; nothing was written.")
        )
        _finish(run, tally, RunStatus.FAILED, message, applied=False)
    else:
        if write:
            _finish(run, tally, RunStatus.DONE, tally.summary(write=True), applied=True)
        else:
            _finish(run, tally, RunStatus.CHECKED, tally.summary(write=False), applied=False)
    return run


def _stopped_message(run: ImportRun, write: bool) -> str:
    if write and run.mode == ImportMode.ROWS:
        return _(
            "The import stopped before the end; the rows before the stop were imported. "
            "Import the file again to finish (imported rows stay unchanged)."
        )
    return _("The import stopped before the end; nothing was imported. Try again.")


def import_refresh(run: ImportRun) -> ImportRun:
    """A step whose job ended without finishing it (the worker was killed or stopped) is
    shown as stopped instead of running for ever."""
    job = run.job
    if run.is_running and job is not None and job.is_finished:
        fresh = ImportRun.objects.only("status").get(pk=run.pk)
        if fresh.status in (RunStatus.QUEUED, RunStatus.CHECKING, RunStatus.APPLYING):
            write = fresh.status == RunStatus.APPLYING
            if job.status == "cancelled":
                _set_status(run, RunStatus.CANCELLED, _("Cancelled; nothing was imported."))
            else:
                _set_status(run, RunStatus.FAILED, _stopped_message(run, write))
        else:
            run.refresh_from_db()
    return run


def _finish(run: ImportRun, tally: "_Tally", status: str, message: str, *, applied: bool) -> None:
    run.report = tally.report(write=run.status == RunStatus.APPLYING)
    run.rejects = tally.rejects_file() if tally.rejected else None
    _set_status(
        run,
        status,
        message,
        report=run.report,
        rejects=run.rejects,
        is_applied=applied,
        done=tally.done,
    )


class _Tally:
    def __init__(self, run: ImportRun) -> None:
        self.run = run
        self.counts: Counter[str] = Counter()
        self.warnings = 0
        self.issues: list[dict[str, Any]] = []
        self.issues_total = 0
        self.records: list[dict[str, Any]] = []
        self.rejected: list[tuple[list[str], str]] = []
        self.done = 0
        self.problem = ""

    def add(self, plans: list[RowPlan], *, write: bool) -> None:
        for plan in plans:
            self.counts[plan.action] += 1
            self.done += 1
            for issue in plan.issues:
                self.issues_total += 1
                self.warnings += issue.level == "warning"
                if len(self.issues) < ISSUES_KEPT:
                    self.issues.append(issue.as_dict())
            if plan.action == ERROR and write:
                reasons = "; ".join(i.message for i in plan.issues if i.level == "error")
                self.rejected.append((plan.cells, reasons))
            record = plan.record if write else plan.target
            if (
                record is not None
                and record.pk
                and len(self.records) < RECORDS_KEPT
                and (plan.action in (CREATE, UPDATE))
            ):
                self.records.append(
                    {"id": record.pk, "name": str(record)[:200], "action": plan.action}
                )

    def summary(self, *, write: bool) -> str:
        values = {
            "create": self.counts[CREATE],
            "update": self.counts[UPDATE],
            "unchanged": self.counts[UNCHANGED],
            "error": self.counts[ERROR],
        }
        if write:
            return (
                _(
                    "%(create)s created, %(update)s updated, %(unchanged)s unchanged, "
                    "%(error)s rejected."
                )
                % values
            )
        return (
            _(
                "%(create)s to create, %(update)s to update, %(unchanged)s unchanged, "
                "%(error)s with errors."
            )
            % values
        )

    def report(self, *, write: bool) -> dict[str, Any]:
        return {
            "counts": {key: self.counts[key] for key in (CREATE, UPDATE, UNCHANGED, ERROR)},
            "warnings": self.warnings,
            "issues": self.issues,
            "issues_total": self.issues_total,
            "records": self.records if write else [],
            "problem": self.problem,
        }

    def rejects_file(self) -> bytes:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow([*self.run.headers, _("Why it was rejected")])
        for cells, reason in self.rejected:
            writer.writerow([*cells, reason])
        return buffer.getvalue().encode("utf-8-sig")


class _Work:
    def __init__(
        self,
        run: ImportRun,
        table: Table,
        tally: _Tally,
        progress: Progress,
        should_cancel: ShouldCancel,
        *,
        write: bool,
    ) -> None:
        self.run, self.table, self.tally = run, table, tally
        self.progress, self.should_cancel, self.write = progress, should_cancel, write
        self.importer = IMPORTERS[run.kind](
            Context(
                user=run.created_by,
                source=run.source,
                reason=run.history_reason,
                field_headers={target: header for header, target in run.columns.items()},
            )
        )
        index = {header: i for i, header in enumerate(table.headers) if header}
        self.columns = [(index[h], f) for h, f in run.columns.items() if h in index]

    def chunks(self) -> Iterator[list[RowPlan]]:
        rows = self.table.rows()
        while True:
            batch = list(islice(rows, CHUNK))
            if not batch:
                return
            yield [
                RowPlan(
                    number,
                    cells,
                    {f: cells[i].strip() for i, f in self.columns if cells[i].strip()},
                )
                for number, cells in batch
            ]

    def all_chunks(self, *, per_row: bool) -> None:
        verb = _("Importing") if self.write else _("Checking")
        total = self.table.row_count
        self.progress(0, total, verb)
        for plans in self.chunks():
            if per_row and self.write:
                with transaction.atomic():
                    self.one_chunk(plans, per_row=True)
            else:
                self.one_chunk(plans, per_row=per_row)
            self.progress(
                self.tally.done,
                total,
                _("%(verb)s: row %(done)s of %(total)s")
                % {"verb": verb, "done": f"{self.tally.done:,}", "total": f"{total:,}"},
            )
            if self.should_cancel():
                raise Cancelled

    def one_chunk(self, plans: list[RowPlan], *, per_row: bool) -> None:
        importer = self.importer
        for plan in plans:
            importer.parse(plan)
        importer.resolve(plans)
        for plan in plans:
            if plan.has_error:
                plan.action = ERROR
            elif not plan.action:
                plan.action = ERROR
                plan.issues.append(Issue(plan.number, "", _("This row could not be matched.")))
        if self.write:
            if not per_row and any(plan.action == ERROR for plan in plans):
                self.tally.add(plans, write=True)
                raise _Abort
            try:
                importer.write(plans, per_row=per_row)
            except (DomainError, IntegrityError):
                self.tally.add(plans, write=True)
                raise _Abort from None
        self.tally.add(plans, write=self.write)
