"""What the public pages share: who may see a report, the reporter's secret key kept in the
session, and deadlines and durations said in words."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.timesince import timesince, timeuntil
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lumbung.core.errors import NotFound
from lumbung.core.models import Region
from lumbung.core.permissions import can

from ..models import Complaint
from ..selectors import PUBLIC_STATES, report_get
from ..services import is_reporter
from ..workflow import IN_PROGRESS, SUBMITTED

NONE_SHOWN = "\u2013"  # an en dash where there is no figure
KEYS = "complaints_keys"  # session: "<region id>/<ticket>" -> the tracking key
MAX_KEYS = 50


def _slot(complaint: Complaint) -> str:
    return f"{complaint.region_id}/{complaint.ticket}"


def remember_key(request: HttpRequest, complaint: Complaint, key: str) -> None:
    keys = dict(request.session.get(KEYS, {}))
    keys.pop(_slot(complaint), None)
    keys[_slot(complaint)] = key
    request.session[KEYS] = dict(list(keys.items())[-MAX_KEYS:])


def key_for(request: HttpRequest, complaint: Complaint) -> str:
    """The tracking key this visitor holds for the report: a valid `?key=` (then kept in the
    session for later visits), else the one kept earlier, else ""."""
    offered = request.GET.get("key", "")[:100]
    if offered and is_reporter(complaint, None, offered):
        remember_key(request, complaint, offered)
        return offered
    kept = str(request.session.get(KEYS, {}).get(_slot(complaint), ""))
    return kept if kept and is_reporter(complaint, None, kept) else ""


def signed_in(request: HttpRequest):  # type: ignore[no-untyped-def]
    return request.user if request.user.is_authenticated else None


def is_staff_viewer(request: HttpRequest, region: Region) -> bool:
    return request.user.is_authenticated and can(request.user, "complaints.view_queue", region)


def is_own(request: HttpRequest, complaint: Complaint) -> bool:
    """The signed-in reporter or the holder of the report's key."""
    return is_reporter(complaint, signed_in(request), key_for(request, complaint))


def publicly_visible(complaint: Complaint) -> bool:
    return complaint.is_public and complaint.state in PUBLIC_STATES


def may_view(request: HttpRequest, region: Region, complaint: Complaint) -> bool:
    return (
        publicly_visible(complaint)
        or is_own(request, complaint)
        or is_staff_viewer(request, region)
    )


def visible_report(request: HttpRequest, region: Region, ticket: str) -> Complaint:
    """The region's report if this visitor may see it; everything else is the same 404."""
    try:
        complaint = report_get(region, ticket)
    except NotFound:
        raise Http404 from None
    if not may_view(request, region, complaint):
        raise Http404
    return complaint


def map_settings() -> dict[str, str]:
    """Tiles only when the instance names a tile server (its origin must be in the CSP)."""
    return {
        "tiles": getattr(settings, "LUMBUNG_MAP_TILES", ""),
        "attribution": getattr(settings, "LUMBUNG_MAP_ATTRIBUTION", ""),
    }


def due_text(complaint: Complaint, now: dt.datetime | None = None) -> tuple[str, bool]:
    """("due in 2 days", False) or ("overdue by 3 hours", True); ("", False) when the
    report is not waiting on the region."""
    if complaint.due_at is None or complaint.state not in (SUBMITTED, IN_PROGRESS):
        return "", False
    now = now or timezone.now()
    if complaint.due_at >= now:
        return _("due in %(time)s") % {"time": timeuntil(complaint.due_at, now, depth=1)}, False
    return _("overdue by %(time)s") % {"time": timesince(complaint.due_at, now, depth=1)}, True


def hours_text(hours: float | None) -> str:
    """12.5 -> "12 hours"; 50 -> "2 days 2 hours"; None -> a dash."""
    if hours is None:
        return NONE_SHOWN
    whole = round(hours)
    days, rest = divmod(whole, 24)
    hours_part = ngettext("%(n)d hour", "%(n)d hours", rest) % {"n": rest}
    if not days:
        return hours_part
    days_part = ngettext("%(n)d day", "%(n)d days", days) % {"n": days}
    return f"{days_part} {hours_part}" if rest else days_part
