"""Import and export pages: upload → map columns → check (dry run) → import, with a progress
bar that htmx polls; the generic template; full exports. Who may import: `may_import`
(administrators, managers, reps); everyone else gets 404 on every import page."""

import csv
import io
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from wuwei.core.errors import DomainError
from wuwei.dataio import jobs, selectors
from wuwei.dataio.forms import ApplyForm, ExportForm, UploadForm
from wuwei.dataio.importers import may_import
from wuwei.dataio.models import ExportFormat, ImportKind, ImportRun
from wuwei.dataio.presets import FIELDS, presets_for, template_headers
from wuwei.dataio.readers import FileProblem
from wuwei.dataio.services import (
    import_create,
    import_refresh,
    import_require_applicable,
    import_set_columns,
)
from wuwei.org.http import AuthedHttpRequest

RECORD_URLS: dict[str, str] = {
    ImportKind.ACCOUNTS: "accounts:detail",
    ImportKind.OPPORTUNITIES: "opportunities:detail",
    ImportKind.CONTACTS: "people:detail",
}


def _require_importer(request: AuthedHttpRequest) -> None:
    if not may_import(request.user):
        raise Http404


def _run(request: AuthedHttpRequest, run_id: int) -> ImportRun:
    _require_importer(request)
    try:
        return selectors.import_run_get(request.user, run_id)
    except DomainError:
        raise Http404 from None


@login_required
def data_home(request: AuthedHttpRequest) -> HttpResponse:
    is_importer = may_import(request.user)
    imports = selectors.recent_imports(request.user) if is_importer else []
    exports = selectors.recent_exports(request.user)
    return render(
        request,
        "dataio/home.html",
        {
            "is_importer": is_importer,
            "upload_form": UploadForm(),
            "export_form": ExportForm(),
            "imports": imports,
            "exports": exports,
            "kinds": ImportKind.choices,
        },
    )


@login_required
@require_POST
def import_upload(request: AuthedHttpRequest) -> HttpResponse:
    _require_importer(request)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect("dataio:home")
    upload = form.cleaned_data["file"]
    try:
        run = import_create(
            user=request.user,
            kind=form.cleaned_data["kind"],
            filename=Path(upload.name).name,
            content=upload.read(),
        )
    except FileProblem as problem:
        messages.error(request, problem.message)
        return redirect("dataio:home")
    except DomainError as exc:
        messages.error(request, exc.detail)
        return redirect("dataio:home")
    return redirect("dataio:import", run.pk)


def _columns_context(run: ImportRun, user: Any) -> dict[str, Any]:
    fields = FIELDS[run.kind]
    sample = list(run.sample) + [""] * len(run.headers)
    rows = [
        {"index": i, "header": header, "sample": sample[i], "field": run.columns.get(header, "")}
        for i, header in enumerate(run.headers)
        if header
    ]
    return {
        "column_rows": rows,
        "fields": fields,
        "mappings": selectors.mappings_for(user, run.kind),
        "presets": presets_for(run.kind),
    }


@login_required
def import_detail(request: AuthedHttpRequest, run_id: int) -> HttpResponse:
    run = import_refresh(_run(request, run_id))
    context: dict[str, Any] = {
        "run": run,
        "apply_form": ApplyForm(initial={"mode": run.mode}),
        "progress_url": reverse("dataio:import_progress", args=[run.pk]),
        "presets": presets_for(run.kind),
    }
    if not run.is_applied and not run.is_running:
        context.update(_columns_context(run, request.user))
    urls = RECORD_URLS.get(run.kind)
    context["records"] = [
        {**record, "url": reverse(urls, args=[record["id"]]) if urls else ""}
        for record in run.report.get("records", [])
    ]
    return render(request, "dataio/import.html", context)


@login_required
@require_POST
def import_columns(request: AuthedHttpRequest, run_id: int) -> HttpResponse:
    """Save the mapping (or load a saved one), then check the file (dry run)."""
    run = _run(request, run_id)
    mapping_id = request.POST.get("mapping", "")
    if mapping_id.isdigit():
        mapping = selectors.mapping_get(request.user, int(mapping_id))
        columns = dict(mapping.columns) if mapping else {}
    else:
        columns = {
            header: request.POST.get(f"column-{index}", "")
            for index, header in enumerate(run.headers)
            if header
        }
    try:
        import_set_columns(
            user=request.user, run=run, columns=columns, save_as=request.POST.get("save_as", "")
        )
        jobs.start_import_step(run, jobs.CHECK)
    except DomainError as exc:
        messages.error(request, " ".join([exc.detail, *(m for _f, m in exc.errors)]))
    return redirect("dataio:import", run.pk)


@login_required
@require_POST
def import_apply(request: AuthedHttpRequest, run_id: int) -> HttpResponse:
    run = _run(request, run_id)
    form = ApplyForm(request.POST)
    if form.is_valid() and not run.is_running:
        run.mode = form.cleaned_data["mode"]
        run.save(update_fields=["mode", "updated_at"])
        try:
            import_require_applicable(run)
            jobs.start_import_step(run, jobs.APPLY)
        except DomainError as exc:
            messages.error(request, exc.detail)
    return redirect("dataio:import", run.pk)


@login_required
def import_progress(request: AuthedHttpRequest, run_id: int) -> HttpResponse:
    """Polled (hx-swap none) while a step runs: reloads the page once it has finished, so
    that the report appears. The bar itself is the job's (core/_job_progress.html)."""
    run = import_refresh(_run(request, run_id))
    response = HttpResponse(status=204)
    if not run.is_running:
        response["HX-Refresh"] = "true"
    return response


@login_required
def import_rejects(request: AuthedHttpRequest, run_id: int) -> HttpResponse:
    run = _run(request, run_id)
    if not run.rejects:
        raise Http404
    response = HttpResponse(bytes(run.rejects), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="rejected-rows-{run.pk}.csv"'
    return response


@login_required
def template_download(request: AuthedHttpRequest, kind: str, fmt: str) -> HttpResponse:
    _require_importer(request)
    if kind not in ImportKind.values or fmt not in ("csv", "xlsx"):
        raise Http404
    headers = template_headers(kind)
    if fmt == "csv":
        buffer = io.StringIO()
        csv.writer(buffer).writerow(headers)
        response = HttpResponse(
            buffer.getvalue().encode("utf-8-sig"), content_type="text/csv; charset=utf-8"
        )
    else:
        from openpyxl import Workbook

        workbook = Workbook()
        workbook.active.append(headers)
        stream = io.BytesIO()
        workbook.save(stream)
        response = HttpResponse(
            stream.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="wuwei-{kind}-template.{fmt}"'
    return response


# ---------------------------------------------------------------------------------------
# export


@login_required
@require_POST
def export_start(request: AuthedHttpRequest) -> HttpResponse:
    """Queue a full export of what the user may see; its job page shows the progress bar
    and, when done, the download."""
    form = ExportForm(request.POST)
    fmt = form.cleaned_data["format"] if form.is_valid() else ExportFormat.CSV
    run = jobs.start_export(user=request.user, format=fmt)
    return redirect("jobs:detail", run_id=run.pk)
