"""Calendar data: decreed cuti bersama (national) and each region's own holidays."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from ..calendar import decreed_collective_leave
from ..errors import ValidationFailed
from ..models import CollectiveLeaveDay, Region, RegionHoliday, User
from .audit import audit_record


@transaction.atomic
def collective_leave_sync(*, years: list[int]) -> int:
    """Load the SKB's cuti bersama days for `years` from lokal-id; returns days added."""
    added = 0
    for year in years:
        for day, name, decree in decreed_collective_leave(year):
            _day, created = CollectiveLeaveDay.objects.get_or_create(
                date=day, defaults={"name": name, "decree": decree}
            )
            added += int(created)
    if added:
        audit_record(
            region=None,
            actor=None,
            action="calendar.collective_leave_sync",
            changes={"added": added},
        )
    return added


@transaction.atomic
def region_holiday_set(
    *,
    region: Region,
    actor: User | None,
    date: dt.date,
    name: str,
    is_working_day: bool = False,
) -> RegionHoliday:
    """Declare a local holiday (or a make-up working day) for the region."""
    if not name.strip():
        raise ValidationFailed({"name": [_("This field is required.")]})
    holiday, _created = RegionHoliday.objects.update_or_create(
        region=region,
        date=date,
        defaults={"name": name.strip(), "is_working_day": is_working_day},
    )
    audit_record(
        region=region,
        actor=actor,
        action="calendar.holiday_set",
        obj=holiday,
        changes={"date": date.isoformat(), "name": holiday.name, "working_day": is_working_day},
    )
    return holiday


@transaction.atomic
def region_holiday_remove(*, region: Region, actor: User, holiday: RegionHoliday) -> None:
    if holiday.region_id != region.pk:
        raise ValidationFailed({"holiday": [_("Unknown holiday.")]})
    audit_record(
        region=region,
        actor=actor,
        action="calendar.holiday_remove",
        obj=holiday,
        changes={"date": holiday.date.isoformat(), "name": holiday.name},
    )
    holiday.delete()
