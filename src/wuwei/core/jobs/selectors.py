"""Reads of job runs, always through visibility (a user sees the runs they started)."""

from typing import Any

from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from wuwei.core.jobs.registry import job_for
from wuwei.core.models import JobRun
from wuwei.core.visibility import Scope, get_visible, register


@register(JobRun)
def job_run_rule(scope: Scope) -> Q | None:
    """Own runs only (an export holds what its starter may see); administrators see all."""
    return None if "admin" in scope.roles else Q(user_id=scope.user_id)


def job_run_get(*, user: Any, id: int) -> JobRun:
    return get_visible(JobRun, user, pk=id)


def job_title(run: JobRun) -> str | Promise:
    try:
        return job_for(run.job).title
    except (ImportError, TypeError):
        return _("Background job")
