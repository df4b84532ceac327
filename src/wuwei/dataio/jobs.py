"""Imports and exports as background jobs (`wuwei.core.jobs`): the job bodies take only ids
and JSON values, so any worker (another process or machine) can run them.

Neither is resumable: a worker that dies mid-import leaves an all-or-nothing file untouched
(its transaction never committed) and the import is shown as stopped; run it again. In
row-by-row mode the chunks committed before the stop stay, and running it again changes
nothing for them (imports are idempotent)."""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wuwei.core.jobs import JobContext, job
from wuwei.dataio.models import ImportRun, RunStatus
from wuwei.org.models import User

CHECK, APPLY = "check", "apply"


@job(title=gettext_lazy("Check an import file"))
def import_check_job(ctx: JobContext, *, run_id: int) -> dict[str, Any]:
    from wuwei.dataio.services import import_check

    run = ImportRun.objects.select_related("created_by").get(pk=run_id)
    run = import_check(run, progress=ctx.progress)
    return dict(run.report.get("counts", {}))


@job(title=gettext_lazy("Import a file"))
def import_apply_job(ctx: JobContext, *, run_id: int) -> dict[str, Any]:
    from wuwei.dataio.services import import_apply

    run = ImportRun.objects.select_related("created_by").get(pk=run_id)
    run = import_apply(run, progress=ctx.progress)
    if run.rejects:
        path = ctx.file_path(f"rejected-rows-{run.pk}.csv")
        path.write_bytes(bytes(run.rejects))
        ctx.result_file = path
    return dict(run.report.get("counts", {}))


@job(title=gettext_lazy("Export everything I can see"))
def export_job(ctx: JobContext, *, user_id: int, format: str) -> dict[str, Any]:
    from wuwei.dataio.exports import export_write

    user = User.objects.get(pk=user_id)
    path = ctx.file_path(f"wuwei-export.{format}.zip")
    rows = export_write(user=user, format=format, path=path, progress=ctx.progress)
    ctx.result_file = path
    return {"rows": rows}


def start_import_step(run: ImportRun, step: str) -> ImportRun:
    """Queue the check or the import of `run`; the page shows the job's progress."""
    runner = import_apply_job if step == APPLY else import_check_job
    with transaction.atomic():
        run.job = runner.enqueue(user=run.created_by, run_id=run.pk)
        run.status = RunStatus.QUEUED
        run.message = _("Waiting for a worker…")
        run.save(update_fields=["job", "status", "message", "updated_at"])
    return run


def start_export(*, user: User, format: str) -> Any:
    return export_job.enqueue(user=user, user_id=user.pk, format=format)
