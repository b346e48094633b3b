"""“Due in 3 working days” / “overdue by 5 hours” for the staff pages, counted on the
region's working-day calendar, with one read of its holidays per page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lumbung.core.calendar import RegionCalendar
from lumbung.core.models import Region, RegionHoliday

from ..models import Complaint
from ..workflow import REPORT_FLOW


@dataclass(frozen=True)
class Due:
    text: str
    overdue: bool


class WorkingDays:
    """Working days of one region over a window of dates, read once."""

    def __init__(self, region: Region, start: dt.date, end: dt.date) -> None:
        self.calendar = RegionCalendar(region)
        self.closed = self.calendar.closed_days(start, end)
        self.declared = set(
            RegionHoliday.objects.filter(
                region=region, is_working_day=True, date__range=(start, end)
            ).values_list("date", flat=True)
        )

    def between(self, start: dt.datetime, end: dt.datetime) -> int:
        """Whole working days after `start`'s day up to and including `end`'s day."""
        day, last = self.calendar.local_date(start), self.calendar.local_date(end)
        count = 0
        while day < last:
            day += dt.timedelta(days=1)
            if (day.weekday() < 5 or day in self.declared) and day not in self.closed:
                count += 1
        return count


def _hours(seconds: float) -> str:
    hours = int(seconds // 3600)
    if hours < 1:
        minutes = max(int(seconds // 60), 1)
        return ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}
    return ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours}


def _label(days: WorkingDays, due_at: dt.datetime, now: dt.datetime) -> Due:
    overdue = due_at < now
    early, late = (due_at, now) if overdue else (now, due_at)
    seconds = (late - early).total_seconds()
    working = days.between(early, late) if seconds >= 86400 else 0
    span = (
        ngettext("%(n)d working day", "%(n)d working days", working) % {"n": working}
        if working
        else _hours(seconds)
    )
    if overdue:
        return Due(_("overdue by %(span)s") % {"span": span}, True)
    return Due(_("due in %(span)s") % {"span": span}, False)


def due_labels(region: Region, complaints: Iterable[Complaint]) -> None:
    """Set `.due` (a Due, or None without a deadline) and `.state_label` on each of the
    complaints."""
    rows = list(complaints)
    for complaint in rows:
        complaint.state_label = REPORT_FLOW.state(complaint.state).label  # type: ignore[attr-defined]
    now = timezone.now()
    deadlines = [c.due_at for c in rows if c.due_at is not None]
    if not deadlines:
        for complaint in rows:
            complaint.due = None  # type: ignore[attr-defined]
        return
    start = min([now, *deadlines]).date() - dt.timedelta(days=1)
    end = max([now, *deadlines]).date() + dt.timedelta(days=1)
    days = WorkingDays(region, start, end)
    for complaint in rows:
        complaint.due = _label(days, complaint.due_at, now) if complaint.due_at else None  # type: ignore[attr-defined]
