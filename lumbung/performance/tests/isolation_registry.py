"""Isolation declarations of the registry area's pages and API routes (imported by
test_isolation.py). Pages walk as the region administrator (the registry's keeper), routes
too: the walk's officer may not read the registry."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from lumbung.core.models import Region, Unit
from lumbung.core.models.people import Role
from lumbung.core.testing.isolation import Kind, Planted, isolation

from ..models import Employee, ImportKind, ImportRun
from .test_isolation import plant_employee, plant_import, plant_tpp_base

API = "/api/v1/regions/{region_slug}/performance"
NS = "core:performance"
ADMIN = Role.REGION_ADMIN
_serial = itertools.count(1)


def _nip() -> str:
    """A valid NIP none of the planters uses (their serials start at 1000)."""
    n = next(_serial)
    return f"1985{1 + n // 999 % 12:02d}052010011{1 + n % 999:03d}"


def plant_unit(region: Region, tag: str) -> Planted:
    """What registering needs: one of the region's units (id and code)."""
    unit = Unit.objects.filter(region=region).earliest("pk")
    return Planted(unit.pk, ())


def plant_failed_import(region: Region, tag: str) -> Planted:
    run = ImportRun.objects.create(
        region=region, kind=ImportKind.STAFF, filename=f"{tag}.csv", rows_total=1,
        errors=[{"row": 2, "field": "unit_code", "message": f"No unit has the code {tag}."}],
    )  # fmt: skip
    return Planted(run.pk, (tag,))


def _unit_code(planted: Planted | None) -> str:
    from lumbung.core.tenancy import dangerously_unscoped

    assert planted is not None
    with dangerously_unscoped():
        return Unit.objects.get(pk=planted.pk).code


def _register(planted: Planted | None) -> dict[str, Any]:
    assert planted is not None
    return {"nip": _nip(), "name": "Isolasi", "unit_id": planted.pk, "position": "Analis",
            "job_grade": 7, "employment_type": "pns", "active_from": "2021-01-04"}  # fmt: skip


def _import(planted: Planted | None) -> dict[str, Any]:
    text = (
        "nip,name,unit_code,position,job_grade,employment_type,active_from\n"
        f"{_nip()},Isolasi,{_unit_code(planted)},Analis,7,PNS,2021-01-04\n"
    )
    return {"file": SimpleUploadedFile("staff.csv", text.encode(), content_type="text/csv")}


def _base() -> dict[str, Any]:
    n = next(_serial)  # the planters' bases start in 2000: these never meet them
    day = dt.date(1980, 1, 1) + dt.timedelta(days=n)
    return {"job_grade": 1 + n % 17, "amount": "1000000", "effective_from": day.isoformat()}


# Pages
isolation.page(f"{NS}:staff", Kind.LIST, plant=plant_employee)
isolation.page(f"{NS}:person", Kind.DETAIL, plant=plant_employee, object_param="pk")
for _name in ("person_edit", "person_move", "person_end"):
    isolation.page(f"{NS}:{_name}", Kind.DETAIL, plant=plant_employee, object_param="pk")
isolation.page(
    f"{NS}:person_nik", Kind.WRITE, plant=plant_employee, object_param="pk", model=Employee
)
isolation.page(f"{NS}:person_new", Kind.NONE, reason="an empty form with the region's units")
isolation.page(f"{NS}:staff_import", Kind.LIST, plant=plant_import)
isolation.page(f"{NS}:staff_import_run", Kind.DETAIL, plant=plant_import, object_param="pk")
isolation.page(
    f"{NS}:staff_import_errors", Kind.DETAIL, plant=plant_failed_import, object_param="pk"
)
isolation.page(f"{NS}:tpp_bases", Kind.LIST, plant=plant_tpp_base)

# API routes
PERSON = f"{API}/staff/{{employee_id}}"
isolation.route("GET", f"{API}/staff", Kind.LIST, plant=plant_employee, role=ADMIN)
isolation.route(
    "POST", f"{API}/staff", Kind.NONE, plant=plant_unit, body=_register, role=ADMIN,
    reason="registers a person in the caller's region, in one of its units",
)  # fmt: skip
isolation.route(
    "GET", PERSON, Kind.DETAIL, plant=plant_employee, object_param="employee_id", role=ADMIN
)
_writes: dict[str, tuple[str, Any]] = {
    "PATCH": (PERSON, lambda _p: {"position": "Analis Kebijakan"}),
    "POST": (f"{PERSON}/end", lambda _p: {"active_to": dt.date.today().isoformat()}),
}
for _method, (_path, _body) in _writes.items():
    isolation.route(_method, _path, Kind.WRITE, plant=plant_employee, object_param="employee_id",
                    model=Employee, body=_body, role=ADMIN)  # fmt: skip
isolation.route(
    "POST", f"{PERSON}/personal-data", Kind.WRITE, plant=plant_employee,
    object_param="employee_id", model=Employee, role=ADMIN,
    body=lambda _p: {"purpose": "Pemeriksaan isolasi"},
)  # fmt: skip
isolation.route(
    "POST", f"{API}/staff/imports", Kind.NONE, plant=plant_unit, body=_import, multipart=True,
    role=ADMIN, reason="imports into the caller's region, by its own unit codes",
)  # fmt: skip
isolation.route("GET", f"{API}/staff/imports", Kind.LIST, plant=plant_import, role=ADMIN)
isolation.route(
    "GET", f"{API}/staff/imports/{{run_id}}", Kind.DETAIL, plant=plant_import,
    object_param="run_id", role=ADMIN,
)  # fmt: skip
isolation.route(
    "GET", f"{API}/staff/imports/{{run_id}}/errors", Kind.DETAIL, plant=plant_failed_import,
    object_param="run_id", role=ADMIN,
)  # fmt: skip
isolation.route("GET", f"{API}/tpp-bases", Kind.LIST, plant=plant_tpp_base, role=ADMIN)
isolation.route(
    "POST", f"{API}/tpp-bases", Kind.NONE, role=ADMIN,
    body=lambda _p: _base(),
    reason="adds a base amount to the caller's region",
)  # fmt: skip
