""" "Due in 2 working days" / "overdue by 1 working day" for a review deadline."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lumbung.core.calendar import RegionCalendar
from lumbung.core.models import Region


@dataclass(frozen=True)
class Due:
    text: str
    overdue: bool


def due_of(
    region: Region, due_at: dt.datetime | None, now: dt.datetime | None = None
) -> Due | None:
    """None when no deadline runs."""
    if due_at is None:
        return None
    now = now or timezone.now()
    calendar = RegionCalendar(region)
    late = due_at < now
    days = calendar.working_days_between(*((due_at, now) if late else (now, due_at)))
    if days == 0:
        return Due(_("overdue since today") if late else _("due today"), late)
    if late:
        text = ngettext("overdue by %(n)d working day", "overdue by %(n)d working days", days)
    else:
        text = ngettext("due in %(n)d working day", "due in %(n)d working days", days)
    return Due(text % {"n": days}, late)
