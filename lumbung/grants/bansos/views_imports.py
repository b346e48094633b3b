"""Bulk imports of recipient lists: the upload, the job's page with a progress bar that
polls its own small part of the page (htmx, every 2 s, while the job runs), the outcome
with the error report to download, and the list of jobs."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from lumbung.core.errors import DomainError
from lumbung.core.forms import apply_domain_error
from lumbung.core.services.audit import personal_data_read
from lumbung.core.views.helpers import RegionRequest, current_region, require_perm

from ..models import ImportJob
from ..selectors_bansos import import_job_list
from ..services.imports import import_start
from .forms import ImportForm
from .selectors import import_job_get
from .views_common import PAGE, REGISTRY, found, private

RUNNING = (ImportJob.Status.QUEUED, ImportJob.Status.RUNNING)


@require_safe
@require_perm(REGISTRY)
def imports(request: RegionRequest, region_slug: str) -> HttpResponse:
    region = current_region(request)
    page = Paginator(import_job_list(region), PAGE).get_page(request.GET.get("page"))
    return render(request, "grants/bansos/imports.html", {"page": page})


@require_http_methods(["GET", "HEAD", "POST"])
@require_perm(REGISTRY)
def import_new(request: RegionRequest, region_slug: str) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            data = form.cleaned_data
            try:
                job = import_start(
                    region=current_region(request),
                    actor=request.user,
                    file=data["file"],
                    source=data["source"],
                    mode=data["mode"],
                )
            except DomainError as error:
                apply_domain_error(form, error)
                status = error.status
            else:
                return redirect("core:grants:bansos-import", region_slug=region_slug, pk=job.pk)
    return render(request, "grants/bansos/import_new.html", {"form": form}, status=status)


def _progress_context(job: ImportJob) -> dict[str, object]:
    total = max(job.total_rows, job.processed_rows)
    percent = int(job.processed_rows * 100 / total) if total else 0
    return {"job": job, "running": job.status in RUNNING, "total": total, "percent": percent}


@require_safe
@require_perm(REGISTRY)
def import_job(request: RegionRequest, region_slug: str, pk: int) -> HttpResponse:
    job = found(request, import_job_get, pk)
    return render(request, "grants/bansos/import.html", _progress_context(job))


@require_safe
@require_perm(REGISTRY)
def import_progress(request: RegionRequest, region_slug: str, pk: int) -> HttpResponse:
    """The job's progress bar alone, which the job's page polls while the job runs."""
    job = found(request, import_job_get, pk)
    response = render(request, "grants/bansos/_import_progress.html", _progress_context(job))
    response["Cache-Control"] = "no-store"
    return response


@require_safe
@require_perm(REGISTRY)
def import_report(request: RegionRequest, region_slug: str, pk: int) -> FileResponse:
    """The row-error report (values as written, full NIKs included: the uploader needs them
    to find the rows), for the registry's staff only; the download is audited."""
    job = found(request, import_job_get, pk)
    if not job.error_report:
        raise Http404
    with transaction.atomic():
        personal_data_read(
            region=current_region(request),
            actor=request.user,
            obj=job,
            fields=["nik", "kk", "phone", "address"],
            purpose=_("import error report"),
        )
    stem = job.filename.rsplit(".", 1)[0][:60] or "import"
    response = FileResponse(
        job.error_report.open("rb"),
        as_attachment=True,
        filename=f"{stem}-report.csv",
        content_type="text/csv; charset=utf-8",
    )
    private(response)
    return response


urlpatterns: list[URLPattern] = [
    path("bansos/imports/", imports, name="bansos-imports"),
    path("bansos/imports/new/", import_new, name="bansos-import-new"),
    path("bansos/imports/<int:pk>/", import_job, name="bansos-import"),
    path("bansos/imports/<int:pk>/progress/", import_progress, name="bansos-import-progress"),
    path("bansos/imports/<int:pk>/report/", import_report, name="bansos-import-report"),
]
