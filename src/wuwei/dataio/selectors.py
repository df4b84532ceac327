"""Reads of the import and export pages: the recent runs, one run, the saved mappings."""

from typing import Any

from django.db.models import QuerySet

from wuwei.core.models import JobRun
from wuwei.core.visibility import get_visible, visible
from wuwei.dataio.jobs import export_job
from wuwei.dataio.models import ImportMapping, ImportRun

RECENT = 10


def recent_imports(user: Any) -> list[ImportRun]:
    """The latest import runs the user sees, without their file and rejects."""
    return list(
        visible(ImportRun, user).defer("content", "rejects").order_by("-created_at")[:RECENT]
    )


def recent_exports(user: Any) -> list[JobRun]:
    """The user's own latest full exports."""
    return list(
        visible(JobRun, user)
        .filter(job=export_job.path, user=user)
        .order_by("-created_at")[:RECENT]
    )


def import_run_get(user: Any, run_id: int) -> ImportRun:
    """One import run the user sees (NotFound otherwise)."""
    return get_visible(ImportRun.objects.select_related("job"), user, pk=run_id)


def mappings_for(user: Any, kind: str) -> QuerySet[ImportMapping]:
    """The user's saved column mappings for this kind of record."""
    return ImportMapping.objects.filter(created_by=user, kind=kind).order_by("name")


def mapping_get(user: Any, mapping_id: int) -> ImportMapping | None:
    """One of the user's saved mappings, or None."""
    return ImportMapping.objects.filter(pk=mapping_id, created_by=user).first()
