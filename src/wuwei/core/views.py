"""A job run's progress: the page, the htmx fragment that polls itself, cancel, the file."""

from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from wuwei.core.errors import NotFound
from wuwei.core.jobs import request_cancel
from wuwei.core.jobs.selectors import job_run_get, job_title, live_progress
from wuwei.core.models import JobRun


def _run(request: HttpRequest, run_id: int) -> JobRun:
    try:
        return live_progress(job_run_get(user=request.user, id=run_id))
    except NotFound:
        raise Http404 from None


@login_required
def job_detail(request: HttpRequest, run_id: int) -> HttpResponse:
    run = _run(request, run_id)
    return render(request, "core/job.html", {"run": run, "title": job_title(run)})


@login_required
def job_progress(request: HttpRequest, run_id: int) -> HttpResponse:
    """The progress fragment; it polls itself every second until the run has finished."""
    return render(request, "core/_job_progress.html", {"run": _run(request, run_id)})


@login_required
@require_POST
def job_cancel(request: HttpRequest, run_id: int) -> HttpResponse:
    run = _run(request, run_id)
    request_cancel(run)
    if getattr(request, "htmx", False):
        return render(request, "core/_job_progress.html", {"run": run})
    return redirect("jobs:detail", run_id=run.pk)


@login_required
def job_file(request: HttpRequest, run_id: int) -> HttpResponse | FileResponse:
    """The run's result file, only from the jobs folder and only once the run has finished."""
    run = _run(request, run_id)
    if not run.is_finished or not run.result_file:
        raise Http404
    root = Path(settings.WUWEI_JOB_FILES).resolve()
    path = Path(run.result_file).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        raise Http404
    return FileResponse(path.open("rb"), as_attachment=True, filename=path.name)
