"""“Due in 3 working days” / “overdue by 5 hours” on the staff pages, counted on the
region's working-day calendar with one read of its closed days per page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lumbung.core.calendar import RegionCalendar
from lumbung.core.models import Region, RegionHoliday

from ..models import Proposal


@dataclass(frozen=True)
class Due:
    text: str
    overdue: bool


class WorkingDays:
    """The region's working days over a window of dates, read once."""

    def __init__(self, region: Region, start: dt.date, end: dt.date) -> None:
        self.calendar = RegionCalendar(region)
        self.closed = self.calendar.closed_days(start, end)
        self.declared = set(
            RegionHoliday.objects.filter(
                region=region, is_working_day=True, date__range=(start, end)
            ).values_list("date", flat=True)
        )

    def between(self, start: dt.datetime, end: dt.datetime) -> int:
        day, last = self.calendar.local_date(start), self.calendar.local_date(end)
        count = 0
        while day < last:
            day += dt.timedelta(days=1)
            if (day.weekday() < 5 or day in self.declared) and day not in self.closed:
                count += 1
        return count


def _span(days: WorkingDays, early: dt.datetime, late: dt.datetime) -> str:
    seconds = (late - early).total_seconds()
    working = days.between(early, late) if seconds >= 86400 else 0
    if working:
        return ngettext("%(n)d working day", "%(n)d working days", working) % {"n": working}
    hours = int(seconds // 3600)
    if hours < 1:
        minutes = max(int(seconds // 60), 1)
        return ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}
    return ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours}


def label(days: WorkingDays, due_at: dt.datetime, now: dt.datetime) -> Due:
    if due_at < now:
        return Due(_("overdue by %(span)s") % {"span": _span(days, due_at, now)}, True)
    return Due(_("due in %(span)s") % {"span": _span(days, now, due_at)}, False)


def due_labels(region: Region, proposals: Iterable[Proposal], names: Mapping[str, str]) -> None:
    """Set `.due` (a Due, or None without a running deadline) and `.state_label` (the
    region's name for the step, from `names`) on each."""
    rows = list(proposals)
    now = timezone.now()
    for proposal in rows:
        proposal.state_label = names.get(proposal.state, proposal.state)  # type: ignore[attr-defined]
        proposal.due = None  # type: ignore[attr-defined]
    running = [p for p in rows if p.due_at is not None and not p.paused_state]
    if not running:
        return
    moments = [now, *(p.due_at for p in running if p.due_at)]
    days = WorkingDays(
        region,
        min(moments).date() - dt.timedelta(days=1),
        max(moments).date() + dt.timedelta(days=1),
    )
    for proposal in running:
        assert proposal.due_at is not None
        proposal.due = label(days, proposal.due_at, now)  # type: ignore[attr-defined]
