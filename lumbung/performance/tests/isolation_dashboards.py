"""Isolation declarations of the dashboards area's pages and API routes (imported by
test_isolation.py).

The walk signs in the region's administrator, who sees every unit, every person's month and
the anomalies. Each call asks for March 2026, the month the planted entries fall in: a unit
named by its tag with one civil servant; a person named by theirs; and for the anomalies one
person who logged the same entry, its note carrying the tag, on five days (exactly one
finding, so the anomaly count moves by one per plant)."""

from __future__ import annotations

import datetime as dt
import uuid

from django.utils import timezone

from lumbung.core.models import Region, Unit
from lumbung.core.models.people import Role
from lumbung.core.models.units import UnitKind
from lumbung.core.testing.isolation import Kind, Planted, isolation

from ..models import Entry
from .test_isolation import DAY, _activity, _person, plant_employee

NS = "core:performance"
API = "/api/v1/regions/{region_slug}/performance"
ADMIN = Role.REGION_ADMIN


def month(_planted: Planted | None) -> dict[str, str]:
    return {"month": DAY.strftime("%Y-%m")}


def plant_unit(region: Region, tag: str) -> Planted:
    """A unit named by the tag, with one civil servant in it."""
    unit = Unit.objects.create(
        region=region, code=tag[:40], name=f"Unit {tag}", kind=UnitKind.DINAS
    )
    person = _person(region, tag)
    type(person).objects.filter(pk=person.pk).update(unit=unit)
    return Planted(unit.pk, (tag,))


def plant_copies(region: Region, tag: str) -> Planted:
    """One person's identical entry, the tag in its note, on five days of the month."""
    person, activity = _person(region, tag), _activity(region, tag)
    for n in range(5):
        Entry.objects.create(
            region=region, employee=person, work_date=DAY + dt.timedelta(days=n),
            start_time=dt.time(8), end_time=dt.time(9), activity=activity, quantity=2,
            standard_minutes=30, claimed_minutes=60, note=f"Menyusun laporan harian {tag}",
            client_key=uuid.uuid4().hex, state="submitted", state_entered_at=timezone.now(),
        )  # fmt: skip
    return Planted(person.pk, (tag,))


isolation.page(f"{NS}:dashboard", Kind.LIST, plant=plant_unit, query=month)
isolation.page(f"{NS}:dashboard-csv", Kind.LIST, plant=plant_unit, query=month)
isolation.page(f"{NS}:unit", Kind.DETAIL, plant=plant_unit, object_param="unit_id", query=month)
isolation.page(f"{NS}:unit-csv", Kind.DETAIL, plant=plant_unit, object_param="unit_id", query=month)
isolation.page(
    f"{NS}:person-month", Kind.DETAIL, plant=plant_employee, object_param="employee_id",
    query=month,
)  # fmt: skip
isolation.page(f"{NS}:anomalies", Kind.LIST, plant=plant_copies, query=month)
isolation.page(f"{NS}:anomalies-csv", Kind.LIST, plant=plant_copies, query=month)

isolation.route("GET", f"{API}/dashboard", Kind.LIST, plant=plant_unit, role=ADMIN, query=month)
isolation.route(
    "GET", f"{API}/dashboard/units/{{unit_id}}", Kind.DETAIL, plant=plant_unit,
    object_param="unit_id", role=ADMIN, query=month,
)  # fmt: skip
isolation.route(
    "GET", f"{API}/dashboard/people/{{employee_id}}", Kind.DETAIL, plant=plant_employee,
    object_param="employee_id", role=ADMIN, query=month,
)  # fmt: skip
isolation.route("GET", f"{API}/anomalies", Kind.COUNT, plant=plant_copies, role=ADMIN, query=month)
