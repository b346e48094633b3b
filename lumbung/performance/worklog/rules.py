"""The rules an activity entry must keep, as pure functions over plain values (the property
tests drive them directly), and the checks that turn a broken rule into a DomainError
whose code names the rule and whose field error names the field to fix.

Times are local wall-clock times of the region on the entry's date; an entry never crosses
midnight (the model's check constraint: end after start)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import NoReturn

from django.utils.translation import gettext as _

from lumbung.core.calendar import RegionCalendar
from lumbung.core.errors import DomainError

from ..errors import PerformanceError

Span = tuple[dt.time, dt.time]


def minutes_of(moment: dt.time) -> int:
    return moment.hour * 60 + moment.minute


def span_minutes(start: dt.time, end: dt.time) -> int:
    """Whole minutes from start to end (seconds are not kept)."""
    return minutes_of(end) - minutes_of(start)


def overlaps(span: Span, others: Iterable[Span]) -> bool:
    """Whether [start, end) shares a minute with any of `others` (touching ends do not)."""
    start, end = span
    return any(start < other_end and other_start < end for other_start, other_end in others)


def fits_span(quantity: int, standard_minutes: int, start: dt.time, end: dt.time) -> bool:
    """The claimed minutes (quantity x standard) fit in the time actually spent."""
    return quantity * standard_minutes <= span_minutes(start, end)


def within_cap(claimed_today: int, claimed: int, cap: int) -> bool:
    """The day's claimed minutes, this entry's included, stay within the daily cap."""
    return claimed_today + claimed <= cap


def backdate_allowed(calendar: RegionCalendar, day: dt.date, today: dt.date, limit: int) -> bool:
    """`day` is at most `limit` working days before `today` (today itself always is)."""
    if day >= today:
        return True
    noon = dt.time(12)
    return (
        calendar.working_days_between(
            dt.datetime.combine(day, noon, tzinfo=calendar.tz),
            dt.datetime.combine(today, noon, tzinfo=calendar.tz),
        )
        <= limit
    )


# The checks, each refusing with its own code ------------------------------------------------


def refuse(code: PerformanceError, field: str, message: str, status: int = 422) -> NoReturn:
    raise DomainError(code, message, field_errors={field: [message]}, status=status)


def check_date(
    calendar: RegionCalendar, day: dt.date, today: dt.date, *, limit: int, overtime: bool
) -> None:
    if day > today:
        refuse(PerformanceError.FUTURE_DATE, "work_date", _("The date is in the future."))
    if not backdate_allowed(calendar, day, today, limit):
        refuse(
            PerformanceError.TOO_OLD,
            "work_date",
            _("An entry may be back-dated by at most %(n)d working days.") % {"n": limit},
        )
    if not overtime and not calendar.is_working_day(day):
        refuse(
            PerformanceError.NOT_WORKING_DAY,
            "work_date",
            _("The office is closed that day: only assigned overtime may be logged."),
        )


def check_span(quantity: int, standard_minutes: int, start: dt.time, end: dt.time) -> None:
    if not fits_span(quantity, standard_minutes, start, end):
        refuse(
            PerformanceError.EXCEEDS_SPAN,
            "quantity",
            _("%(claimed)d minutes claimed do not fit in %(span)d minutes from start to end.")
            % {"claimed": quantity * standard_minutes, "span": span_minutes(start, end)},
        )


def check_overlap(span: Span, others: Iterable[Span]) -> None:
    if overlaps(span, others):
        refuse(
            PerformanceError.OVERLAP,
            "start_time",
            _("This time overlaps another of your entries that day."),
            status=409,
        )


def check_cap(claimed_today: int, claimed: int, cap: int) -> None:
    if not within_cap(claimed_today, claimed, cap):
        refuse(
            PerformanceError.DAILY_CAP,
            "quantity",
            _("At most %(cap)d minutes a day: %(used)d are already claimed.")
            % {"cap": cap, "used": claimed_today},
        )
