"""Reads of the review area: a reviewer's queue (entries, and the person-days they make)
and the entries stuck at the top of a supervisor chain. The figures about reviews (pending
per supervisor, approvals within seconds) are the dashboards' (dashboards/selectors.py,
dashboards/anomalies.py): one place each."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Min, Q, QuerySet, Sum
from django.utils import timezone

from lumbung.core.errors import NotFound
from lumbung.core.models import Region

from ..models import Employee, Entry
from ..workflow import SUBMITTED

# An overdue entry can go one step up: its reviewer has a supervisor, or (no reviewer yet:
# the author had no supervisor when it was made) the author has one now.
ESCALATABLE = Q(reviewer__supervisor__isnull=False) | Q(
    reviewer__isnull=True, employee__supervisor__isnull=False
)
AT_TOP = Q(reviewer__isnull=False, reviewer__supervisor__isnull=True) | Q(
    reviewer__isnull=True, employee__supervisor__isnull=True
)


@dataclass(frozen=True)
class QueueFilter:
    person: int | None = None  # the author's Employee id
    day: dt.date | None = None


def queue(region: Region, reviewer: Employee | None, filters: QueueFilter) -> QuerySet[Entry]:
    """The entries waiting for `reviewer` (nobody's reviewer: none), by person and day."""
    if reviewer is None:
        return Entry.objects.none()
    found = Entry.objects.filter(region=region, reviewer=reviewer, state=SUBMITTED)
    if filters.person:
        found = found.filter(employee_id=filters.person)
    if filters.day:
        found = found.filter(work_date=filters.day)
    return found.select_related("employee", "activity").order_by(
        "employee__name", "employee_id", "work_date", "start_time", "pk"
    )


def queue_days(region: Region, reviewer: Employee | None, filters: QueueFilter) -> QuerySet[Any]:
    """The queue's person-days, the most urgent first: employee id, day, entries, claimed
    minutes and the earliest deadline among them, in one GROUP BY."""
    return (
        queue(region, reviewer, filters)
        .order_by()
        .values("employee_id", "work_date")
        .annotate(entries=Count("pk"), minutes=Sum("claimed_minutes"), due=Min("due_at"))
        .order_by("due", "employee_id", "work_date")
    )


@dataclass
class Day:
    """One person's day in the queue, with its entries."""

    employee: Employee
    work_date: dt.date
    entries: list[Entry]
    minutes: int
    due: dt.datetime | None


def days_with_entries(
    region: Region, reviewer: Employee | None, filters: QueueFilter, days: list[dict[str, Any]]
) -> list[Day]:
    """The entries of a page of person-days, read in one query."""
    if not days:
        return []
    keys = {(d["employee_id"], d["work_date"]) for d in days}
    grouped: dict[tuple[int, dt.date], list[Entry]] = defaultdict(list)
    rows = queue(region, reviewer, filters).filter(
        employee_id__in={k[0] for k in keys}, work_date__in={k[1] for k in keys}
    )
    for entry in rows:
        grouped[(entry.employee_id, entry.work_date)].append(entry)
    result = []
    for d in days:
        entries = grouped.get((d["employee_id"], d["work_date"]), [])
        if entries:
            employee = entries[0].employee
            result.append(Day(employee, d["work_date"], entries, d["minutes"] or 0, d["due"]))
    return result


def review_entry(region: Region, pk: int) -> Entry:
    """One entry of the region, with what its review page shows; another region's is 404."""
    entry = (
        Entry.objects.filter(region=region, pk=pk)
        .select_related("employee", "employee__unit", "activity", "reviewer")
        .first()
    )
    if entry is None:
        raise NotFound()
    return entry


def unreviewed_at_top(region: Region, now: dt.datetime | None = None) -> QuerySet[Entry]:
    """Overdue entries that cannot go further up: their reviewer (or, with no reviewer,
    their author) has no supervisor in the registry. The region administrator fixes the
    chain; the next escalation sweep then moves them."""
    return (
        Entry.objects.filter(region=region, state=SUBMITTED, due_at__lt=now or timezone.now())
        .filter(AT_TOP)
        .select_related("employee", "employee__unit", "reviewer", "activity")
        .order_by("due_at", "pk")
    )
