"""The registry's keeper's pages: importing (or syncing) the staff from a file, each
import's report with its CSV download, and the TPP base amounts per grade."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from lumbung.core.errors import DomainError, NotFound
from lumbung.core.forms import apply_domain_error
from lumbung.core.views.helpers import RegionRequest, current_region, require_perm

from ..models import ImportRun
from ..selectors import region_today
from . import selectors as s
from .forms import ImportForm, TppBaseForm
from .imports import report_csv, staff_import
from .tpp import tpp_base_add

MANAGE = "performance.manage_registry"
MAX_UPLOAD = 20 * 1024 * 1024
GET_POST = require_http_methods(["GET", "HEAD", "POST"])


@GET_POST
@require_perm(MANAGE)
def staff_import_page(request: RegionRequest, region_slug: str) -> HttpResponse:
    region = current_region(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            form.add_error("file", _("The file is larger than 20 MB."))
        else:
            run = staff_import(
                region=region, actor=request.user, file=upload.file, filename=upload.name
            )
            if run.succeeded:
                messages.success(request, _("The file is imported."))
            return redirect("core:performance:staff_import_run", region_slug=region.slug, pk=run.pk)
    runs = Paginator(s.staff_imports(region), 20).get_page(request.GET.get("page"))
    return render(
        request,
        "performance/registry/import.html",
        {"form": form, "page": runs},
        status=422 if form.errors else 200,
    )


def _run_or_404(request: RegionRequest, pk: int) -> ImportRun:
    try:
        return s.staff_import_get(current_region(request), pk)
    except NotFound:
        raise Http404 from None


@require_safe
@require_perm(MANAGE)
def staff_import_run(request: RegionRequest, region_slug: str, pk: int) -> HttpResponse:
    run = _run_or_404(request, pk)
    return render(request, "performance/registry/import_run.html", {"run": run})


@require_safe
@require_perm(MANAGE)
def staff_import_errors(request: RegionRequest, region_slug: str, pk: int) -> HttpResponse:
    run = _run_or_404(request, pk)
    response = HttpResponse(report_csv(run), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{run.pk}-errors.csv"'
    return response


@require_http_methods(["GET", "HEAD", "POST"])
@require_perm(MANAGE)
def tpp_bases(request: RegionRequest, region_slug: str) -> HttpResponse:
    region = current_region(request)
    form = TppBaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            tpp_base_add(region=region, actor=request.user, **form.cleaned_data)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("The base amount is added."))
            return redirect("core:performance:tpp_bases", region_slug=region.slug)
    context = {"form": form, "bases": s.tpp_bases(region), "today": region_today(region)}
    return render(
        request, "performance/registry/tpp_bases.html", context, status=422 if form.errors else 200
    )
