"""Why a person's allowance is what it is: every reviewed entry of the month and every
counted working day, each with what it added or cost, the formula version and the base
amount — computed by the same rules as the month (rules.py), day by day."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from lumbung.core.models import Region

from ..models import AttendanceDay, DayKind, Employee, Entry, Period, TppFormula, TppResult
from ..workflow import APPROVED, REJECTED
from .basis import MonthBasis, Person, month_basis, people
from .rules import Figures, band_percent, deduction, figures

LEAVE_KINDS = (DayKind.LEAVE, DayKind.DUTY, DayKind.SICK)


@dataclass(frozen=True)
class ExplainedEntry:
    entry: Entry
    outcome: str  # approved, adjusted (approved for less than claimed) or rejected
    minutes: int


@dataclass(frozen=True)
class ExplainedDay:
    day: dt.date
    kind: str  # a DayKind; "absent" also when nothing was recorded
    record: AttendanceDay | None
    late_minutes: int
    early_minutes: int
    percent: Decimal  # what the day cost, in percentage points of the attendance part


@dataclass
class Explanation:
    employee: Employee
    year: int
    month: int
    formula: TppFormula
    base: Decimal
    job_grade: int
    minutes: int
    figures: Figures
    entries: list[ExplainedEntry] = field(default_factory=list)
    days: list[ExplainedDay] = field(default_factory=list)
    period: Period | None = None
    result: TppResult | None = None  # what the month's computation stored, if it ran

    @property
    def absent_days(self) -> int:
        return sum(1 for d in self.days if d.kind == DayKind.ABSENT)


def tpp_explain(region: Region, employee: Employee, year: int, month: int) -> Explanation | None:
    """The month's allowance of `employee`, explained; None if they were not active in it.
    Refused (DomainError) like the month itself when no formula or base is in force."""
    basis = month_basis(region, year, month)
    found = people(region, basis, only=[employee.pk])
    if not found:
        return None
    person = found[0]
    entries = _entries(region, employee, basis)
    minutes = sum(e.minutes for e in entries)
    days = _days(region, employee, basis, person)
    deducted = deduction(
        basis.rule,
        [d.late_minutes for d in days if d.kind == DayKind.PRESENT],
        [d.early_minutes for d in days if d.kind == DayKind.PRESENT],
        sum(1 for d in days if d.kind == DayKind.ABSENT),
    )
    period = Period.objects.filter(region=region, year=year, month=month).first()
    result = TppResult.objects.filter(region=region, period=period, employee=employee).first()
    return Explanation(
        employee=employee, year=year, month=month, formula=basis.formula,
        base=basis.bases[person.job_grade], job_grade=person.job_grade, minutes=minutes,
        figures=figures(basis.rule, basis.bases[person.job_grade], minutes, deducted),
        entries=entries, days=days, period=period, result=result if period else None,
    )  # fmt: skip


def _entries(region: Region, employee: Employee, basis: MonthBasis) -> list[ExplainedEntry]:
    found = Entry.objects.filter(
        region=region,
        employee=employee,
        work_date__range=(basis.first, basis.last),
        state__in=(APPROVED, REJECTED),
    ).select_related("activity")
    result: list[ExplainedEntry] = []
    for entry in found.order_by("work_date", "start_time", "id"):
        if entry.state == REJECTED:
            outcome = "rejected"
        elif entry.approved_quantity is not None and entry.approved_quantity != entry.quantity:
            outcome = "adjusted"
        else:
            outcome = "approved"
        minutes = entry.approved_minutes if entry.state == APPROVED else 0
        result.append(ExplainedEntry(entry, outcome, minutes))
    return result


def _days(
    region: Region, employee: Employee, basis: MonthBasis, person: Person
) -> list[ExplainedDay]:
    recorded = {
        d.work_date: d
        for d in AttendanceDay.objects.filter(
            region=region, employee=employee, work_date__in=basis.days
        )
    }
    end = person.active_to or basis.last
    rule = basis.rule
    result: list[ExplainedDay] = []
    for day in basis.days:
        if not person.active_from <= day <= end:
            continue
        found = recorded.get(day)
        if found is None or found.kind == DayKind.ABSENT:
            result.append(ExplainedDay(day, DayKind.ABSENT, found, 0, 0, rule.absence_percent))
            continue
        late = found.late_minutes if found.kind == DayKind.PRESENT else 0
        early = found.early_minutes if found.kind == DayKind.PRESENT else 0
        cost = band_percent(rule.late_bands, late) + band_percent(rule.early_bands, early)
        result.append(ExplainedDay(day, found.kind, found, late, early, cost))
    return result
