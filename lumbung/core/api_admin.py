"""Core's region-scoped API: units, people and roles, modules, calendar, deadlines, the
audit log and the caller's notifications — the same operations as the back office."""

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
from lumbung.api.pagination import Page

from .calendar import RegionCalendar
from .errors import PermissionDenied, ValidationFailed
from .models import Membership, Region, RegionHoliday, SlaOverride, Unit, User
from .models.people import Role
from .models.units import UnitKind
from .permissions import can
from .selectors import (
    audit_event_list,
    member_list,
    notification_list,
    region_modules_enabled,
    unit_tree,
)
from .services import calendar as calendar_services
from .services import people as people_services
from .services.regions import region_modules_set, region_set_logo, region_update_profile
from .services.units import unit_create, unit_update, units_import_csv
from .services.workflow import sla_override_set

router = Router(tags=["region administration"], auth=AUTH)


def _region(request: HttpRequest) -> Region:
    return request.region  # type: ignore[attr-defined]


def _actor(request: HttpRequest) -> User:
    return request.auth  # type: ignore[attr-defined]


def _require(request: HttpRequest, perm: str) -> tuple[Region, User]:
    region, user = _region(request), _actor(request)
    if not can(user, perm, region):
        raise PermissionDenied()
    return region, user


# Units ---------------------------------------------------------------------------------


class UnitOut(Schema):
    id: int
    code: str
    name: str
    short_name: str
    kind: str
    parent_code: str | None
    depth: int
    email: str


class UnitIn(Schema):
    code: str = Field(min_length=1, max_length=40)
    name: str = Field(min_length=1, max_length=200)
    kind: UnitKind
    short_name: str = Field("", max_length=60)
    parent_code: str | None = Field(None, max_length=40)
    email: str = Field("", max_length=254)


class UnitPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    kind: UnitKind | None = None
    short_name: str | None = Field(None, max_length=60)
    parent_code: str | None = Field(None, max_length=40)
    email: str | None = Field(None, max_length=254)


def _unit_out(unit: Unit, depth: int = 0) -> dict[str, Any]:
    return {
        "id": unit.pk,
        "code": unit.code,
        "name": unit.name,
        "short_name": unit.short_name,
        "kind": unit.kind,
        "parent_code": unit.parent.code if unit.parent_id and unit.parent else None,
        "depth": depth,
        "email": unit.email,
    }


def _parent(region: Region, code: str | None) -> Unit | None:
    if not code:
        return None
    parent = Unit.objects.filter(region=region, code=code).first()
    if parent is None:
        raise ValidationFailed({"parent_code": [f"No unit has code {code!r}."]})
    return parent


@router.get("/units", response=list[UnitOut], summary="Units (OPD), as a tree")
def units_list(request: HttpRequest, region_slug: Path[str]) -> list[dict[str, Any]]:
    region, _user = _require(request, "core.view_backoffice")
    tree = unit_tree(region)
    by_id = {u.pk: u for u, _depth in tree}
    for unit, _depth in tree:  # parents from the same query, not one query per unit
        unit.parent = by_id.get(unit.parent_id) if unit.parent_id else None
    return [_unit_out(u, d) for u, d in tree]


@router.post("/units", response={201: UnitOut}, summary="Add a unit")
def units_create(
    request: HttpRequest, region_slug: Path[str], payload: UnitIn
) -> Status[dict[str, Any]]:
    region, user = _require(request, "core.manage_units")
    data = payload.dict()
    data["parent"] = _parent(region, data.pop("parent_code"))
    return Status(201, _unit_out(unit_create(region=region, actor=user, data=data)))


@router.patch("/units/{int:unit_id}", response=UnitOut, summary="Change a unit")
def units_update(
    request: HttpRequest, region_slug: Path[str], unit_id: int, payload: UnitPatch
) -> dict[str, Any]:
    region, user = _require(request, "core.manage_units")
    unit = get_object_or_404(Unit.objects.filter(region=region), pk=unit_id)
    data = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    if "parent_code" in data:
        data["parent"] = _parent(region, data.pop("parent_code"))
    return _unit_out(unit_update(region=region, actor=user, unit=unit, data=data))


class ImportIn(Schema):
    csv: str = Field(min_length=1, max_length=2_000_000, description="UTF-8 CSV text")


class ImportRowError(Schema):
    line: int
    column: str
    message: str


class ImportOut(Schema):
    created: int
    updated: int
    errors: list[ImportRowError]


@router.post("/units/import", response={200: ImportOut}, summary="Import CSV")
def units_import(request: HttpRequest, region_slug: Path[str], payload: ImportIn) -> Status[Any]:
    """All or nothing: with any wrong row, nothing is written and every wrong row is listed."""
    region, user = _require(request, "core.manage_units")
    report = units_import_csv(region=region, actor=user, content=payload.csv)
    if not report.ok:
        # A problem document like every other 422: `errors` keyed "<line>.<column>".
        errors: dict[str, list[str]] = {}
        for line, column, message in report.errors:
            errors.setdefault(f"{line}.{column}" if column else str(line), []).append(message)
        raise ValidationFailed(errors)
    return Status(200, {"created": report.created, "updated": report.updated, "errors": []})


# People and roles -------------------------------------------------------------------------


class MemberOut(Schema):
    id: int
    email: str
    full_name: str
    role: str
    unit_code: str | None
    title: str
    is_active: bool

    @staticmethod
    def resolve_email(obj: Membership) -> str:
        return obj.user.email

    @staticmethod
    def resolve_full_name(obj: Membership) -> str:
        return obj.user.full_name

    @staticmethod
    def resolve_unit_code(obj: Membership) -> str | None:
        return obj.unit.code if obj.unit else None


class MemberIn(Schema):
    email: str = Field(min_length=3, max_length=254)
    full_name: str = Field("", max_length=150)
    role: Role
    unit_code: str | None = Field(None, max_length=40)
    title: str = Field("", max_length=150)


@router.get("/members", response=list[MemberOut], summary="People and their roles")
@paginate(Page, page_size=50, max_page_size=100)
def members_list(request: HttpRequest, region_slug: Path[str]):  # type: ignore[no-untyped-def]
    region, _user = _require(request, "core.view_backoffice")
    return member_list(region)


@router.post("/members", response={201: MemberOut}, summary="Grant a role")
def members_grant(
    request: HttpRequest, region_slug: Path[str], payload: MemberIn
) -> Status[Membership]:
    region, actor = _require(request, "core.manage_members")
    unit = _parent(region, payload.unit_code) if payload.unit_code else None
    if "@" not in payload.email:
        raise ValidationFailed({"email": ["Enter a valid email address."]})
    user = people_services.user_ensure(
        email=payload.email, full_name=payload.full_name, actor=actor
    )
    membership = people_services.membership_grant(
        region=region, actor=actor, user=user, role=payload.role, unit=unit, title=payload.title
    )
    return Status(201, membership)


@router.delete("/members/{int:member_id}", response={204: None}, summary="Revoke a role")
def members_revoke(
    request: HttpRequest, region_slug: Path[str], member_id: int, reason: str = ""
) -> Status[None]:
    region, actor = _require(request, "core.manage_members")
    membership = get_object_or_404(Membership.objects.filter(region=region), pk=member_id)
    people_services.membership_revoke(
        region=region, actor=actor, membership=membership, reason=reason
    )
    return Status(204, None)


# Modules ----------------------------------------------------------------------------------


class ModulesOut(Schema):
    enabled: list[str]


class ModulesIn(Schema):
    enable: list[str] = Field(default_factory=list, max_length=20)
    disable: list[str] = Field(default_factory=list, max_length=20)


@router.get("/modules", response=ModulesOut, summary="Modules switched on")
def modules_get(request: HttpRequest, region_slug: Path[str]) -> dict[str, Any]:
    region, _user = _require(request, "core.view_backoffice")
    return {"enabled": region_modules_enabled(region)}


@router.post("/modules", response=ModulesOut, summary="Switch modules on and off")
def modules_set(request: HttpRequest, region_slug: Path[str], payload: ModulesIn) -> dict[str, Any]:
    region, actor = _require(request, "core.manage_modules")
    on = region_modules_set(
        region=region, actor=actor, enable=payload.enable, disable=payload.disable
    )
    return {"enabled": on}


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
    region = _region(request)
    year = year or timezone.localdate().year
    closed = RegionCalendar(region).closed_days(dt.date(year, 1, 1), dt.date(year, 12, 31))
    return [{"date": d, "name": n} for d, n in sorted(closed.items())]


@router.get("/holidays", response=list[HolidayOut], summary="The region's own days")
def holidays_list(request: HttpRequest, region_slug: Path[str]) -> list[RegionHoliday]:
    region, _user = _require(request, "core.view_backoffice")
    return list(RegionHoliday.objects.filter(region=region))


@router.post("/holidays", response={201: HolidayOut}, summary="Add a local holiday")
def holidays_set(
    request: HttpRequest, region_slug: Path[str], payload: HolidayIn
) -> Status[RegionHoliday]:
    region, actor = _require(request, "core.manage_calendar")
    holiday = calendar_services.region_holiday_set(region=region, actor=actor, **payload.dict())
    return Status(201, holiday)


@router.delete("/holidays/{int:holiday_id}", response={204: None}, summary="Remove a local holiday")
def holidays_remove(request: HttpRequest, region_slug: Path[str], holiday_id: int) -> Status[None]:
    region, actor = _require(request, "core.manage_calendar")
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
    region, _user = _require(request, "core.view_backoffice")
    return list(SlaOverride.objects.filter(region=region).order_by("workflow", "state"))


@router.put("/sla", response={200: SlaOut, 204: None}, summary="Set or clear a deadline")
def sla_set(request: HttpRequest, region_slug: Path[str], payload: SlaIn) -> Status[Any]:
    region, actor = _require(request, "core.manage_sla")
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
    return _region(request)


@router.patch("/profile", response=ProfileOut, summary="Change the region's profile")
def profile_update(request: HttpRequest, region_slug: Path[str], payload: ProfilePatch) -> Region:
    region, actor = _require(request, "core.manage_region")
    data = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    try:
        return region_update_profile(region=region, actor=actor, data=data)
    except DjangoValidationError as error:
        raise ValidationFailed(error.message_dict) from None


@router.post("/profile/logo", response=ProfileOut, summary="Upload the region's logo")
def profile_logo(request: HttpRequest, region_slug: Path[str], logo: File[UploadedFile]) -> Region:
    region, actor = _require(request, "core.manage_region")
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
    region, _user = _require(request, "core.view_audit")
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
    return notification_list(_region(request), _actor(request))
