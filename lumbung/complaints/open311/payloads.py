"""Our categories and reports as GeoReport v2 items, field names as the specification
spells them. Personal data (the reporter, the contact fields) is never part of them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import get_language

from lumbung.core.models import Region

from ..models import Category, Complaint
from ..workflow import open311_status
from .selectors import Notices


def stamp(value: dt.datetime | None) -> str | None:
    """ISO 8601 with the offset of the region's time zone (the specification's form)."""
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def service(category: Category) -> dict[str, Any]:
    english = (get_language() or "id").startswith("en")
    other_name = category.name_id if english else category.name_en
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.description,
        "metadata": False,
        "type": "realtime",
        "keywords": ", ".join(k for k in (category.code, other_name) if k),
        "group": category.group,
    }


def service_request(complaint: Complaint, notices: Notices) -> dict[str, Any]:
    """A report read through `selectors._public` (which annotates its note and photo)."""
    category = complaint.category
    address = ", ".join(p for p in (complaint.location_text, complaint.kelurahan_name) if p)
    return {
        "service_request_id": complaint.ticket,
        "status": open311_status(complaint.state),
        "status_notes": getattr(complaint, "open311_note", None) or None,
        "service_name": category.name,
        "service_code": category.code,
        "description": complaint.description,
        "agency_responsible": complaint.unit.name if complaint.unit else None,
        "service_notice": notices.of(category),
        "requested_datetime": stamp(complaint.created_at),
        "updated_datetime": stamp(complaint.updated_at),
        "expected_datetime": stamp(complaint.due_at),
        "address": address or None,
        "address_id": None,
        "zipcode": None,
        "lat": _coordinate(complaint.latitude),
        "long": _coordinate(complaint.longitude),
        "media_url": photo_url(notices.region, getattr(complaint, "open311_photo", None)),
    }


def _coordinate(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def photo_url(region: Region, photo_pk: int | None) -> str | None:
    if photo_pk is None:
        return None
    try:
        path = reverse("core:complaints:photo", kwargs={"region_slug": region.slug, "pk": photo_pk})
    except NoReverseMatch:  # the public photo page is not mounted
        return None
    return f"{settings.LUMBUNG_BASE_URL}{path}"
