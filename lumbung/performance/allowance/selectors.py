"""Reads of the allowance area: formula versions, import runs, months with their totals,
a month's results (per unit), a person's attendance days, and the month a page asks for."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from django.db.models import Count, QuerySet, Sum

from lumbung.core.errors import NotFound
from lumbung.core.models import Region, Unit

from ..common import month_bounds
from ..models import (
    AttendanceDay,
    Employee,
    ImportKind,
    ImportRun,
    Period,
    TppFormula,
    TppResult,
)
from ..selectors import region_today

_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


def formula_list(region: Region) -> QuerySet[TppFormula]:
    return TppFormula.objects.filter(region=region).order_by("-effective_from")


# The registry's staff imports share the table; they are the administrator's, not payroll's.
ATTENDANCE_KINDS = (ImportKind.ATTENDANCE, ImportKind.LEAVE)


def import_runs(region: Region) -> QuerySet[ImportRun]:
    """The region's attendance and leave imports, newest first."""
    return ImportRun.objects.filter(region=region, kind__in=ATTENDANCE_KINDS).order_by(
        "-created_at", "-id"
    )


def import_run_get(region: Region, pk: int) -> ImportRun:
    found = ImportRun.objects.filter(region=region, pk=pk, kind__in=ATTENDANCE_KINDS).first()
    if found is None:
        raise NotFound()
    return found


def periods(region: Region) -> QuerySet[Period]:
    """The region's months, newest first, each with how many people and how much it pays."""
    return (
        Period.objects.filter(region=region)
        .annotate(people=Count("results"), total=Sum("results__amount"))
        .order_by("-year", "-month")
    )


def period_get(region: Region, pk: int) -> Period:
    found = periods(region).filter(pk=pk).first()
    if found is None:
        raise NotFound()
    return found


def results(region: Region, period: Period, unit: Unit | None = None) -> QuerySet[TppResult]:
    found = TppResult.objects.filter(region=region, period=period).select_related(
        "employee", "unit"
    )
    if unit is not None:
        found = found.filter(unit=unit)
    return found.order_by("unit__name", "employee__name", "employee_id")


def unit_totals(region: Region, period: Period) -> list[dict[str, object]]:
    """Per unit: people, approved minutes and the amount, in one GROUP BY."""
    return list(
        TppResult.objects.filter(region=region, period=period)
        .values("unit_id", "unit__name")
        .annotate(people=Count("id"), minutes=Sum("approved_minutes"), total=Sum("amount"))
        .order_by("unit__name")
    )


def unit_of(region: Region, unit_id: int | None) -> Unit | None:
    if unit_id is None:
        return None
    found = Unit.objects.filter(region=region, pk=unit_id).first()
    if found is None:
        raise NotFound()
    return found


def days_of(region: Region, employee: Employee, year: int, month: int) -> QuerySet[AttendanceDay]:
    """One person's recorded days of the month."""
    first, last = month_bounds(year, month)
    return AttendanceDay.objects.filter(
        region=region, employee=employee, work_date__range=(first, last)
    ).order_by("work_date")


def month_asked(region: Region, text: str | None) -> tuple[int, int]:
    """The month a page asks for ("2026-03"); this month if none or malformed."""
    match = _MONTH.match(text or "")
    if match and 2000 <= int(match.group(1)) <= 2100 and 1 <= int(match.group(2)) <= 12:
        return int(match.group(1)), int(match.group(2))
    today = region_today(region)
    return today.year, today.month


def recent_months(region: Region, count: int = 12) -> list[dt.date]:
    """The first days of this month and the `count - 1` before it, newest first."""
    today = region_today(region)
    year, month = today.year, today.month
    found: list[dt.date] = []
    for _ in range(count):
        found.append(dt.date(year, month, 1))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return found


def total_of(period: Period) -> Decimal:
    return getattr(period, "total", None) or Decimal(0)
