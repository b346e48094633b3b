"""Isolation declarations of the allowance area's pages and API routes (imported by
test_isolation.py).

Pages are walked as the region administrator, routes as the officer unless a route needs
more (pay data, formulas, months: the administrator). The "my" page and routes make the
walk's user an employee of the region (idempotently). Computing and closing need a formula
and base amounts in force: the planters add them far in the past, where no planted month or
formula falls. The action pages answer a GET by going back to their page once the object
is found in the region, so each is checked as a write: another region's id is a 404 and its
row stays as it was."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from lumbung.core.models import Membership, Region
from lumbung.core.models.people import Role
from lumbung.core.testing.isolation import Kind, Planted, isolation

from ..models import (
    Employee,
    Entry,
    FormulaKind,
    ImportKind,
    ImportRun,
    Period,
    TppBase,
    TppFormula,
    TppResult,
)
from .test_isolation import (
    DAY,
    plant_employee,
    plant_entry,
    plant_formula,
    plant_period,
    plant_result,
)

API = "/api/v1/regions/{region_slug}/performance"
NS = "core:performance"
PAST = dt.date(1700, 1, 1)  # the formula and bases the walk's months are computed with
GRADES = range(1, 31)
_years = itertools.count(1750)
_formula_months = itertools.count(1)
_nips: dict[int | str, str] = {}


def _in_force(region: Region) -> None:
    TppFormula.objects.get_or_create(
        region=region, effective_from=PAST,
        defaults={"name": "Walk", "kind": FormulaKind.MINUTES},
    )  # fmt: skip
    have = set(
        TppBase.objects.filter(region=region, effective_from=PAST).values_list(
            "job_grade", flat=True
        )
    )
    TppBase.objects.bulk_create(
        TppBase(region=region, job_grade=g, amount=Decimal(1_000_000), effective_from=PAST)
        for g in GRADES
        if g not in have
    )


def _me(region: Region, role: Role) -> Employee:
    """The employee whose account is the walk's user of `role` (made once)."""
    user = Membership.objects.filter(region=region, role=role).earliest("pk").user
    found = Employee.objects.filter(region=region, user=user).first()
    if found is None:
        found = Employee.objects.get(pk=plant_employee(region, "me").pk)
        Employee.objects.filter(pk=found.pk).update(user=user)
    return found


def plant_me_officer(region: Region, tag: str) -> Planted:
    _in_force(region)
    return Planted(_me(region, Role.OFFICER).pk, ())


def plant_me_admin(region: Region, tag: str) -> Planted:
    _in_force(region)
    return Planted(_me(region, Role.REGION_ADMIN).pk, ())


def plant_person(region: Region, tag: str) -> Planted:
    _in_force(region)
    return plant_employee(region, tag)


def plant_nip(region: Region, tag: str) -> Planted:
    """An employee whose NIP the import's file names."""
    planted = plant_employee(region, tag)
    _nips[planted.pk] = Employee.objects.get(pk=planted.pk).nip
    return planted


def plant_due_period(region: Region, tag: str) -> Planted:
    """An open month long past its cut-off, computable (nobody was active then)."""
    _in_force(region)
    return Planted(Period.objects.create(region=region, year=next(_years), month=6).pk, ())


def plant_result_month(region: Region, tag: str) -> Planted:
    """A month with one person's result (their name is the marker)."""
    result = TppResult.objects.get(pk=plant_result(region, tag).pk)
    return Planted(result.period_id, (tag,))


def plant_result_month_page(region: Region, tag: str) -> Planted:
    """The month page lists units, not people, until a unit is chosen."""
    return Planted(plant_result_month(region, tag).pk, ())


def plant_import_page(region: Region, tag: str) -> Planted:
    return Planted(plant_attendance_import(region, tag).pk, ())


def plant_attendance_import(region: Region, tag: str) -> Planted:
    """An attendance machine's import: the API lists only those, not the registry's."""
    run = ImportRun.objects.create(
        region=region, kind=ImportKind.ATTENDANCE, filename=f"{tag}.csv", rows_total=1
    )
    return Planted(run.pk, (tag,))


def plant_approved_entry(region: Region, tag: str) -> Planted:
    planted = plant_entry(region, tag)
    Entry.objects.filter(pk=planted.pk).update(
        state="approved", approved_quantity=2, approved_minutes=60, reviewed_at=timezone.now()
    )
    return planted


def _import_body(planted: Planted | None) -> dict[str, Any]:
    nip = _nips[planted.pk] if planted else ""
    text = f"NIP,Tanggal,Jam Masuk,Jam Pulang\n{nip},{DAY.isoformat()},07:40,16:05\n"
    return {"kind": "attendance", "file": SimpleUploadedFile("absen.csv", text.encode())}


def _formula_body(_planted: Planted | None) -> dict[str, Any]:
    n = next(_formula_months)
    day = dt.date(2200 + n // 12, 1 + n % 12, 1)
    return {"name": "Walk formula", "kind": "minutes", "effective_from": day.isoformat()}


def _month(_planted: Planted | None) -> dict[str, Any]:
    return {"year": DAY.year, "month": DAY.month}


ADMIN = {"role": Role.REGION_ADMIN}

# API routes
isolation.route("GET", f"{API}/formulas", Kind.LIST, plant=plant_formula, **ADMIN)
isolation.route(
    "POST", f"{API}/formulas", Kind.NONE, body=_formula_body, **ADMIN,
    reason="adds a version to the caller's region; reads no object by id",
)  # fmt: skip
isolation.route(
    "POST", f"{API}/attendance/imports", Kind.NONE, plant=plant_nip, body=_import_body,
    multipart=True, **ADMIN,
    reason="imports a file naming the caller's region's NIPs; reads no object by id",
)  # fmt: skip
isolation.route(
    "GET", f"{API}/attendance/imports", Kind.LIST, plant=plant_attendance_import, **ADMIN
)
isolation.route(
    "GET", f"{API}/attendance/imports/{{run_id}}", Kind.DETAIL, plant=plant_attendance_import,
    object_param="run_id", **ADMIN,
)  # fmt: skip
isolation.route(
    "GET", f"{API}/attendance/me", Kind.NONE, plant=plant_me_officer, query=_month,
    reason="only the signed-in person's own attendance days",
)  # fmt: skip
isolation.route("GET", f"{API}/months", Kind.LIST, plant=plant_period, **ADMIN)
isolation.route(
    "POST", f"{API}/months", Kind.NONE, plant=plant_me_admin, body=_month, **ADMIN,
    reason="computes the caller's region's month given by year and month",
)  # fmt: skip
isolation.route(
    "POST", f"{API}/months/{{period_id}}/close", Kind.WRITE, plant=plant_due_period,
    object_param="period_id", model=Period, **ADMIN,
)  # fmt: skip
for _path in ("results", "payroll"):
    isolation.route(
        "GET", f"{API}/months/{{period_id}}/{_path}", Kind.DETAIL, plant=plant_result_month,
        object_param="period_id", **ADMIN,
    )  # fmt: skip
isolation.route(
    "GET", f"{API}/tpp/me", Kind.NONE, plant=plant_me_officer, query=_month,
    reason="only the signed-in person's own allowance",
)  # fmt: skip
isolation.route(
    "GET", f"{API}/tpp/{{employee_id}}", Kind.DETAIL, plant=plant_person,
    object_param="employee_id", query=_month, **ADMIN,
)  # fmt: skip
isolation.route(
    "POST", f"{API}/corrections/entries/{{entry_id}}", Kind.WRITE,
    plant=plant_approved_entry, object_param="entry_id", model=Entry,
    body=lambda _p: {"approve": False, "reason": "Walk"}, **ADMIN,
)  # fmt: skip
isolation.route(
    "POST", f"{API}/corrections/attendance/{{employee_id}}", Kind.WRITE, plant=plant_person,
    object_param="employee_id", model=Employee, **ADMIN,
    body=lambda _p: {"work_date": DAY.isoformat(), "kind": "leave", "reason": "Walk"},
)  # fmt: skip

# Pages
isolation.page(
    f"{NS}:my_tpp", Kind.NONE, plant=plant_me_admin,
    reason="only the signed-in person's own allowance",
)  # fmt: skip
isolation.page(f"{NS}:tpp_person", Kind.DETAIL, plant=plant_person, object_param="pk")
isolation.page(
    f"{NS}:correct_entry", Kind.WRITE, plant=plant_approved_entry, object_param="pk", model=Entry
)
isolation.page(
    f"{NS}:correct_day", Kind.WRITE, plant=plant_person, object_param="pk", model=Employee
)
isolation.page(f"{NS}:months", Kind.LIST, plant=plant_period)
isolation.page(
    f"{NS}:month_compute", Kind.NONE, reason="the form posts here; a GET goes back to the months"
)
isolation.page(f"{NS}:month", Kind.DETAIL, plant=plant_result_month_page, object_param="pk")
isolation.page(
    f"{NS}:month_close", Kind.WRITE, plant=plant_due_period, object_param="pk", model=Period
)
isolation.page(f"{NS}:month_export", Kind.DETAIL, plant=plant_result_month, object_param="pk")
isolation.page(f"{NS}:attendance", Kind.LIST, plant=plant_attendance_import)
isolation.page(f"{NS}:attendance_errors", Kind.DETAIL, plant=plant_import_page, object_param="pk")
isolation.page(f"{NS}:formulas", Kind.LIST, plant=plant_formula)
