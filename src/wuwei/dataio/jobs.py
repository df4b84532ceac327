"""Running import steps and exports: the job bodies, and how the web starts them.

A job body takes only ids (it may run in another process or on another machine), publishes
its progress and reads cancel requests through `dataio.progress`."""

import logging

from django.conf import settings
from django.utils.translation import gettext as _

from wuwei.core.errors import ValidationFailed
from wuwei.dataio import progress
from wuwei.dataio.models import ExportRun, ImportRun

logger = logging.getLogger(__name__)
CHECK, APPLY = "check", "apply"


def import_key(run_id: int) -> str:
    return f"import:{run_id}"


def export_key(run_id: int) -> str:
    return f"export:{run_id}"


def import_step_run(run_id: int, step: str) -> None:
    """The job: check (dry run) or apply one import."""
    from wuwei.dataio.services import import_apply, import_check

    run = ImportRun.objects.select_related("created_by").get(pk=run_id)
    key = import_key(run_id)

    def publish(done: int, total: int, message: str) -> None:
        progress.publish(key, done, total, message)

    try:
        if step == APPLY:
            import_apply(
                run, progress=publish, should_cancel=lambda: progress.is_cancel_requested(key)
            )
        else:
            import_check(
                run, progress=publish, should_cancel=lambda: progress.is_cancel_requested(key)
            )
    finally:
        progress.clear(key)


def export_run(run_id: int) -> None:
    """The job: write one full export."""
    from wuwei.dataio.exports import export_write

    run = ExportRun.objects.select_related("created_by").get(pk=run_id)
    key = export_key(run_id)
    try:
        export_write(
            run,
            progress=lambda d, t, m: progress.publish(key, d, t, m),
            should_cancel=lambda: progress.is_cancel_requested(key),
        )
    finally:
        progress.clear(key)


def start_import_step(run: ImportRun, step: str) -> None:
    """Start a step. Until the job queue is there, small files run inside the request and
    larger ones are refused with a pointer to `wuwei import`."""
    if run.row_count > settings.WUWEI_IMPORT_SYNC_ROWS:
        raise ValidationFailed(
            _(
                "This file has %(rows)s rows; files over %(limit)s rows are imported with the "
                "command “wuwei import”."
            )
            % {"rows": f"{run.row_count:,}", "limit": f"{settings.WUWEI_IMPORT_SYNC_ROWS:,}"}
        )
    import_step_run(run.pk, step)


def start_export(run: ExportRun) -> None:
    export_run(run.pk)
