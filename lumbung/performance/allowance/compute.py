"""Computing a month's allowance for everyone active in it, or again for one person after a
correction: a handful of set-based reads (basis.py), per-person arithmetic in Python over
the results only (rules.py), and the results written in bulk (delete, then one INSERT of
arrays on PostgreSQL, multi-row INSERTs elsewhere).

A Bandung month is 20,000 results. Built as model instances and written by bulk_create,
they cost more than the month's whole GROUP BY over 3.5 million entries (bench/README.md,
the performance bench): so each result is a plain row of values, in the table's column
order, and PostgreSQL takes them all in one statement."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import QuerySet
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


# The columns of a result as written, in this order (TppResult's, but its id); a result is
# the same as the one stored when its FIGURES are.
COLUMNS = (
    "region_id", "period_id", "employee_id", "unit_id", "job_grade", "formula_id",
    "base_amount", "approved_minutes", "target_minutes", "performance_share",
    "attendance_share", "deduction_percent", "working_days", "days_present", "late_minutes",
    "amount", "computed_at",
)  # fmt: skip
Row = tuple[Any, ...]
EMPLOYEE, FIGURES, AMOUNT = 2, slice(3, -1), COLUMNS.index("amount")


def _rows(
    region: Region, period: Period, basis: MonthBasis, only: Collection[int] | None
) -> list[Row]:
    persons = people(region, basis, only)
    minutes = approved_minutes(region, basis, only)
    days = attendance(region, basis, persons, only)
    # What every row shares, read once: 20,000 rows make the lookups count.
    shared = (region.pk, period.pk, basis.formula.pk, basis.rule.target_minutes, timezone.now())
    return [_row(shared, basis, p, minutes.get(p.pk, 0), days.get(p.pk, NO_DAYS))
            for p in persons]  # fmt: skip


def _row(
    shared: tuple[int, int, int, int, dt.datetime], basis: MonthBasis, person: Person,
    minutes: int, seen: Attendance,
) -> Row:  # fmt: skip
    region_id, period_id, formula_id, target, now = shared
    found = basis.figures(person, minutes, seen)
    return (
        region_id, period_id, person.pk, person.unit_id, person.job_grade, formula_id,
        basis.bases[person.job_grade], minutes, target,
        found.performance_share, found.attendance_share,
        found.deduction_percent.quantize(PERCENT_PLACES), basis.working_days(person),
        seen.present, seen.late_minutes, Decimal(found.amount), now,
    )  # fmt: skip


def _write(rows: list[Row]) -> None:
    """Insert the rows: on PostgreSQL in one statement, each column one array written as
    text (psycopg's own array adaptation is Python, and slower than the insert; COPY would
    be faster still, but row-level security refuses COPY FROM); elsewhere in batches of
    multi-row INSERTs. Every column is a number but the last, the same time for all."""
    if connection.vendor != "postgresql":
        TppResult.objects.bulk_create(
            [TppResult(**dict(zip(COLUMNS, row, strict=True))) for row in rows], batch_size=BATCH
        )
        return
    if not rows:
        return
    fields = {f.column: f for f in TppResult._meta.concrete_fields}
    arrays = ", ".join(f"%s::{fields[c].db_type(connection)}[]" for c in COLUMNS[:-1])
    sql = (
        f"INSERT INTO {TppResult._meta.db_table} ({', '.join(COLUMNS)}) "  # noqa: S608
        f"SELECT *, %s FROM unnest({arrays})"
    )
    columns = list(zip(*rows, strict=True))
    texts = ["{" + ",".join(map(str, values)) + "}" for values in columns[:-1]]
    with connection.cursor() as cursor:
        cursor.execute(sql, [rows[0][-1], *texts])


def _stored(scope: QuerySet[TppResult]) -> dict[int, Row]:
    """{employee: the figures stored} of the results in `scope`."""
    names = COLUMNS[FIGURES]
    return {row[0]: row[1:] for row in scope.order_by().values_list("employee_id", *names)}


def compute_into(
    region: Region, period: Period, only: Collection[int] | None = None
) -> tuple[int, int]:
    """(Re)compute the period's results, of everyone or of the people in `only`; the
    caller holds the period's lock and writes the audit event. A result whose figures
    come out as stored is left as it is (a month computed again rewrites only what
    changed: writing 20,000 rows costs more than reading 3.5 million entries); the others
    are replaced, and the results of people no longer in the month removed. Returns how
    many results the period has and their total amount."""
    basis = month_basis(region, period.year, period.month)
    rows = _rows(region, period, basis, only)
    scope = TppResult.objects.filter(region=region, period=period)
    if only is not None:
        scope = scope.filter(employee_id__in=list(only))
    stored = _stored(scope)
    fresh = [row for row in rows if stored.get(row[EMPLOYEE]) != row[FIGURES]]
    gone = set(stored) - {row[EMPLOYEE] for row in rows}
    replaced = [row[EMPLOYEE] for row in fresh if row[EMPLOYEE] in stored] + sorted(gone)
    if len(replaced) == len(stored) > 0:
        scope.delete()
    elif replaced:
        scope.filter(employee_id__in=replaced).delete()
    _write(fresh)
    period.computed_at = timezone.now()
    period.save(update_fields=["computed_at"])
    return len(rows), int(sum(row[AMOUNT] for row in rows))


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
    count, total = compute_into(region, period)
    record(region, actor, period, "month_compute", {"people": count, "total": total})
    return period


def person_recompute(region: Region, period: Period, employee: Employee) -> None:
    """One person's result again (after a correction), if the month has been computed."""
    if period.computed_at is not None:
        compute_into(region, period, only=[employee.pk])
