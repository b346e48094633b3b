"""Request and response shapes of the staff registry's API. The NIK is masked (the last 4
digits) everywhere except the audited personal-data route."""

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from ninja import Field, Schema

from lumbung.core.pdp import mask_nik

from ..models import Employee, ImportRun, Posting

Kind = Literal["pns", "pppk"]
MAX_ID = 2**31 - 1
Grade = Field(..., ge=-MAX_ID, le=MAX_ID, description="kelas jabatan, 1 to 17")


class PerfStaffQuery(Schema):
    q: str = Field("", max_length=100, description="part of the name, or the start of the NIP")
    unit: int | None = Field(None, ge=1, le=MAX_ID, description="a unit's id")
    status: Literal["active", "ended", "all"] = "active"


class PerfEmployeeIn(Schema):
    nip: str = Field(..., max_length=18, description="18 digits")
    name: str = Field(..., max_length=200)
    unit_id: int = Field(..., ge=1, le=MAX_ID)
    position: str = Field(..., max_length=200)
    job_grade: int = Grade
    employment_type: Kind
    supervisor_id: int | None = Field(None, ge=1, le=MAX_ID)
    active_from: dt.date
    email: str = Field("", max_length=254, description="links the account with this address")
    nik: str = Field("", max_length=16)


class PerfEmployeePatch(Schema):
    """Only the fields sent change; a changed unit, position, grade or supervisor is a move
    from `effective_date` (default: today)."""

    nip: str | None = Field(None, max_length=18)
    name: str | None = Field(None, max_length=200)
    employment_type: Kind | None = None
    email: str | None = Field(None, max_length=254)
    nik: str | None = Field(None, max_length=16, description='"" removes it')
    unit_id: int | None = Field(None, ge=1, le=MAX_ID)
    position: str | None = Field(None, max_length=200)
    job_grade: int | None = Field(None, ge=-MAX_ID, le=MAX_ID)
    supervisor_id: int | None = Field(
        None, ge=1, le=MAX_ID, description="null removes the supervisor"
    )
    effective_date: dt.date | None = None


class PerfEndIn(Schema):
    active_to: dt.date = Field(..., description="the last day of the employment")
    reason: str = Field("", max_length=500)


class PerfPurposeIn(Schema):
    purpose: str = Field(..., min_length=3, max_length=200, description="why it is read")


class PerfNikOut(Schema):
    id: int
    nik: str


class PerfPostingOut(Schema):
    id: int
    unit_id: int
    unit_name: str
    position: str
    job_grade: int
    supervisor_id: int | None
    supervisor_name: str
    valid_from: dt.date
    valid_to: dt.date | None


class PerfEmployeeOut(Schema):
    id: int
    nip: str
    name: str
    unit_id: int
    unit_name: str
    position: str
    job_grade: int
    employment_type: str
    supervisor_id: int | None
    supervisor_name: str
    email: str
    has_account: bool
    nik_masked: str = Field(..., description="the last 4 NIK digits, the rest masked")
    active_from: dt.date
    active_to: dt.date | None


class PerfEmployeeDetailOut(PerfEmployeeOut):
    postings: list[PerfPostingOut] = Field(..., description="newest first")


class PerfStaffImportProblemOut(Schema):
    row: int = Field(..., description="the file's line; 1 is the header, 0 the whole file")
    column: str
    message: str


class PerfStaffImportRunOut(Schema):
    id: int
    filename: str
    rows_total: int
    rows_imported: int
    succeeded: bool
    created_at: dt.datetime
    errors: list[PerfStaffImportProblemOut]


class PerfTppBaseIn(Schema):
    job_grade: int = Grade
    amount: Decimal = Field(..., max_digits=15, decimal_places=2, description="Rupiah a month")
    effective_from: dt.date


class PerfTppBaseOut(Schema):
    id: int
    job_grade: int
    amount: Decimal
    effective_from: dt.date


def employee_out(person: Employee) -> dict[str, Any]:
    return {
        "id": person.pk, "nip": person.nip, "name": person.name, "unit_id": person.unit_id,
        "unit_name": str(person.unit), "position": person.position,
        "job_grade": person.job_grade, "employment_type": person.employment_type,
        "supervisor_id": person.supervisor_id,
        "supervisor_name": person.supervisor.name if person.supervisor else "",
        "email": person.email, "has_account": person.user_id is not None,
        "nik_masked": mask_nik(person.nik), "active_from": person.active_from,
        "active_to": person.active_to,
    }  # fmt: skip


def posting_out(posting: Posting) -> dict[str, Any]:
    return {
        "id": posting.pk, "unit_id": posting.unit_id, "unit_name": str(posting.unit),
        "position": posting.position, "job_grade": posting.job_grade,
        "supervisor_id": posting.supervisor_id,
        "supervisor_name": posting.supervisor.name if posting.supervisor else "",
        "valid_from": posting.valid_from, "valid_to": posting.valid_to,
    }  # fmt: skip


def import_run_out(run: ImportRun) -> dict[str, Any]:
    return {
        "id": run.pk, "filename": run.filename, "rows_total": run.rows_total,
        "rows_imported": run.rows_imported, "succeeded": run.succeeded,
        "created_at": run.created_at,
        "errors": [{"row": e.get("row", 0), "column": e.get("field", ""),
                    "message": e.get("message", "")} for e in run.errors],
    }  # fmt: skip
