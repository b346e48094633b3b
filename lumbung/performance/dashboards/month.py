"""The month a dashboard shows and the yardsticks it is measured by: the formula's target
(prorated to the working days elapsed while the month runs) and the thresholds for an
overloaded unit and an idle person."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from lumbung.core.calendar import RegionCalendar
from lumbung.core.errors import ValidationFailed
from lumbung.core.models import Region

from ..common import month_bounds
from ..models import TppFormula
from ..selectors import region_today

DEFAULT_TARGET = 6000  # minutes a month: Bandung's pinned default when no formula exists
# A unit is overloaded when its average approved minutes per person pass 120% of the target.
OVERLOAD_SHARE = Decimal("1.2")
# A person is idle below 50% of the target (prorated while the month runs), counting the
# minutes still awaiting review too: a slow supervisor does not make their staff idle.
IDLE_SHARE = Decimal("0.5")
TREND_MONTHS = 6
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True)
class Month:
    year: int
    month: int

    @property
    def start(self) -> dt.date:
        return month_bounds(self.year, self.month)[0]

    @property
    def end(self) -> dt.date:
        return month_bounds(self.year, self.month)[1]

    @property
    def key(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    def back(self, months: int) -> Month:
        index = self.year * 12 + self.month - 1 - months
        return Month(index // 12, index % 12 + 1)

    @classmethod
    def of(cls, day: dt.date) -> Month:
        return cls(day.year, day.month)


def month_parse(region: Region, text: str | None) -> Month:
    """The month named "YYYY-MM" (default: the region's current month); a malformed or
    future month is refused on the `month` field."""
    today = Month.of(region_today(region))
    if not text:
        return today
    found = _MONTH.match(text.strip())
    if not found or not 1 <= int(found[2]) <= 12 or not 2000 <= int(found[1]) <= 2100:
        raise ValidationFailed({"month": [_("Give the month as YYYY-MM, e.g. 2026-03.")]})
    month = Month(int(found[1]), int(found[2]))
    if (month.year, month.month) > (today.year, today.month):
        raise ValidationFailed({"month": [_("This month has not begun yet.")]})
    return month


def target_minutes(region: Region, month: Month) -> int:
    """The target of the formula in force on the month's first day."""
    found = (
        TppFormula.objects.filter(region=region, effective_from__lte=month.start)
        .order_by("-effective_from")
        .values_list("target_minutes", flat=True)
        .first()
    )
    return found if found is not None else DEFAULT_TARGET


def working_days(calendar: RegionCalendar, start: dt.date, end: dt.date) -> int:
    """Working days in [start, end] on the region's calendar."""
    count, day = 0, start
    while day <= end:
        count += calendar.is_working_day(day)
        day += dt.timedelta(days=1)
    return count


@dataclass(frozen=True)
class Yardstick:
    """What a month's figures are compared with."""

    month: Month
    target: int  # the formula's full target
    working_days: int
    elapsed_days: int  # working days already over (all of them for a past month)
    expected: int  # the target prorated to the elapsed working days

    @property
    def running(self) -> bool:
        return self.elapsed_days < self.working_days

    @property
    def overload_minutes(self) -> int:
        return _whole(self.expected * OVERLOAD_SHARE)

    @property
    def idle_minutes(self) -> int:
        return _whole(self.expected * IDLE_SHARE)


def _whole(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def yardstick(region: Region, month: Month) -> Yardstick:
    """The month's target and thresholds. While the month runs, only the working days
    before today count as elapsed (today's work may not be logged yet)."""
    calendar = RegionCalendar(region)
    today = region_today(region)
    total = working_days(calendar, month.start, month.end)
    if month.end < today:
        elapsed = total
    else:
        elapsed = working_days(calendar, month.start, today - dt.timedelta(days=1))
    target = target_minutes(region, month)
    expected = _whole(Decimal(target) * elapsed / total) if total else target
    return Yardstick(month, target, total, elapsed, expected)
