"""The overseers' allowance pages: months (compute, close, results per unit, payroll
export), attendance imports (with each refused file's problems as CSV) and the formula's
versions. Payroll staff and the region administrator use them; auditors export."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from lumbung.core.errors import DomainError, NotFound
from lumbung.core.forms import apply_domain_error
from lumbung.core.models import Region, Unit
from lumbung.core.views.helpers import RegionRequest, current_region, require_perm

from ..models import Period
from . import selectors as read
from .attendance import ImportRefused, attendance_import
from .compute import month_compute
from .csvfiles import errors_csv
from .export import FORMATS, payroll_export
from .forms import FormulaForm, ImportForm, MonthForm, bands_to_text
from .formulas import formula_add
from .months import cutoff_of, month_close

CLOSE = "performance.close_month"


def _period(region: Region, pk: int) -> Period:
    try:
        return read.period_get(region, pk)
    except NotFound:
        raise Http404 from None


def _months_page(
    request: RegionRequest, region: Region, form: MonthForm, status: int = 200
) -> HttpResponse:
    rows = [(p, cutoff_of(region, p.year, p.month)) for p in read.periods(region)]
    context = {"rows": rows, "form": form}
    return render(request, "performance/allowance/months.html", context, status=status)


@require_safe
@require_perm(CLOSE)
def months(request: RegionRequest, region_slug: str) -> HttpResponse:
    """The months with their state and totals; compute one, close one past its cut-off."""
    region = current_region(request)
    return _months_page(request, region, MonthForm())


@require_http_methods(["GET", "HEAD", "POST"])
@require_perm(CLOSE)
def month_compute_view(request: RegionRequest, region_slug: str) -> HttpResponseBase:
    region = current_region(request)
    if request.method != "POST":
        return redirect("core:performance:months", region.slug)
    form = MonthForm(request.POST)
    if form.is_valid():
        year, month = form.cleaned_data["month"]
        try:
            period = month_compute(region=region, actor=request.user, year=year, month=month)
            messages.success(request, _("%(month)s was computed.") % {"month": period})
            return redirect("core:performance:month", region.slug, period.pk)
        except DomainError as refused:
            apply_domain_error(form, refused)
    return _months_page(request, region, form, status=422)


@require_safe
@require_perm(CLOSE)
def month(request: RegionRequest, region_slug: str, pk: int) -> HttpResponse:
    """One month: totals per unit, and one unit's people when a unit is chosen."""
    region = current_region(request)
    period = _period(region, pk)
    unit = _unit(region, request.GET.get("unit"))
    context = {
        "period": period,
        "cutoff": cutoff_of(region, period.year, period.month),
        "units": read.unit_totals(region, period),
        "unit": unit,
        "rows": list(read.results(region, period, unit)) if unit else [],
    }
    return render(request, "performance/allowance/month.html", context)


def _unit(region: Region, raw: str | None) -> Unit | None:
    if not raw:
        return None
    found = Unit.objects.filter(region=region, pk=int(raw)).first() if raw.isdigit() else None
    if found is None:
        raise Http404
    return found


@require_http_methods(["GET", "HEAD", "POST"])
@require_perm(CLOSE)
def month_close_view(request: RegionRequest, region_slug: str, pk: int) -> HttpResponseBase:
    """Close the month (POST); a GET goes back to the month."""
    region = current_region(request)
    period = _period(region, pk)
    if request.method == "POST":
        try:
            month_close(region=region, actor=request.user, period=period)
            messages.success(request, _("%(month)s is closed.") % {"month": period})
        except DomainError as refused:
            messages.error(request, str(refused.message))
    return redirect("core:performance:month", region.slug, period.pk)


@require_safe
@require_perm("performance.export_payroll")
def month_export(request: RegionRequest, region_slug: str, pk: int) -> HttpResponse:
    """The month's payroll list, whole or of one unit (`?unit=`), as CSV or XLSX (`?format=`)."""
    region = current_region(request)
    fmt = request.GET.get("format", "csv")
    if fmt not in FORMATS:
        raise Http404
    period = _period(region, pk)
    unit = _unit(region, request.GET.get("unit"))
    made = payroll_export(region=region, actor=request.user, period=period, unit=unit, fmt=fmt)
    response = HttpResponse(made.content, content_type=made.content_type)
    response["Content-Disposition"] = f'attachment; filename="{made.filename}"'
    return response


@require_http_methods(["GET", "HEAD", "POST"])
@require_perm("performance.import_attendance")
def attendance(request: RegionRequest, region_slug: str) -> HttpResponse:
    """Upload the machines' export or the leave records; the runs so far."""
    region = current_region(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                run = attendance_import(
                    region=region, actor=request.user, kind=form.cleaned_data["kind"],
                    filename=upload.name or "", data=upload.read(),
                )  # fmt: skip
                messages.success(request, _("%(n)d days imported.") % {"n": run.rows_imported})
                return redirect("core:performance:attendance", region.slug)
            except ImportRefused as refused:
                form.add_error("file", str(refused.message))
    runs = read.import_runs(region).select_related("created_by")[:50]
    context = {"form": form, "runs": runs}
    return render(request, "performance/allowance/attendance.html", context, status=status)


@require_safe
@require_perm("performance.import_attendance")
def attendance_errors(request: RegionRequest, region_slug: str, pk: int) -> HttpResponse:
    """A refused file's problems, one per line, for fixing it in a spreadsheet."""
    region = current_region(request)
    try:
        run = read.import_run_get(region, pk)
    except NotFound:
        raise Http404 from None
    response = HttpResponse(errors_csv(run.errors), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{run.pk}-problems.csv"'
    return response


@require_http_methods(["GET", "HEAD", "POST"])
@require_perm("performance.manage_formula")
def formulas(request: RegionRequest, region_slug: str) -> HttpResponse:
    """The formula's versions, and a new one from a month on."""
    region = current_region(request)
    form = FormulaForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                formula_add(region=region, actor=request.user, data=form.data_input())
                messages.success(request, _("Saved."))
                return redirect("core:performance:formulas", region.slug)
            except DomainError as refused:
                apply_domain_error(form, refused)
    rows = [
        {"formula": f, "late": bands_to_text(f.late_bands), "early": bands_to_text(f.early_bands)}
        for f in read.formula_list(region)
    ]
    context = {"form": form, "rows": rows}
    return render(request, "performance/allowance/formulas.html", context, status=status)
