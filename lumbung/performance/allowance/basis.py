"""What a month's allowance is computed from, read in a few set-based queries: the working
days counted, the formula and base amounts in force, each person's grade and unit on the
month's first day, approved minutes (one GROUP BY over the entries) and the attendance
summary (one GROUP BY over the attendance days, lateness bands counted in SQL)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from lumbung.core.calendar import RegionCalendar
from lumbung.core.errors import DomainError
from lumbung.core.models import Region

from ..common import month_bounds
from ..models import AttendanceDay, DayKind, Employee, Entry, Posting, TppBase, TppFormula
from ..selectors import region_today
from ..workflow import APPROVED
from .errors import AllowanceError
from .formulas import formula_in_force, rule_of
from .rules import Band, Figures, Rule, Scaled, deduction_from_counts, figures


@dataclass(frozen=True)
class Person:
    pk: int
    unit_id: int
    job_grade: int
    active_from: dt.date
    active_to: dt.date | None


@dataclass
class Attendance:
    """One person's counted days: present, covered (present or on leave/duty/sick), late
    minutes, and how many days fell in each late and early band."""

    present: int = 0
    covered: int = 0
    late_minutes: int = 0
    late_counts: list[int] = field(default_factory=list)
    early_counts: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class MonthBasis:
    year: int
    month: int
    first: dt.date
    last: dt.date
    days: tuple[dt.date, ...]  # working days counted: up to today in the running month
    formula: TppFormula
    rule: Rule
    bases: dict[int, Decimal]
    scaled: Scaled | None = None  # the rule in integers, for speed
    cents: dict[int, int] = field(default_factory=dict)  # the bases in whole cents

    def working_days(self, person: Person) -> int:
        if person.active_from <= self.first and (
            person.active_to is None or person.active_to >= self.last
        ):
            return len(self.days)
        end = person.active_to or self.last
        return sum(1 for d in self.days if person.active_from <= d <= end)

    def figures(self, person: Person, minutes: int, seen: Attendance) -> Figures:
        absent = max(0, self.working_days(person) - seen.covered)
        base = self.bases[person.job_grade]
        cents = self.cents.get(person.job_grade)
        if self.scaled is not None and cents is not None:
            lost = self.scaled.lost(seen.late_counts, seen.early_counts, absent)
            return self.scaled.figures(cents, minutes, lost)
        deducted = deduction_from_counts(self.rule, seen.late_counts, seen.early_counts, absent)
        return figures(self.rule, base, minutes, deducted)


def month_basis(region: Region, year: int, month: int) -> MonthBasis:
    """The month's calendar, formula and base amounts (refused if a formula is missing)."""
    first, last = month_bounds(year, month)
    formula = formula_in_force(region, first)
    bases: dict[int, Decimal] = {}
    for grade, amount in (
        TppBase.objects.filter(region=region, effective_from__lte=first)
        .order_by("job_grade", "effective_from")
        .values_list("job_grade", "amount")
    ):
        bases[grade] = amount
    rule = rule_of(formula)
    cents = {g: int(a * 100) for g, a in bases.items() if a * 100 == int(a * 100)}
    days = counted_days(region, first, last)
    return MonthBasis(year, month, first, last, days, formula, rule, bases, Scaled.of(rule), cents)


def counted_days(region: Region, first: dt.date, last: dt.date) -> tuple[dt.date, ...]:
    """The region's working days in [first, last], up to today: days still to come are not
    absences yet."""
    end = min(last, region_today(region))
    calendar = RegionCalendar(region)
    span = (end - first).days + 1
    every = (first + dt.timedelta(days=n) for n in range(max(0, span)))
    return tuple(d for d in every if calendar.is_working_day(d))


def people(region: Region, basis: MonthBasis, only: Collection[int] | None = None) -> list[Person]:
    """Everyone active at some time in the month, with their grade and unit on its first
    day (or on the day they started) from their postings."""
    found = Employee.objects.filter(region=region, active_from__lte=basis.last).filter(
        Q(active_to__isnull=True) | Q(active_to__gte=basis.first)
    )
    if only is not None:
        found = found.filter(pk__in=list(only))
    # In id order: no sort by name (the model's ordering), and results written in the
    # order of their indexes.
    rows = found.order_by("pk").values_list(
        "pk", "unit_id", "job_grade", "active_from", "active_to"
    )
    postings = _postings(region, basis, only)
    result: list[Person] = []
    for pk, unit_id, grade, start, end in rows:
        unit_id, grade = postings.get(pk, (unit_id, grade))
        result.append(Person(pk, unit_id, grade, start, end))
    missing = sorted({p.job_grade for p in result} - set(basis.bases))
    if missing:
        grades = ", ".join(str(g) for g in missing)
        raise DomainError(
            AllowanceError.BASE_MISSING,
            _("No TPP base amount on %(day)s for job grade(s) %(grades)s.")
            % {"day": basis.first.isoformat(), "grades": grades},
            status=409,
        )
    return result


def _postings(
    region: Region, basis: MonthBasis, only: Collection[int] | None
) -> dict[int, tuple[int, int]]:
    """{employee: (unit, grade)} of the posting in force on the month's first day, or else
    the month's first posting (a person who started during the month)."""
    found = Posting.objects.filter(region=region, valid_from__lte=basis.last).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=basis.first)
    )
    if only is not None:
        found = found.filter(employee_id__in=list(only))
    chosen: dict[int, tuple[dt.date, int, int]] = {}
    rows = found.order_by("employee_id", "valid_from", "id").values_list(
        "employee_id", "valid_from", "unit_id", "job_grade"
    )
    for pk, start, unit_id, grade in rows:
        if pk not in chosen or start <= basis.first:
            chosen[pk] = (start, unit_id, grade)
    return {pk: (unit_id, grade) for pk, (_start, unit_id, grade) in chosen.items()}


def approved_minutes(
    region: Region, basis: MonthBasis, only: Collection[int] | None = None
) -> dict[int, int]:
    """{employee: approved minutes in the month}: one GROUP BY over the entries."""
    found = Entry.objects.filter(
        region=region, state=APPROVED, work_date__range=(basis.first, basis.last)
    )
    if only is not None:
        found = found.filter(employee_id__in=list(only))
    rows = found.order_by().values("employee_id").annotate(total=Sum("approved_minutes"))
    return {pk: total or 0 for pk, total in rows.values_list("employee_id", "total")}


def _band_counts(prefix: str, field_name: str, bands: tuple[Band, ...]) -> dict[str, Any]:
    counts: dict[str, Any] = {}
    for i, band in enumerate(bands):
        where = Q(kind=DayKind.PRESENT, **{f"{field_name}__gte": band.low})
        if band.high is not None:
            where &= Q(**{f"{field_name}__lte": band.high})
        counts[f"{prefix}{i}"] = Count("id", filter=where)
    return counts


def attendance(
    region: Region,
    basis: MonthBasis,
    persons: Sequence[Person],
    only: Collection[int] | None = None,
) -> dict[int, Attendance]:
    """{employee: their counted days} of `persons` (everyone active in the month, or the
    people in `only`): one GROUP BY over the attendance days of the month's counted
    working days. A day outside the person's active dates does not count: those of the
    few people active on part of the month only are counted again by a second GROUP BY
    that looks at their dates (looking up every row's person would cost the first a
    third more)."""
    if not basis.days:
        return {}
    first, last = basis.days[0], basis.days[-1]
    partial = [
        p.pk
        for p in persons
        if p.active_from > first or (p.active_to is not None and p.active_to < last)
    ]
    days = AttendanceDay.objects.filter(region=region, work_date__in=basis.days)
    found = days if only is None else days.filter(employee_id__in=list(only))
    result = _counted(basis.rule, found)
    if partial:
        dated = days.filter(employee_id__in=partial).filter(
            Q(work_date__gte=F("employee__active_from"))
            & (Q(employee__active_to__isnull=True) | Q(work_date__lte=F("employee__active_to")))
        )
        for pk in partial:
            result.pop(pk, None)
        result |= _counted(basis.rule, dated)
    return result


def _counted(rule: Rule, found: QuerySet[AttendanceDay]) -> dict[int, Attendance]:
    late_bands, early_bands = len(rule.late_bands), len(rule.early_bands)
    counts = {
        "present": Count("id", filter=Q(kind=DayKind.PRESENT)),
        "covered": Count("id", filter=~Q(kind=DayKind.ABSENT)),
        "late": Sum("late_minutes", filter=Q(kind=DayKind.PRESENT)),
        **_band_counts("late_", "late_minutes", rule.late_bands),
        **_band_counts("early_", "early_minutes", rule.early_bands),
    }
    rows = found.order_by().values("employee_id").annotate(**counts)
    result: dict[int, Attendance] = {}
    for pk, present, covered, late, *bands in rows.values_list("employee_id", *counts):
        result[pk] = Attendance(
            present=present,
            covered=covered,
            late_minutes=late or 0,
            late_counts=bands[:late_bands],
            early_counts=bands[late_bands : late_bands + early_bands],
        )
    return result
