"""Computing a month's allowance for everyone active in it, or again for one person after a
correction: a handful of set-based reads (basis.py), per-person arithmetic in Python over
the results only (rules.py), and the results written in bulk (delete, then one multi-row
INSERT per batch)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lumbung.core.errors import DomainError, ValidationFailed
from lumbung.core.models import Region, User

from ..common import record
from ..errors import PerformanceError
from ..models import Employee, Period, PeriodState, TppResult
from .basis import Attendance, MonthBasis, Person, approved_minutes, attendance, month_basis, people
from .rules import PERCENT_PLACES

BATCH = 2000
NO_DAYS = Attendance()


def period_of(region: Region, year: int, month: int) -> Period:
    """The month's period, opened on first use (locked against concurrent computing)."""
    if not (1 <= month <= 12 and 2000 <= year <= 2100):
        raise ValidationFailed({"month": [_("Choose a month between 2000 and 2100.")]})
    period, _created = Period.objects.get_or_create(region=region, year=year, month=month)
    return Period.objects.select_for_update().get(pk=period.pk)


def _results(
    region: Region, period: Period, basis: MonthBasis, only: Collection[int] | None
) -> list[TppResult]:
    persons = people(region, basis, only)
    minutes = approved_minutes(region, basis, only)
    days = attendance(region, basis, only)
    now = timezone.now()
    return [_result(region, period, basis, p, minutes.get(p.pk, 0), days.get(p.pk, NO_DAYS), now)
            for p in persons]  # fmt: skip


def _result(
    region: Region, period: Period, basis: MonthBasis, person: Person, minutes: int,
    seen: Attendance, now: dt.datetime,
) -> TppResult:  # fmt: skip
    found = basis.figures(person, minutes, seen)
    return TppResult(
        region=region, period=period, employee_id=person.pk, unit_id=person.unit_id,
        job_grade=person.job_grade, formula=basis.formula,
        base_amount=basis.bases[person.job_grade], approved_minutes=minutes,
        target_minutes=basis.rule.target_minutes,
        performance_share=found.performance_share,
        attendance_share=found.attendance_share,
        deduction_percent=found.deduction_percent.quantize(PERCENT_PLACES),
        working_days=basis.working_days(person), days_present=seen.present,
        late_minutes=seen.late_minutes, amount=Decimal(found.amount), computed_at=now,
    )  # fmt: skip


def compute_into(region: Region, period: Period, only: Collection[int] | None = None) -> int:
    """(Re)write the period's results, of everyone or of the people in `only`; the
    caller holds the period's lock and writes the audit event. Returns the total amount."""
    basis = month_basis(region, period.year, period.month)
    rows = _results(region, period, basis, only)
    stale = TppResult.objects.filter(region=region, period=period)
    if only is not None:
        stale = stale.filter(employee_id__in=list(only))
    stale.delete()
    TppResult.objects.bulk_create(rows, batch_size=BATCH)
    period.computed_at = timezone.now()
    period.save(update_fields=["computed_at"])
    return int(sum(r.amount for r in rows))


@transaction.atomic
def month_compute(*, region: Region, actor: User | None, year: int, month: int) -> Period:
    """Compute (or compute again) the month's allowance of everyone active in it. A closed
    month is computed only by its closing or by a correction."""
    period = period_of(region, year, month)
    if period.state == PeriodState.CLOSED:
        raise DomainError(
            PerformanceError.MONTH_CLOSED,
            _("%(month)s is closed: a change now needs an authorised correction.")
            % {"month": str(period)},
            status=409,
        )
    total = compute_into(region, period)
    count = TppResult.objects.filter(region=region, period=period).count()
    record(region, actor, period, "month_compute", {"people": count, "total": total})
    return period


def person_recompute(region: Region, period: Period, employee: Employee) -> None:
    """One person's result again (after a correction), if the month has been computed."""
    if period.computed_at is not None:
        compute_into(region, period, only=[employee.pk])
