"""The staff registry's API: the people (list, detail, register, change or move, end, the
audited full NIK), the imports with their row-level reports, and the TPP bases.

Reading: the registry's keepers and everyone who sees the dashboards (a unit head: their
units' people only). Writing: performance.manage_registry."""

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import File, Path, Query, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from lumbung.api.context import actor_of, region_of, require
from lumbung.api.pagination import Page
from lumbung.core.errors import NotFound, PermissionDenied, ValidationFailed
from lumbung.core.models import Region, Unit, User
from lumbung.core.permissions import can

from ..models import Employee
from . import selectors as s
from .imports import report_csv, staff_import
from .schemas import (
    PerfEmployeeDetailOut,
    PerfEmployeeIn,
    PerfEmployeeOut,
    PerfEmployeePatch,
    PerfEndIn,
    PerfNikOut,
    PerfPurposeIn,
    PerfStaffImportRunOut,
    PerfStaffQuery,
    PerfTppBaseIn,
    PerfTppBaseOut,
    employee_out,
    import_run_out,
    posting_out,
)
from .services import (
    EmployeeInput,
    employee_change,
    employee_create,
    employee_end,
    employee_nik_read,
)
from .tpp import tpp_base_add

router = Router()
MANAGE = "performance.manage_registry"
CODES = (
    " Codes: validation_error, performance_nip_invalid, performance_nik_invalid, "
    "performance_grade_invalid, performance_supervisor_inactive (422), performance_nip_taken, "
    "performance_nik_taken, performance_account_taken, performance_supervisor_cycle (409); "
    "a unit or supervisor of another region is a 404."
)
MAX_UPLOAD = 20 * 1024 * 1024


class Shown:
    """A queryset paged by ninja and shown row by row: only the page's rows are read."""

    def __init__(self, rows: QuerySet[Any], show: Callable[[Any], dict[str, Any]]) -> None:
        self.rows, self.show = rows, show

    def __len__(self) -> int:
        return self.rows.count()

    def __getitem__(self, index: slice) -> list[dict[str, Any]]:
        return [self.show(row) for row in self.rows[index]]


def reader(request: HttpRequest) -> tuple[Region, User]:
    region, user = region_of(request), actor_of(request)
    if not (can(user, MANAGE, region) or can(user, "performance.view_dashboards", region)):
        raise PermissionDenied()
    return region, user


def _unit(region: Region, pk: int) -> Unit:
    unit = Unit.objects.filter(region=region, pk=pk).first()
    if unit is None:
        raise NotFound()
    return unit


def _supervisor(region: Region, pk: int | None) -> Employee | None:
    if pk is None:
        return None
    found = Employee.objects.filter(region=region, pk=pk).first()
    if found is None:
        raise NotFound()
    return found


def _detail(region: Region, user: User, pk: int) -> dict[str, Any]:
    person = s.employee_get(region, user, pk)
    return {**employee_out(person), "postings": [posting_out(p) for p in s.postings_of(person)]}


# People -----------------------------------------------------------------------------------


@router.get("/staff", response=list[PerfEmployeeOut], summary="The staff registry")
@paginate(Page, page_size=50, max_page_size=200)
def staff(request: HttpRequest, region_slug: Path[str], filters: Query[PerfStaffQuery]) -> Any:
    """By name or NIP start, by unit, active (default), ended or all; NIKs masked. A unit
    head sees their units' people only."""
    region, user = reader(request)
    found = s.staff_search(region, user, q=filters.q, unit_id=filters.unit, status=filters.status)
    return Shown(found, employee_out)


@router.post(
    "/staff",
    response={201: PerfEmployeeDetailOut},
    summary="Register a civil servant",
    description="Opens their first posting from `active_from`." + CODES,
)
def staff_create(request: HttpRequest, region_slug: Path[str], payload: PerfEmployeeIn) -> Any:
    region, user = require(request, MANAGE)
    data = payload.dict()
    data["unit"] = _unit(region, data.pop("unit_id"))
    data["supervisor"] = _supervisor(region, data.pop("supervisor_id"))
    person = employee_create(region=region, actor=user, data=EmployeeInput(**data))
    return Status(201, _detail(region, user, person.pk))


@router.get(
    "/staff/{int:employee_id}",
    response=PerfEmployeeDetailOut,
    summary="A civil servant and their postings",
)
def staff_detail(request: HttpRequest, region_slug: Path[str], employee_id: Path[int]) -> Any:
    region, user = reader(request)
    return _detail(region, user, employee_id)


@router.patch(
    "/staff/{int:employee_id}",
    response=PerfEmployeeDetailOut,
    summary="Change or move a civil servant",
    description="Only the fields sent change. A changed unit, position, grade or supervisor "
    "closes the current posting the day before `effective_date` (default: today; not in "
    "the future, not before the current posting, not in a closed month) and opens a new one. "
    "Also: performance_future_date, performance_effective_date_invalid, "
    "performance_employment_ended (422), performance_month_closed (409)." + CODES,
)
def staff_change(
    request: HttpRequest, region_slug: Path[str], employee_id: Path[int], payload: PerfEmployeePatch
) -> Any:
    region, user = require(request, MANAGE)
    person = s.employee_get(region, user, employee_id)
    sent = payload.dict(exclude_unset=True)
    effective = sent.pop("effective_date", None)
    nulls = [k for k, v in sent.items() if v is None and k != "supervisor_id"]
    if nulls:
        raise ValidationFailed({k: [_("This field may not be null.")] for k in nulls})
    if "unit_id" in sent:
        sent["unit"] = _unit(region, sent.pop("unit_id"))
    if "supervisor_id" in sent:
        sent["supervisor"] = _supervisor(region, sent.pop("supervisor_id"))
    employee_change(region=region, actor=user, employee=person, changes=sent, effective=effective)  # type: ignore[arg-type]
    return _detail(region, user, employee_id)


@router.post(
    "/staff/{int:employee_id}/end",
    response=PerfEmployeeDetailOut,
    summary="End an employment",
    description="`active_to` is the last day worked. Codes: performance_still_supervises "
    "(409: move their reports first), performance_effective_date_invalid (422), "
    "performance_month_closed (409).",
)
def staff_end(
    request: HttpRequest, region_slug: Path[str], employee_id: Path[int], payload: PerfEndIn
) -> Any:
    region, user = require(request, MANAGE)
    person = s.employee_get(region, user, employee_id)
    employee_end(region=region, actor=user, employee=person, day=payload.active_to,
                 reason=payload.reason)  # fmt: skip
    return _detail(region, user, employee_id)


@router.post(
    "/staff/{int:employee_id}/personal-data",
    response=PerfNikOut,
    summary="A civil servant's full NIK (audited)",
    description="A POST so that the answer is never cached; every call is recorded in the "
    "audit log with its purpose.",
)
def staff_nik(
    request: HttpRequest, region_slug: Path[str], employee_id: Path[int], payload: PerfPurposeIn
) -> Any:
    region, user = require(request, MANAGE)
    person = s.employee_get(region, user, employee_id)
    nik = employee_nik_read(region=region, actor=user, employee=person, purpose=payload.purpose)
    return {"id": person.pk, "nik": nik}


# Imports ----------------------------------------------------------------------------------


@router.post(
    "/staff/imports",
    response={201: PerfStaffImportRunOut},
    summary="Import or sync the registry (multipart: file)",
    description="CSV (UTF-8, `,` or `;`) or XLSX with the columns nip, name, unit_code, "
    "position, job_grade, employment_type, active_from and optionally supervisor_nip, "
    "active_to, effective_date, email, nik. All or nothing: the run is recorded either way "
    "(201), `succeeded` says whether the registry changed, `errors` lists each row's "
    "problems. An upload that is not a file is a validation_error (422).",
)
def staff_import_new(request: HttpRequest, region_slug: Path[str], file: File[UploadedFile]) -> Any:
    region, user = require(request, MANAGE)
    if file.size is not None and file.size > MAX_UPLOAD:
        raise ValidationFailed({"file": [_("The file is larger than 20 MB.")]})
    raw = file.file
    if raw is None:
        raise ValidationFailed({"file": [_("Upload a CSV or XLSX file.")]})
    run = staff_import(region=region, actor=user, file=raw, filename=file.name or "staff.csv")
    return Status(201, import_run_out(run))


@router.get("/staff/imports", response=list[PerfStaffImportRunOut], summary="Imports, newest first")
@paginate(Page, page_size=20, max_page_size=100)
def staff_import_list(request: HttpRequest, region_slug: Path[str]) -> Any:
    region, _user = require(request, MANAGE)
    return Shown(s.staff_imports(region), import_run_out)


@router.get(
    "/staff/imports/{int:run_id}",
    response=PerfStaffImportRunOut,
    summary="An import and its report",
)
def staff_import_detail(request: HttpRequest, region_slug: Path[str], run_id: Path[int]) -> Any:
    region, _user = require(request, MANAGE)
    return import_run_out(s.staff_import_get(region, run_id))


@router.get(
    "/staff/imports/{int:run_id}/errors",
    summary="An import's problems as CSV",
    description="Columns: row, column, message (no cell values). Only the header for an "
    "import without problems.",
    openapi_extra={
        "responses": {
            200: {
                "description": "The report",
                "content": {"text/csv": {"schema": {"type": "string"}}},
            }
        }
    },
)
def staff_import_errors(
    request: HttpRequest, region_slug: Path[str], run_id: Path[int]
) -> HttpResponse:
    region, _user = require(request, MANAGE)
    run = s.staff_import_get(region, run_id)
    response = HttpResponse(report_csv(run), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{run.pk}-errors.csv"'
    return response


# TPP bases --------------------------------------------------------------------------------


@router.get("/tpp-bases", response=list[PerfTppBaseOut], summary="TPP base amounts per grade")
@paginate(Page, page_size=100, max_page_size=200)
def tpp_bases(request: HttpRequest, region_slug: Path[str]) -> Any:
    """Every grade's amounts with their effective dates, the newest first within a grade."""
    region, _user = reader(request)
    return s.tpp_bases(region)


@router.post(
    "/tpp-bases",
    response={201: PerfTppBaseOut},
    summary="Add a TPP base amount",
    description="A grade's full monthly allowance from `effective_from` on. Codes: "
    "performance_grade_invalid, validation_error (422), performance_tpp_base_exists, "
    "performance_month_closed (409).",
)
def tpp_base_new(request: HttpRequest, region_slug: Path[str], payload: PerfTppBaseIn) -> Any:
    region, user = require(request, MANAGE)
    base = tpp_base_add(region=region, actor=user, **payload.dict())
    return Status(201, base)
