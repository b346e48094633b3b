"""The performance module's part of the isolation walk: its models and landing page here,
each area's API routes and pages in isolation_<area>.py beside this file, all discovered by
core's suite."""

from __future__ import annotations

import datetime as dt
import importlib
import itertools
import uuid
from decimal import Decimal

from django.utils import timezone

from lumbung.core.models import Region, Unit
from lumbung.core.testing.isolation import Kind, Planted, isolation

from ..models import (
    Activity,
    AttendanceDay,
    Correction,
    DayKind,
    Employee,
    Entry,
    FormulaKind,
    ImportKind,
    ImportRun,
    Period,
    Posting,
    TppBase,
    TppFormula,
    TppResult,
)

# The walk plants every model with the same tag in one region: the rows made on the way
# (the employee of an entry) take a serial so that their unique fields never collide.
_serial = itertools.count(1)
DAY = dt.date(2026, 3, 2)


def _unit(region: Region) -> Unit:
    return Unit.objects.filter(region=region).earliest("pk")


def plant_employee(region: Region, tag: str) -> Planted:
    n = next(_serial)
    person = Employee.objects.create(
        region=region,
        nip=f"19800101200501{(1000 + n) % 10000:04d}",
        name=f"ASN {tag}",
        unit=_unit(region),
        position=f"Jabatan {tag}",
        job_grade=7,
        employment_type="pns",
        active_from=dt.date(2020, 1, 1),
    )
    return Planted(person.pk, (tag,))


def _person(region: Region, tag: str) -> Employee:
    return Employee.objects.get(pk=plant_employee(region, tag).pk)


def plant_posting(region: Region, tag: str) -> Planted:
    person = _person(region, tag)
    posting = Posting.objects.create(
        region=region, employee=person, unit=person.unit, position=f"Posisi {tag}",
        job_grade=7, valid_from=dt.date(2020, 1, 1),
    )  # fmt: skip
    return Planted(posting.pk, (tag,))


def plant_tpp_base(region: Region, tag: str) -> Planted:
    n = next(_serial)
    base = TppBase.objects.create(
        region=region, job_grade=1 + n % 17, amount=Decimal(1_000_000 + n),
        effective_from=dt.date(2000, 1, 1) + dt.timedelta(days=n),
    )  # fmt: skip
    return Planted(base.pk, ())


def _activity(region: Region, tag: str) -> Activity:
    return Activity.objects.create(
        region=region, name_id=f"Kegiatan {tag}", name_en=f"Activity {tag}",
        output_unit_id="dokumen", output_unit_en="document", standard_minutes=30,
        state="approved", state_entered_at=timezone.now(),
    )  # fmt: skip


def plant_activity(region: Region, tag: str) -> Planted:
    return Planted(_activity(region, tag).pk, (tag,))


def plant_entry(region: Region, tag: str) -> Planted:
    person = _person(region, tag)
    entry = Entry.objects.create(
        region=region, employee=person, work_date=DAY, start_time=dt.time(8),
        end_time=dt.time(9), activity=_activity(region, tag), quantity=2,
        standard_minutes=30, claimed_minutes=60, note=f"Catatan {tag}",
        client_key=uuid.uuid4().hex, state="submitted", state_entered_at=timezone.now(),
    )  # fmt: skip
    return Planted(entry.pk, (tag,))


def plant_attendance(region: Region, tag: str) -> Planted:
    day = AttendanceDay.objects.create(
        region=region, employee=_person(region, tag), work_date=DAY, kind=DayKind.PRESENT,
        check_in=dt.time(7, 45), check_out=dt.time(16, 5), note=f"Catatan {tag}",
    )  # fmt: skip
    return Planted(day.pk, (tag,))


def _formula(region: Region, tag: str) -> TppFormula:
    n = next(_serial)
    return TppFormula.objects.create(
        region=region, name=f"Formula {tag}", kind=FormulaKind.MINUTES,
        effective_from=dt.date(1990, 1, 1) + dt.timedelta(days=n),
    )  # fmt: skip


def plant_formula(region: Region, tag: str) -> Planted:
    return Planted(_formula(region, tag).pk, (tag,))


def _period(region: Region) -> Period:
    n = next(_serial)
    return Period.objects.create(region=region, year=1900 + n, month=1)


def plant_period(region: Region, tag: str) -> Planted:
    return Planted(_period(region).pk, ())


def plant_result(region: Region, tag: str) -> Planted:
    person = _person(region, tag)
    result = TppResult.objects.create(
        region=region, period=_period(region), employee=person, unit=person.unit,
        job_grade=7, formula=_formula(region, tag), base_amount=Decimal("4500000"),
        approved_minutes=6000, target_minutes=6000, performance_share=Decimal(1),
        attendance_share=Decimal(0), deduction_percent=Decimal(0), working_days=22,
        days_present=22, late_minutes=0, amount=Decimal("4500000"),
        computed_at=timezone.now(),
    )  # fmt: skip
    return Planted(result.pk, (tag,))


def plant_correction(region: Region, tag: str) -> Planted:
    correction = Correction.objects.create(
        region=region, period=_period(region), changes={"note": tag}, reason=f"Alasan {tag}"
    )
    return Planted(correction.pk, (tag,))


def plant_import(region: Region, tag: str) -> Planted:
    run = ImportRun.objects.create(
        region=region, kind=ImportKind.STAFF, filename=f"{tag}.csv", rows_total=1
    )
    return Planted(run.pk, (tag,))


isolation.model(Employee, plant_employee)
isolation.model(Posting, plant_posting)
isolation.model(TppBase, plant_tpp_base)
isolation.model(Activity, plant_activity)
isolation.model(Entry, plant_entry)
isolation.model(AttendanceDay, plant_attendance)
isolation.model(TppFormula, plant_formula)
isolation.model(Period, plant_period)
isolation.model(TppResult, plant_result)
isolation.model(Correction, plant_correction)
isolation.model(ImportRun, plant_import)

isolation.page(
    "core:performance:home",
    Kind.NONE,
    reason="shows only the signed-in person's own registry record and the module's menu",
)

for area in ("registry", "worklog", "review", "allowance", "dashboards", "skp"):
    importlib.import_module(f"{__package__}.isolation_{area}")
