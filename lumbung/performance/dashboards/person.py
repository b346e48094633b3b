"""One person's month, for the drill-down: minutes by state per day and every entry."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet, Sum

from lumbung.core.errors import NotFound, PermissionDenied
from lumbung.core.models import Region, User

from ..models import Employee, Entry
from ..selectors import can_see_pay
from ..workflow import APPROVED, REJECTED, SUBMITTED, WITHDRAWN
from .month import Month
from .scope import ID_MAX


def person_visible(region: Region, user: User, employee_id: int) -> Employee:
    """The region's employee if `user` may see their figures (can_see_pay's rule): another
    region's (or no) employee is a 404, anyone else's figures a 403."""
    found = Employee.objects.filter(region=region, pk=employee_id).select_related("unit")
    employee = found.first() if 0 < employee_id < ID_MAX else None
    if employee is None:
        raise NotFound()
    if not can_see_pay(region, user, employee):
        raise PermissionDenied()
    return employee


@dataclass(frozen=True)
class Day:
    work_date: dt.date
    entries: int
    approved: int
    pending: int
    rejected: int


@dataclass
class PersonMonth:
    employee: Employee
    month: Month
    days: list[Day]
    entries: list[Entry] = field(default_factory=list)

    @property
    def approved(self) -> int:
        return sum(d.approved for d in self.days)

    @property
    def pending(self) -> int:
        return sum(d.pending for d in self.days)

    @property
    def rejected(self) -> int:
        return sum(d.rejected for d in self.days)


def _month_entries(region: Region, employee: Employee, month: Month) -> QuerySet[Entry]:
    return Entry.objects.filter(
        region=region, employee=employee, work_date__gte=month.start, work_date__lte=month.end
    ).exclude(state=WITHDRAWN)


def person_month(region: Region, employee: Employee, month: Month) -> PersonMonth:
    """Per day: how many entries and their minutes approved, pending and rejected; then
    the entries themselves (withdrawn ones left out: their author took them back)."""
    found = _month_entries(region, employee, month)
    rows = (
        found.values("work_date")
        .annotate(
            n=Count("id"),
            approved=Sum("approved_minutes", filter=Q(state=APPROVED), default=0),
            pending=Sum("claimed_minutes", filter=Q(state=SUBMITTED), default=0),
            rejected=Sum("claimed_minutes", filter=Q(state=REJECTED), default=0),
        )
        .order_by("work_date")
    )
    days = [
        Day(r["work_date"], r["n"], int(r["approved"]), int(r["pending"]), int(r["rejected"]))
        for r in rows
    ]
    entries = list(found.select_related("activity").order_by("work_date", "start_time", "id"))
    return PersonMonth(employee=employee, month=month, days=days, entries=entries)
