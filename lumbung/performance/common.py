"""What every area of the module shares: the region's settings and office hours, the month
a day belongs to and whether it is closed, the region wall, and the audit record."""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from lumbung.core.errors import DomainError, NotFound
from lumbung.core.models import Region, User
from lumbung.core.selectors import module_settings
from lumbung.core.services.audit import audit_record

from .errors import PerformanceError
from .models import Period, PeriodState

MODULE = "performance"


def settings_of(region: Region) -> dict[str, Any]:
    return module_settings(region, MODULE)


def _clock(text: str) -> dt.time:
    hours, minutes = text.split(":")
    return dt.time(int(hours), int(minutes))


def office_hours(region: Region, day: dt.date) -> tuple[dt.time, dt.time]:
    """When the office opens and closes on `day`, local time (Friday closes later)."""
    settings = settings_of(region)
    end = settings["friday_end"] if day.weekday() == 4 else settings["work_end"]
    return _clock(settings["work_start"]), _clock(end)


def month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    """The first and last day of the month."""
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def month_closed(region: Region, day: dt.date) -> bool:
    """Whether the month `day` falls in is closed (locked) in `region`."""
    return Period.objects.filter(
        region=region, year=day.year, month=day.month, state=PeriodState.CLOSED
    ).exists()


def require_open_month(region: Region, day: dt.date) -> None:
    """A closed month takes no ordinary changes: only an authorised correction."""
    if month_closed(region, day):
        raise DomainError(
            PerformanceError.MONTH_CLOSED,
            _month_closed_message(day),
            field_errors={"work_date": [_month_closed_message(day)]},
            status=409,
        )


def _month_closed_message(day: dt.date) -> str:
    from django.utils.translation import gettext as _

    return _("%(month)s is closed: a change now needs an authorised correction.") % {
        "month": day.strftime("%m/%Y")
    }


def same_region(region: Region, obj: Any) -> None:
    """A foreign row is a 404, never a 403 that confirms it exists."""
    if obj is None or obj.region_id != region.pk:
        raise NotFound()


def record(
    region: Region,
    actor: User | None,
    obj: Any,
    action: str,
    changes: dict[str, Any],
    reason: str = "",
    *,
    casework: bool = True,
) -> None:
    """The audit event of a performance write, in the caller's transaction. Nearly all of
    them are case work (entries, reviews, imports, results): they leave the setup each
    process remembers (region settings, calendar) valid; pass casework=False otherwise."""
    audit_record(
        region=region,
        actor=actor,
        action=f"performance.{action}",
        obj=obj,
        changes=changes,
        reason=reason,
        casework=casework,
    )
