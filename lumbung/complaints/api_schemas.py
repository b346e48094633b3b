"""The shapes the complaints API reads and sends (the region admin's are in api_admin.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.utils import timezone
from ninja import Field, Schema

from lumbung.core.models import Unit

from .models import Complaint

Viewer = Literal["public", "reporter", "staff"]
StaffAction = Literal["verify", "reject", "mark_duplicate", "resolve"]
# Far enough back and ahead for any report; a day outside would overflow a timestamp.
FIRST_DAY, LAST_DAY = dt.date(2000, 1, 1), dt.date(2100, 12, 31)
MAX_ID = 2**31 - 1


def unit_ref(unit: Unit | None) -> dict[str, Any] | None:
    return {"id": unit.pk, "name": str(unit)} if unit else None


# Input ------------------------------------------------------------------------------------

Latitude = Field(None, ge=-90, le=90, allow_inf_nan=False)
Longitude = Field(None, ge=-180, le=180, allow_inf_nan=False)


class ReportIn(Schema):
    category: str = Field(min_length=1, max_length=40, description="A category code")
    description: str = Field(min_length=1, max_length=4000)
    latitude: float | None = Latitude
    longitude: float | None = Longitude
    location_text: str = Field("", max_length=300, description="Where it is, in words")
    kelurahan: str = Field("", max_length=13, description="A Kemendagri kelurahan/desa code")
    is_public: bool | None = Field(None, description="Defaults to the category's setting")
    contact_name: str = Field("", max_length=120)
    contact_email: str = Field("", max_length=254)
    contact_phone: str = Field("", max_length=30)


class TransitionIn(Schema):
    action: StaffAction
    note: str = Field("", max_length=4000)
    expected_version: int | None = Field(None, ge=0, le=MAX_ID)
    original: str = Field("", max_length=40, description="mark_duplicate: the original's ticket")


class AnswerIn(Schema):
    body: str = Field(min_length=1, max_length=4000)
    public: bool = Field(True, description="False: an internal note, seen by staff only")
    photo_kind: Literal["before", "after"] = "after"


class RouteIn(Schema):
    unit_id: int = Field(ge=1, le=MAX_ID)
    note: str = Field("", max_length=4000)


class AssignIn(Schema):
    assignee_id: int | None = Field(ge=1, le=MAX_ID, description="null takes it back")


class ConfirmIn(Schema):
    rating: int | None = Field(None, ge=1, le=5)
    comment: str = Field("", max_length=500)
    key: str = Field("", max_length=100, description="The tracking key, when not signed in")


class DisputeIn(Schema):
    reason: str = Field(min_length=1, max_length=4000)
    rating: int | None = Field(None, ge=1, le=5)
    key: str = Field("", max_length=100, description="The tracking key, when not signed in")


# Output -----------------------------------------------------------------------------------


class CategoryRef(Schema):
    code: str
    name: str


class Ref(Schema):
    id: int
    name: str


class ReportSummaryOut(Schema):
    id: int
    ticket: str
    category: CategoryRef
    description: str
    state: str
    state_label: str
    is_public: bool
    location_text: str
    kelurahan_code: str
    kelurahan_name: str
    latitude: float | None
    longitude: float | None
    unit: Ref | None = Field(description="The unit responsible (never the officer)")
    supporters_count: int
    created_at: dt.datetime
    updated_at: dt.datetime
    due_at: dt.datetime | None


class ReportPageOut(Schema):
    items: list[ReportSummaryOut]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page")


class TimelineOut(Schema):
    id: int
    kind: str
    is_public: bool
    action: str
    from_state: str
    to_state: str
    body: str
    unit: str | None
    actor: str | None = Field(description="Staff only: who wrote it")
    created_at: dt.datetime


class PhotoOut(Schema):
    id: int
    kind: str
    update_id: int | None
    created_at: dt.datetime
    url: str = Field(description="Where the image is served (who may see it is checked there)")


class StaffPartOut(Schema):
    version: int = Field(description="Send as expected_version with a transition")
    actions: list[str]
    assignee: Ref | None
    source: str
    escalation_level: int
    reopen_count: int
    has_contact: bool = Field(description="Read it with GET …/contact (audited)")
    signed_in_reporter: bool


class ReportOut(ReportSummaryOut):
    viewer: Viewer = Field(description="public, reporter (signed in or key) or staff")
    first_response_at: dt.datetime | None
    resolved_at: dt.datetime | None
    closed_at: dt.datetime | None
    rating: int | None
    duplicate_of: str | None
    photos: list[PhotoOut]
    timeline: list[TimelineOut]
    staff: StaffPartOut | None


class FiledOut(Schema):
    id: int
    ticket: str
    tracking_key: str = Field(description="Secret; shown this once. Keep it to yourself.")
    tracking_url: str
    state: str
    is_public: bool
    due_at: dt.datetime | None


class ContactOut(Schema):
    contact_name: str
    contact_email: str
    contact_phone: str


class QueueItemOut(Schema):
    id: int
    ticket: str
    category: CategoryRef
    description: str
    state: str
    is_public: bool
    unit: Ref | None
    assignee: Ref | None
    supporters_count: int
    escalation_level: int
    created_at: dt.datetime
    due_at: dt.datetime | None
    overdue: bool
    due_in_seconds: int | None = Field(description="Negative once overdue")

    @staticmethod
    def resolve_category(obj: Complaint) -> dict[str, str]:
        return {"code": obj.category.code, "name": obj.category.name}

    @staticmethod
    def resolve_unit(obj: Complaint) -> dict[str, Any] | None:
        return unit_ref(obj.unit)

    @staticmethod
    def resolve_assignee(obj: Complaint) -> dict[str, Any] | None:
        return {"id": obj.assignee.pk, "name": obj.assignee.display_name} if obj.assignee else None

    @staticmethod
    def resolve_overdue(obj: Complaint) -> bool:
        return obj.due_at is not None and obj.due_at < timezone.now()

    @staticmethod
    def resolve_due_in_seconds(obj: Complaint) -> int | None:
        return int((obj.due_at - timezone.now()).total_seconds()) if obj.due_at else None


class StatsRowOut(Schema):
    key: str
    label: str
    received: int
    open: int
    resolved: int
    rejected: int
    resolved_on_time: int
    on_time_share: float | None
    median_first_response_hours: float | None
    median_resolution_hours: float | None
    satisfaction: float | None
    ratings: int


class MonthOut(Schema):
    month: str
    received: int
    resolved: int


class StatsOut(StatsRowOut):
    by_unit: list[StatsRowOut]
    by_month: list[MonthOut]
    as_of: dt.datetime = Field(
        description="When these were counted (all-time figures are kept fresh by the worker)"
    )


# Query parameters ------------------------------------------------------------------------


class PublicQuery(Schema):
    category: str = Field("", max_length=40, description="A category code")
    status: str = Field("", max_length=40, description="A state key")
    kelurahan: str = Field("", max_length=13, description="A kelurahan/desa code")
    since: dt.date | None = Field(None, ge=FIRST_DAY, le=LAST_DAY)
    until: dt.date | None = Field(None, ge=FIRST_DAY, le=LAST_DAY)
    cursor: str = Field("", max_length=40, description="next_cursor of the previous page")
    size: int = Field(20, ge=1, le=100)


class SupportOut(Schema):
    supporters_count: int


class NearbyQuery(Schema):
    category: str = Field(min_length=1, max_length=40, description="A category code")
    lat: float = Field(ge=-90, le=90, allow_inf_nan=False)
    lng: float = Field(ge=-180, le=180, allow_inf_nan=False)


class Period(Schema):
    since: dt.date | None = Field(None, ge=FIRST_DAY, le=LAST_DAY)
    until: dt.date | None = Field(None, ge=FIRST_DAY, le=LAST_DAY)


class QueueQuery(Schema):
    unit: int | None = Field(None, ge=1, le=MAX_ID, description="A unit id")
    state: str = Field("", max_length=40, description="A state; every open one by default")
    overdue: bool = False
    mine: bool = False
    unrouted: bool = False
    category: str = Field("", max_length=40)
    q: str = Field("", max_length=100, description="A ticket number or a word")
