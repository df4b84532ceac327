"""Reads of job runs, always through visibility (a user sees the runs they started)."""

from typing import Any

from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from wuwei.core import permissions
from wuwei.core.jobs.context import read_side_progress
from wuwei.core.jobs.registry import job_for
from wuwei.core.models import JobRun, JobStatus
from wuwei.core.visibility import Scope, get_visible, register


def job_run_rule(scope: Scope) -> Q | None:
    """Own runs only (an export holds what its starter may see); administrators see all."""
    return None if permissions.roles_may(scope.roles, "jobs.all") else Q(user_id=scope.user_id)


def job_run_get(*, user: Any, id: int) -> JobRun:
    return get_visible(JobRun, user, pk=id)


def live_progress(run: JobRun) -> JobRun:
    """The run with its latest progress: on SQLite a running job may have written it to its
    side file while holding the database's write lock (core.jobs.context)."""
    if run.status == JobStatus.RUNNING:
        side = read_side_progress(run.pk)
        if side is not None and int(side.get("done") or 0) >= run.done:
            run.done = int(side.get("done") or 0)
            run.total = side.get("total") if side.get("total") is not None else run.total
            run.message = str(side.get("message") or run.message)
    return run


def job_title(run: JobRun) -> str | Promise:
    try:
        return job_for(run.job).title
    except (ImportError, TypeError):
        return _("Background job")


def register_rules() -> None:
    """Called from `CoreConfig.ready()`: the rule of the job runs."""
    register(JobRun)(job_run_rule)
