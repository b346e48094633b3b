"""Reading a client's query and form fields into our terms, with the specification's
400 answers for what cannot be read."""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.http import HttpRequest
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from lumbung.core.errors import ValidationFailed

from ..services import ReportInput
from .render import Open311Error
from .selectors import RequestQuery

JURISDICTION = "jurisdiction_id"
MAX_SPAN = dt.timedelta(days=90)  # the specification's longest start_date..end_date
MAX_IDS = 1000
STATUSES = ("open", "closed")
# Our field names in a service's validation errors, as the client named them.
FIELDS = {
    "category": "service_code",
    "description": "description",
    "latitude": "lat",
    "longitude": "long",
    "location_text": "address_string",
    "kelurahan": "address_string",
    "contact_email": "email",
    "contact_phone": "phone",
    "contact_name": "first_name",
}
_PLACES = Decimal("0.000001")
# An unescaped "+07:00" in a query string arrives as " 07:00".
_LOST_PLUS = re.compile(r"(T[\d:.]+) (\d\d:?\d\d)$")


def param(request: HttpRequest, name: str) -> str:
    """A field from the form body (POST) or else the query string, trimmed."""
    value = request.POST.get(name) if request.method == "POST" else None
    return (value or request.GET.get(name) or "").strip()


def _list(request: HttpRequest, name: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v.strip() for v in param(request, name).split(",") if v.strip()))


def request_query(request: HttpRequest) -> RequestQuery:
    """GET requests' filters. Without dates the last 90 days are read; a range may not span
    more than 90 days; `service_request_id` overrides every other filter."""
    tickets = _list(request, "service_request_id")[:MAX_IDS]
    if tickets:
        return RequestQuery(tickets=tickets)
    statuses = _list(request, "status")
    wrong = [s for s in statuses if s not in STATUSES]
    errors = [_("status: use open or closed.")] if wrong else []
    start, end = _when(request, "start_date", errors), _when(request, "end_date", errors)
    if errors:
        raise Open311Error(400, *errors)
    start, end = _window(start, end)
    return RequestQuery(
        service_codes=_list(request, "service_code"), statuses=statuses, start=start, end=end
    )


def _window(
    start: dt.datetime | None, end: dt.datetime | None
) -> tuple[dt.datetime | None, dt.datetime | None]:
    if start is not None and end is not None:
        if end < start:
            raise Open311Error(400, _("end_date: it is before start_date."))
        if end - start > MAX_SPAN:
            raise Open311Error(400, _("start_date, end_date: at most 90 days apart."))
        return start, end
    if start is not None:
        return start, start + MAX_SPAN
    if end is not None:
        return end - MAX_SPAN, end
    return timezone.now() - MAX_SPAN, None


def _when(request: HttpRequest, name: str, errors: list[str]) -> dt.datetime | None:
    raw = _LOST_PLUS.sub(r"\1+\2", param(request, name))
    if not raw:
        return None
    try:
        value = parse_datetime(raw)
    except ValueError:
        value = None
    if value is None:
        errors.append(
            _("%(field)s: use ISO 8601, e.g. 2026-01-31T08:00:00+07:00.") % {"field": name}
        )
        return None
    # Without an offset the time is the region's own.
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def report_input(request: HttpRequest) -> ReportInput:
    """POST requests' fields. A location is lat and long, or address_string (address_id,
    attribute, device_id, account_id and media_url are accepted and not used)."""
    errors: list[str] = []
    code = param(request, "service_code")
    if not code:
        errors.append(_("%(field)s was not provided.") % {"field": "service_code"})
    where: list[str] = []
    lat, lng = _coordinate(request, "lat", 90, where), _coordinate(request, "long", 180, where)
    address = param(request, "address_string")
    if not where and (lat is None) != (lng is None):
        where.append(_("lat, long: give both, or neither."))
    elif not where and lat is None and not address:
        where.append(_("A location is required: lat and long, or address_string."))
    errors.extend(where)
    if errors:
        raise Open311Error(400, *errors)
    name = " ".join(p for p in (param(request, "first_name"), param(request, "last_name")) if p)
    return ReportInput(
        category=code,
        description=param(request, "description"),
        latitude=lat,
        longitude=lng,
        location_text=address,
        contact_name=name,
        contact_email=param(request, "email"),
        contact_phone=param(request, "phone"),
    )


def _coordinate(request: HttpRequest, name: str, limit: int, errors: list[str]) -> Decimal | None:
    raw = param(request, name)
    if not raw:
        return None
    try:
        value = Decimal(raw)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or abs(value) > limit:
        errors.append(_("%(field)s: not a WGS84 coordinate.") % {"field": name})
        return None
    return value.quantize(_PLACES, rounding=ROUND_HALF_UP)


def validation_error(error: ValidationFailed) -> Open311Error:
    """A service's field errors, each named as the client's field."""
    found = [
        f"{FIELDS.get(field, field)}: {message}"
        for field, messages in error.field_errors.items()
        for message in messages
    ]
    return Open311Error(400, *(found or [str(error.message)]))
