"""Core's region-scoped API, part two: calendar, deadlines, profile, the audit log and the
caller's notifications."""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, File, Path, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from lumbung.api.auth import AUTH
from lumbung.api.context import actor_of, region_of, require
from lumbung.api.pagination import Page

from .calendar import RegionCalendar
from .errors import ValidationFailed
from .models import Region, RegionHoliday, SlaOverride
from .selectors import audit_event_list, notification_list
from .services import calendar as calendar_services
from .services.regions import region_set_logo, region_update_profile
from .services.workflow import sla_override_set

router = Router(tags=["region administration"], auth=AUTH)


# Calendar and deadlines -------------------------------------------------------------------


class ClosedDayOut(Schema):
    date: dt.date
    name: str


class HolidayOut(Schema):
    id: int
    date: dt.date
    name: str
    is_working_day: bool


class HolidayIn(Schema):
    date: dt.date
    name: str = Field(min_length=1, max_length=200)
    is_working_day: bool = False


@router.get(
    "/calendar", response=list[ClosedDayOut], auth=None, summary="Days the offices are closed"
)
def calendar_closed(
    request: HttpRequest,
    region_slug: Path[str],
    year: int | None = Query(None, ge=2000, le=2100, description="Defaults to this year"),
) -> list[dict[str, Any]]:
    region = region_of(request)
    year = year or timezone.localdate().year
    closed = RegionCalendar(region).closed_days(dt.date(year, 1, 1), dt.date(year, 12, 31))
    return [{"date": d, "name": n} for d, n in sorted(closed.items())]


@router.get("/holidays", response=list[HolidayOut], summary="The region's own days")
def holidays_list(request: HttpRequest, region_slug: Path[str]) -> list[RegionHoliday]:
    region, _user = require(request, "core.view_backoffice")
    return list(RegionHoliday.objects.filter(region=region))


@router.post("/holidays", response={201: HolidayOut}, summary="Add a local holiday")
def holidays_set(
    request: HttpRequest, region_slug: Path[str], payload: HolidayIn
) -> Status[RegionHoliday]:
    region, actor = require(request, "core.manage_calendar")
    holiday = calendar_services.region_holiday_set(region=region, actor=actor, **payload.dict())
    return Status(201, holiday)


@router.delete("/holidays/{int:holiday_id}", response={204: None}, summary="Remove a local holiday")
def holidays_remove(request: HttpRequest, region_slug: Path[str], holiday_id: int) -> Status[None]:
    region, actor = require(request, "core.manage_calendar")
    holiday = get_object_or_404(RegionHoliday.objects.filter(region=region), pk=holiday_id)
    calendar_services.region_holiday_remove(region=region, actor=actor, holiday=holiday)
    return Status(204, None)


class SlaOut(Schema):
    id: int
    workflow: str
    state: str
    working_days: int


class SlaIn(Schema):
    workflow: str = Field(min_length=1, max_length=60)
    state: str = Field(min_length=1, max_length=40)
    working_days: int | None = Field(None, ge=1, le=365)


@router.get("/sla", response=list[SlaOut], summary="The region's deadline overrides")
def sla_list(request: HttpRequest, region_slug: Path[str]) -> list[SlaOverride]:
    region, _user = require(request, "core.view_backoffice")
    return list(SlaOverride.objects.filter(region=region).order_by("workflow", "state"))


@router.put("/sla", response={200: SlaOut, 204: None}, summary="Set or clear a deadline")
def sla_set(request: HttpRequest, region_slug: Path[str], payload: SlaIn) -> Status[Any]:
    region, actor = require(request, "core.manage_sla")
    row = sla_override_set(region=region, actor=actor, **payload.dict())
    return Status(204, None) if row is None else Status(200, row)


# Profile ----------------------------------------------------------------------------------


class ProfileOut(Schema):
    display_name: str
    tagline: str
    primary_color: str
    contact_email: str
    contact_phone: str
    address: str
    website: str
    observes_cuti_bersama: bool
    staff_mfa_required: bool
    logo_url: str | None

    @staticmethod
    def resolve_logo_url(obj: Region) -> str | None:
        return obj.logo.url if obj.logo else None


class ProfilePatch(Schema):
    display_name: str | None = Field(None, max_length=160)
    tagline: str | None = Field(None, max_length=200)
    primary_color: str | None = Field(None, pattern=r"^#[0-9a-fA-F]{6}$")
    contact_email: str | None = Field(None, max_length=254)
    contact_phone: str | None = Field(None, max_length=30)
    address: str | None = Field(None, max_length=300)
    website: str | None = Field(None, max_length=200)
    observes_cuti_bersama: bool | None = None
    staff_mfa_required: bool | None = None


@router.get("/profile", response=ProfileOut, summary="The region's profile")
def profile_get(request: HttpRequest, region_slug: Path[str]) -> Region:
    region, _user = require(request, "core.view_backoffice")
    return region


@router.patch("/profile", response=ProfileOut, summary="Change the region's profile")
def profile_update(request: HttpRequest, region_slug: Path[str], payload: ProfilePatch) -> Region:
    region, actor = require(request, "core.manage_region")
    data = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    try:
        return region_update_profile(region=region, actor=actor, data=data)
    except DjangoValidationError as error:
        raise ValidationFailed(error.message_dict) from None


@router.post("/profile/logo", response=ProfileOut, summary="Upload the region's logo")
def profile_logo(request: HttpRequest, region_slug: Path[str], logo: File[UploadedFile]) -> Region:
    region, actor = require(request, "core.manage_region")
    return region_set_logo(region=region, actor=actor, upload=logo)


# Audit and notifications ------------------------------------------------------------------


class AuditEventOut(Schema):
    id: int
    seq: int
    created_at: dt.datetime
    actor: str = Field(alias="actor_label")
    action: str
    object_type: str
    object_id: str
    object_repr: str
    changes: dict[str, Any]
    reason: str
    request_id: str
    hash: str


class AuditFilter(Schema):
    action: str = Field("", max_length=80)
    actor: str = Field("", max_length=200)
    object_type: str = Field("", max_length=80)
    since: dt.date | None = None
    until: dt.date | None = None


@router.get("/audit-events", response=list[AuditEventOut], summary="The audit log")
@paginate(Page, page_size=50, max_page_size=100)
def audit_events(  # type: ignore[no-untyped-def]
    request: HttpRequest, region_slug: Path[str], filters: Query[AuditFilter]
):
    region, _user = require(request, "core.view_audit")
    return audit_event_list(region, **filters.dict())


class NotificationOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    url: str
    created_at: dt.datetime
    read_at: dt.datetime | None


@router.get("/notifications", response=list[NotificationOut], summary="My notifications")
@paginate(Page, page_size=30, max_page_size=100)
def notifications(request: HttpRequest, region_slug: Path[str]):  # type: ignore[no-untyped-def]
    return notification_list(region_of(request), actor_of(request))
