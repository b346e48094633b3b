"""The allowance API under /api/v1/regions/{region_slug}/performance/: formula versions,
attendance imports, months (compute, close, results, payroll), a person's explained TPP and
authorised corrections. Personal pay data answers only those who may see it (others: 404)."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import File, Form, Path, Query, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from lumbung.api.auth import AUTH
from lumbung.api.context import require
from lumbung.api.pagination import Page
from lumbung.core.errors import NotFound, ValidationFailed
from lumbung.core.models import Region, User

from ..models import Employee, Entry, ImportKind
from ..selectors import can_see_pay, employee_of
from . import selectors as read
from .api_out import explanation_out, formula_out, period_out, result_out
from .attendance import attendance_import
from .compute import month_compute
from .corrections import attendance_correct, entry_correct
from .explain import tpp_explain
from .export import FORMATS as EXPORT_FORMATS
from .export import payroll_export
from .formulas import FormulaInput, formula_add
from .months import month_close
from .schemas import (
    PerfAttendanceDayOut,
    PerfAttendanceImportOut,
    PerfCorrectionOut,
    PerfDayCorrectionIn,
    PerfEntryCorrectionIn,
    PerfExplanationOut,
    PerfFormulaIn,
    PerfFormulaOut,
    PerfMonthIn,
    PerfMonthQuery,
    PerfPayrollQuery,
    PerfPeriodOut,
    PerfResultOut,
    PerfResultQuery,
)

router = Router(auth=AUTH)
CODES = " Errors: permission_denied (403)"
PAYROLL_FILES = {
    200: {
        "description": "The payroll list",
        "content": {
            media.split(";")[0]: {"schema": {"type": "string", "format": "binary"}}
            for media in EXPORT_FORMATS.values()
        },
    }
}


# Formula versions -------------------------------------------------------------------------


@router.get("/formulas", response=list[PerfFormulaOut], summary="TPP formula versions")
def formulas(request: HttpRequest, region_slug: Path[str]) -> list[dict[str, Any]]:
    region, _user = require(request, "performance.manage_formula")
    return [formula_out(f) for f in read.formula_list(region)]


@router.post(
    "/formulas",
    response={201: PerfFormulaOut},
    summary="Add a TPP formula version",
    description="From the first day of a month after the last closed one. `weighted`: the two "
    "weights add up to 100; bands are [from, to or null, percent], in order, not overlapping."
    + CODES
    + ", performance_formula_invalid (422), performance_month_closed (409).",
)
def formula_create(
    request: HttpRequest, region_slug: Path[str], payload: PerfFormulaIn
) -> Status[dict[str, Any]]:
    region, user = require(request, "performance.manage_formula")
    saved = formula_add(region=region, actor=user, data=FormulaInput(**payload.dict()))
    return Status(201, formula_out(saved))


# Attendance -------------------------------------------------------------------------------


@router.post(
    "/attendance/imports",
    response={201: PerfAttendanceImportOut},
    summary="Import attendance (multipart `kind` and `file`)",
    description="`attendance`: the machines' export (NIP, date, check-in, check-out); `leave`: "
    "NIP, from, to, kind (leave, duty, sick), note. Dates YYYY-MM-DD or DD/MM/YYYY, times "
    "HH:MM[:SS]; comma or semicolon. All rows or none: a bad row refuses the file with "
    "performance_import_failed (422), one error per problem keyed `row <line>.<column>`; the "
    "refused run is kept with its problems." + CODES + ".",
)
def attendance_upload(
    request: HttpRequest,
    region_slug: Path[str],
    kind: Form[str],
    file: File[UploadedFile],
) -> Status[Any]:
    region, user = require(request, "performance.import_attendance")
    if kind not in (ImportKind.ATTENDANCE, ImportKind.LEAVE):
        raise ValidationFailed({"kind": [_("Choose attendance or leave.")]})
    run = attendance_import(
        region=region, actor=user, kind=kind, filename=file.name or "", data=file.read()
    )
    return Status(201, run)


@router.get("/attendance/imports", response=list[PerfAttendanceImportOut], summary="Import runs")
@paginate(Page, page_size=50, max_page_size=200)
def attendance_runs(request: HttpRequest, region_slug: Path[str]):  # type: ignore[no-untyped-def]
    region, _user = require(request, "performance.import_attendance")
    return read.import_runs(region)


@router.get(
    "/attendance/imports/{int:run_id}", response=PerfAttendanceImportOut, summary="One import run"
)
def attendance_run(request: HttpRequest, region_slug: Path[str], run_id: int) -> Any:
    region, _user = require(request, "performance.import_attendance")
    return read.import_run_get(region, run_id)


@router.get(
    "/attendance/me",
    response=list[PerfAttendanceDayOut],
    summary="My attendance days of a month",
)
def attendance_mine(
    request: HttpRequest, region_slug: Path[str], month: Query[PerfMonthQuery]
) -> Any:
    region, user = require(request, "performance.log")
    me = employee_of(region, user)
    if me is None:
        raise NotFound()
    return list(read.days_of(region, me, month.year, month.month))


# Months -----------------------------------------------------------------------------------


@router.get("/months", response=list[PerfPeriodOut], summary="Months of the allowance")
@paginate(Page, page_size=24, max_page_size=120)
def months(request: HttpRequest, region_slug: Path[str]):  # type: ignore[no-untyped-def]
    region, _user = require(request, "performance.close_month")
    return [period_out(region, p) for p in read.periods(region)]


@router.post(
    "/months",
    response=PerfPeriodOut,
    summary="Compute (or compute again) a month",
    description="Everyone active in the month, from approved minutes, attendance, the formula "
    "and grade bases in force on its first day." + CODES + ", performance_month_closed (409), "
    "performance_formula_missing (409), performance_base_missing (409).",
)
def month_compute_api(request: HttpRequest, region_slug: Path[str], payload: PerfMonthIn) -> Any:
    region, user = require(request, "performance.close_month")
    period = month_compute(region=region, actor=user, year=payload.year, month=payload.month)
    return period_out(region, read.period_get(region, period.pk))


@router.post(
    "/months/{int:period_id}/close",
    response=PerfPeriodOut,
    summary="Close a month",
    description="From its cut-off (cutoff_day of the next month): computes it a final time "
    "and locks it." + CODES + ", performance_month_not_due (409), performance_month_closed "
    "(409).",
)
def month_close_api(request: HttpRequest, region_slug: Path[str], period_id: int) -> Any:
    region, user = require(request, "performance.close_month")
    period = month_close(region=region, actor=user, period=read.period_get(region, period_id))
    return period_out(region, read.period_get(region, period.pk))


@router.get(
    "/months/{int:period_id}/results",
    response=list[PerfResultOut],
    summary="A month's results (pay data)",
)
@paginate(Page, page_size=100, max_page_size=1000)
def month_results(  # type: ignore[no-untyped-def]
    request: HttpRequest, region_slug: Path[str], period_id: int, filters: Query[PerfResultQuery]
):
    region, _user = require(request, "performance.export_payroll")
    period = read.period_get(region, period_id)
    found = read.results(region, period, read.unit_of(region, filters.unit_id))
    return [result_out(r) for r in found]


@router.get(
    "/months/{int:period_id}/payroll",
    summary="The payroll list of a month (CSV or XLSX), per unit or whole",
    description="Columns: NIP, name, unit, grade, base, minutes, shares, deduction, days, "
    "amount. Every export is an audit event." + CODES + ".",
    openapi_extra={"responses": PAYROLL_FILES},
)
def month_payroll(
    request: HttpRequest, region_slug: Path[str], period_id: int, filters: Query[PerfPayrollQuery]
) -> HttpResponse:
    region, user = require(request, "performance.export_payroll")
    period = read.period_get(region, period_id)
    unit = read.unit_of(region, filters.unit_id)
    made = payroll_export(region=region, actor=user, period=period, unit=unit, fmt=filters.format)
    response = HttpResponse(made.content, content_type=made.content_type)
    response["Content-Disposition"] = f'attachment; filename="{made.filename}"'
    return response


# A person's allowance, explained ----------------------------------------------------------


def _explained(region: Region, person: Employee, month: PerfMonthQuery) -> dict[str, Any]:
    found = tpp_explain(region, person, month.year, month.month)
    if found is None:
        raise NotFound(_("Not active in this month."))
    return explanation_out(found)


@router.get("/tpp/me", response=PerfExplanationOut, summary="My allowance of a month, explained")
def tpp_mine(request: HttpRequest, region_slug: Path[str], month: Query[PerfMonthQuery]) -> Any:
    region, user = require(request, "performance.log")
    me = employee_of(region, user)
    if me is None:
        raise NotFound()
    return _explained(region, me, month)


@router.get(
    "/tpp/{int:employee_id}",
    response=PerfExplanationOut,
    summary="A person's allowance of a month, explained",
    description="Only for the person, their supervisors, their unit's head, payroll staff, "
    "auditors and the region administrator; anyone else gets not_found (404).",
)
def tpp_person(
    request: HttpRequest, region_slug: Path[str], employee_id: int, month: Query[PerfMonthQuery]
) -> Any:
    region, user = require(request, "performance.use")
    return _explained(region, _visible(region, user, employee_id), month)


def _visible(region: Region, user: User, employee_id: int) -> Employee:
    person = Employee.objects.filter(region=region, pk=employee_id).first()
    if person is None or not can_see_pay(region, user, person):
        raise NotFound()
    return person


# Corrections ------------------------------------------------------------------------------


@router.post(
    "/corrections/entries/{int:entry_id}",
    response={201: PerfCorrectionOut},
    summary="Correct an entry's approval (with a reason)",
    description="Approve (optionally a smaller quantity) or reject an approved or rejected "
    "entry, in a closed month too; that person's month is computed again." + CODES
    + ", action_not_allowed (403), performance_correction_invalid (409).",
)  # fmt: skip
def correct_entry(
    request: HttpRequest, region_slug: Path[str], entry_id: int, payload: PerfEntryCorrectionIn
) -> Status[Any]:
    region, user = require(request, "performance.correct")
    entry = Entry.objects.filter(region=region, pk=entry_id).select_related("employee").first()
    if entry is None:
        raise NotFound()
    made = entry_correct(region=region, actor=user, entry=entry, approve=payload.approve,
                         reason=payload.reason, quantity=payload.quantity)  # fmt: skip
    return Status(201, made)


@router.post(
    "/corrections/attendance/{int:employee_id}",
    response={201: PerfCorrectionOut},
    summary="Correct one attendance day (with a reason)",
    description="Set a working day present (with its times), absent, on leave, duty or sick; "
    "that person's month is computed again." + CODES + ", performance_correction_invalid (409).",
)
def correct_day(
    request: HttpRequest, region_slug: Path[str], employee_id: int, payload: PerfDayCorrectionIn
) -> Status[Any]:
    region, user = require(request, "performance.correct")
    person = Employee.objects.filter(region=region, pk=employee_id).first()
    if person is None:
        raise NotFound()
    made = attendance_correct(
        region=region, actor=user, employee=person, work_date=payload.work_date,
        kind=payload.kind, reason=payload.reason, check_in=payload.check_in,
        check_out=payload.check_out,
    )  # fmt: skip
    return Status(201, made)
