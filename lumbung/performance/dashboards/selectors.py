"""The dashboards' figures, every aggregate in the database: per person for a month (one
pass over the month's entries on the (region, work_date) index, grouped by person), rolled
up per unit, the trend of the last months, and the reviewers' pending queues.

A person counts in the unit of their posting on the month's reference day (its last day,
or today while it runs), so a past month stays where it was after a move; a person with no
posting on record counts in their current unit."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import connection
from django.db.models import Count, Min, Q, Sum
from django.utils import timezone

from lumbung.core.models import Region, Unit

from ..models import Employee, Entry, Period, PeriodState, Posting, TppResult
from ..selectors import region_today
from ..workflow import APPROVED, REJECTED, SUBMITTED, WITHDRAWN
from .month import TREND_MONTHS, Month, Yardstick
from .scope import Scope

_PEOPLE = """
SELECT staff.id AS employee_id, staff.unit_id AS unit_id,
       COALESCE(done.approved, 0) AS approved, COALESCE(done.pending, 0) AS pending,
       COALESCE(done.rejected, 0) AS rejected, COALESCE(done.entries, 0) AS entries
FROM (
    SELECT e.id, COALESCE((
        SELECT p.unit_id FROM {posting} p
        WHERE p.region_id = e.region_id AND p.employee_id = e.id
          AND p.valid_from <= %s AND (p.valid_to IS NULL OR p.valid_to >= %s)
        ORDER BY p.valid_from DESC, p.id DESC LIMIT 1
    ), e.unit_id) AS unit_id
    FROM {employee} e
    WHERE e.region_id = %s AND e.active_from <= %s
      AND (e.active_to IS NULL OR e.active_to >= %s)
) staff
LEFT JOIN (
    SELECT employee_id,
           SUM(CASE WHEN state = %s THEN approved_minutes ELSE 0 END) AS approved,
           SUM(CASE WHEN state = %s THEN claimed_minutes ELSE 0 END) AS pending,
           SUM(CASE WHEN state = %s THEN claimed_minutes ELSE 0 END) AS rejected,
           COUNT(*) AS entries
    FROM {entry}
    WHERE region_id = %s AND work_date >= %s AND work_date <= %s AND state <> %s
    GROUP BY employee_id
) done ON done.employee_id = staff.id
"""


def _people_sql(region: Region, month: Month) -> tuple[str, list[Any]]:
    """Every person active in the month with their unit and minutes by state."""
    day = min(month.end, region_today(region))
    sql = _PEOPLE.format(
        posting=Posting._meta.db_table,
        employee=Employee._meta.db_table,
        entry=Entry._meta.db_table,
    )
    params = [
        day,
        day,
        region.pk,
        month.end,
        month.start,
        APPROVED,
        SUBMITTED,
        REJECTED,
        region.pk,
        month.start,
        month.end,
        WITHDRAWN,
    ]
    return sql, params


def _rows(sql: str, params: Sequence[Any]) -> list[dict[str, Any]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [c[0] for c in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _in(column: str, ids: Iterable[int]) -> tuple[str, list[int]]:
    values = sorted(ids)
    return f"{column} IN ({', '.join(['%s'] * len(values))})", values


def _per(part: int, whole: int) -> Decimal:
    if not whole:
        return Decimal(0)
    return (Decimal(part) / whole).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class UnitFigures:
    unit_id: int
    name: str
    people: int
    approved: int  # the unit's approved minutes in the month
    pending: int  # minutes still awaiting review
    reached: int  # people whose approved minutes reached the full target
    idle: int  # people below the idle threshold (approved + pending)
    yardstick: Yardstick

    @property
    def average(self) -> int:
        """Approved minutes per person, whole minutes."""
        return int(_per(self.approved, self.people).quantize(Decimal(1), ROUND_HALF_UP))

    @property
    def reached_share(self) -> Decimal:
        return _per(self.reached, self.people)

    @property
    def reached_percent(self) -> int:
        return int(self.reached_share * 100)

    @property
    def overloaded(self) -> bool:
        stick = self.yardstick
        return stick.expected > 0 and self.average > stick.overload_minutes


def unit_figures(
    region: Region, scope: Scope, stick: Yardstick, *, unit_id: int | None = None
) -> list[UnitFigures]:
    """Per unit in the viewer's scope (or only `unit_id`): people, minutes, who reached
    the target, who idles."""
    units = scope.units if unit_id is None else frozenset({unit_id})
    if units is not None and not units:
        return []
    people, params = _people_sql(region, stick.month)
    where, ids = _in("unit_id", units) if units is not None else ("1 = 1", [])
    # Only table names and %s placeholders are formatted in; every value is a parameter.
    sql = f"""
        SELECT unit_id, COUNT(*) AS people, SUM(approved) AS approved, SUM(pending) AS pending,
               SUM(CASE WHEN approved >= %s THEN 1 ELSE 0 END) AS reached,
               SUM(CASE WHEN approved + pending < %s THEN 1 ELSE 0 END) AS idle
        FROM ({people}) people WHERE {where} GROUP BY unit_id"""  # noqa: S608
    rows = _rows(sql, [stick.target, stick.idle_minutes, *params, *ids])
    names = _unit_names(region, [r["unit_id"] for r in rows])
    found = [
        UnitFigures(
            unit_id=r["unit_id"],
            name=names.get(r["unit_id"], "?"),
            people=r["people"],
            approved=int(r["approved"] or 0),
            pending=int(r["pending"] or 0),
            reached=int(r["reached"] or 0),
            idle=int(r["idle"] or 0),
            yardstick=stick,
        )
        for r in rows
    ]
    return sorted(found, key=lambda f: f.name.casefold())


def _unit_names(region: Region, ids: Iterable[int]) -> dict[int, str]:
    units = Unit.objects.filter(region=region, pk__in=list(ids)).only("name", "short_name")
    return {u.pk: str(u) for u in units}


@dataclass(frozen=True)
class PersonFigures:
    employee_id: int
    name: str
    nip: str
    position: str
    approved: int
    pending: int
    rejected: int
    entries: int
    yardstick: Yardstick

    @property
    def reached(self) -> bool:
        return self.approved >= self.yardstick.target

    @property
    def idle(self) -> bool:
        return self.approved + self.pending < self.yardstick.idle_minutes

    @property
    def share(self) -> Decimal:
        """Approved minutes as a share of the full target."""
        return _per(self.approved, self.yardstick.target)

    @property
    def percent(self) -> int:
        return int(self.share * 100)


def unit_people(region: Region, unit_id: int, stick: Yardstick) -> list[PersonFigures]:
    """The unit's people in the month, each with their minutes by state."""
    people, params = _people_sql(region, stick.month)
    # Only table names and %s placeholders are formatted in; every value is a parameter.
    sql = f"""
        SELECT people.*, e.name AS name, e.nip AS nip, e.position AS position
        FROM ({people}) people JOIN {Employee._meta.db_table} e ON e.id = people.employee_id
        WHERE people.unit_id = %s"""  # noqa: S608
    rows = _rows(sql, [*params, unit_id])
    found = [
        PersonFigures(
            employee_id=r["employee_id"],
            name=r["name"],
            nip=r["nip"],
            position=r["position"],
            approved=int(r["approved"]),
            pending=int(r["pending"]),
            rejected=int(r["rejected"]),
            entries=int(r["entries"]),
            yardstick=stick,
        )
        for r in rows
    ]
    return sorted(found, key=lambda p: (p.name.casefold(), p.employee_id))


@dataclass(frozen=True)
class PendingQueue:
    reviewer_id: int | None
    name: str
    unit: str
    entries: int
    minutes: int
    overdue: int
    oldest_due: Any  # datetime | None


def pending_by_reviewer(region: Region, scope: Scope, month: Month) -> list[PendingQueue]:
    """Entries of the month still awaiting review, per reviewer (the supervisor they wait
    on, in that supervisor's unit), the longest-waiting queue first."""
    found = Entry.objects.filter(
        region=region, work_date__gte=month.start, work_date__lte=month.end, state=SUBMITTED
    )
    if scope.units is not None:
        found = found.filter(reviewer__unit_id__in=scope.units)
    rows = (
        found.values("reviewer_id")
        .annotate(
            entries=Count("id"),
            minutes=Sum("claimed_minutes"),
            oldest_due=Min("due_at"),
            overdue=Count("id", filter=Q(due_at__lt=timezone.now())),
        )
        .order_by("oldest_due", "reviewer_id")
    )
    rows = list(rows)
    reviewers = Employee.objects.filter(
        region=region, pk__in=[r["reviewer_id"] for r in rows if r["reviewer_id"]]
    ).select_related("unit")
    named = {e.pk: e for e in reviewers}
    return [_queue(r, named.get(r["reviewer_id"])) for r in rows]


def _queue(row: dict[str, Any], reviewer: Employee | None) -> PendingQueue:
    return PendingQueue(
        reviewer_id=row["reviewer_id"],
        name=reviewer.name if reviewer else "",
        unit=str(reviewer.unit) if reviewer else "",
        entries=row["entries"],
        minutes=int(row["minutes"] or 0),
        overdue=row["overdue"],
        oldest_due=row["oldest_due"],
    )


@dataclass(frozen=True)
class TrendRow:
    unit_id: int
    name: str
    averages: list[int | None]  # approved minutes per person, one per month (None: nobody)


def trend(region: Region, scope: Scope, month: Month) -> tuple[list[Month], list[TrendRow]]:
    """Approved minutes per person per unit over the last months up to `month`. A closed
    month whose allowance was computed reads its results (the official figures, one row a
    person); any other month reads its entries."""
    months = [month.back(n) for n in range(TREND_MONTHS - 1, -1, -1)]
    if scope.units is not None and not scope.units:
        return months, []
    computed = _computed_periods(region, months)
    series: dict[int, list[int | None]] = {}
    for index, one in enumerate(months):
        for unit_id, people, approved in _month_totals(region, scope, one, computed.get(one)):
            averages = series.setdefault(unit_id, [None] * len(months))
            averages[index] = round(approved / people) if people else None
    names = _unit_names(region, series)
    rows = [TrendRow(u, names.get(u, "?"), a) for u, a in series.items()]
    return months, sorted(rows, key=lambda r: r.name.casefold())


def _computed_periods(region: Region, months: list[Month]) -> dict[Month, int]:
    periods = Period.objects.filter(
        region=region,
        state=PeriodState.CLOSED,
        computed_at__isnull=False,
        year__gte=months[0].year,
        year__lte=months[-1].year,
    ).values_list("pk", "year", "month")
    return {Month(y, m): pk for pk, y, m in periods if Month(y, m) in months}


def _month_totals(
    region: Region, scope: Scope, month: Month, period_id: int | None
) -> list[tuple[int, int, int]]:
    """(unit, people, approved minutes) of one month."""
    if period_id is not None:
        results = TppResult.objects.filter(region=region, period_id=period_id)
        if scope.units is not None:
            results = results.filter(unit_id__in=scope.units)
        rows = results.values("unit_id").annotate(n=Count("id"), minutes=Sum("approved_minutes"))
        return [(r["unit_id"], r["n"], int(r["minutes"] or 0)) for r in rows]
    people, params = _people_sql(region, month)
    where, ids = _in("unit_id", scope.units) if scope.units is not None else ("1 = 1", [])
    # Only table names and %s placeholders are formatted in; every value is a parameter.
    sql = f"""SELECT unit_id, COUNT(*) AS n, SUM(approved) AS minutes
              FROM ({people}) people WHERE {where} GROUP BY unit_id"""  # noqa: S608
    return [(r["unit_id"], r["n"], int(r["minutes"] or 0)) for r in _rows(sql, [*params, *ids])]
