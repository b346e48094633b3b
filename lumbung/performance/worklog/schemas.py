"""The shapes of the activity log's API. Every class is named Perf… because a schema's class
name is its OpenAPI component name, shared by every module. Minutes are whole numbers;
dates are the region's local dates and times its local wall-clock times."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema

from ..models import Activity, Entry
from .batch import MAX_ITEMS

MAX_ID = 2**31 - 1


class PerfActivityIn(Schema):
    name_id: str = Field(..., max_length=200, description="Name in Bahasa Indonesia")
    name_en: str = Field(..., max_length=200, description="Name in English")
    output_unit_id: str = Field(..., max_length=60, description="Output unit (surat, dokumen)")
    output_unit_en: str = Field(..., max_length=60)
    standard_minutes: int = Field(..., ge=1, le=1440, description="Minutes per unit of output")
    positions: list[str] = Field(
        default_factory=list, max_length=50, description="Positions that may use it; empty: all"
    )


class PerfActivityAcceptIn(Schema):
    changes: PerfActivityIn | None = Field(
        None, description="The proposal as corrected by the curator (optional)"
    )


class PerfReasonIn(Schema):
    reason: str = Field(..., min_length=1, max_length=2000)


class PerfActivityOut(Schema):
    id: int
    name: str
    name_id: str
    name_en: str
    output_unit: str
    output_unit_id: str
    output_unit_en: str
    standard_minutes: int
    positions: list[str]
    state: str = Field(..., description="proposed, approved (in use), rejected or retired")
    proposed_by: str | None = Field(None, description="The proposer's name, for curators")


class PerfActivityListQuery(Schema):
    q: str = Field("", max_length=100, description="Words of the name, either language")
    state: str = Field(
        "approved",
        pattern="^(approved|proposed)$",
        description="approved (the catalogue) or proposed (the curation queue, curators only)",
    )


class PerfEntryIn(Schema):
    client_key: str = Field(
        ...,
        min_length=1,
        max_length=64,
        pattern=r"^[A-Za-z0-9_-]+$",
        description="The device's idempotency key (a UUID): the same key sent again returns "
        "the entry already made",
    )
    work_date: dt.date
    start_time: dt.time
    end_time: dt.time
    activity_id: int = Field(..., ge=1, le=MAX_ID)
    quantity: int = Field(..., ge=1, le=1000)
    note: str = Field("", max_length=2000)
    overtime: bool = Field(False, description="Assigned overtime (may fall on a closed day)")


class PerfEntryBatchIn(Schema):
    items: list[PerfEntryIn] = Field(
        ...,
        min_length=1,
        max_length=MAX_ITEMS,
        description="The entries, each with its own client_key; all are logged or none",
    )


class PerfEntryOut(Schema):
    id: int
    client_key: str
    work_date: dt.date
    start_time: str = Field(..., description="HH:MM, local time")
    end_time: str = Field(..., description="HH:MM, local time")
    activity_id: int
    activity: str
    output_unit: str
    quantity: int
    standard_minutes: int
    claimed_minutes: int
    approved_quantity: int | None
    approved_minutes: int
    note: str
    overtime: bool
    has_evidence: bool
    state: str = Field(..., description="submitted, approved, rejected or withdrawn")
    review_note: str
    due_at: dt.datetime | None


class PerfBatchEntryOut(PerfEntryOut):
    created: bool = Field(..., description="False: logged before under the same client_key")


class PerfEntryBatchOut(Schema):
    created: int = Field(..., description="Entries logged now")
    replayed: int = Field(..., description="Entries logged before under the same keys")
    items: list[PerfBatchEntryOut] = Field(..., description="In the order they were sent")


class PerfEntryListQuery(Schema):
    month: str | None = Field(None, pattern=r"^\d{4}-(0[1-9]|1[0-2])$", description="YYYY-MM")
    day: dt.date | None = Field(None, description="One day (instead of a month)")
    state: str = Field("", pattern="^(|submitted|approved|rejected|withdrawn)$")


def activity_out(activity: Activity, *, curator: bool = False) -> dict[str, Any]:
    proposer = activity.proposed_by if curator and activity.proposed_by_id else None
    return {
        "id": activity.pk,
        "name": activity.name,
        "name_id": activity.name_id,
        "name_en": activity.name_en,
        "output_unit": activity.output_unit,
        "output_unit_id": activity.output_unit_id,
        "output_unit_en": activity.output_unit_en,
        "standard_minutes": activity.standard_minutes,
        "positions": list(activity.positions),
        "state": activity.state,
        "proposed_by": proposer.name if proposer else None,
    }


def entry_out(entry: Entry) -> dict[str, Any]:
    return {
        "id": entry.pk,
        "client_key": entry.client_key,
        "work_date": entry.work_date,
        "start_time": f"{entry.start_time:%H:%M}",
        "end_time": f"{entry.end_time:%H:%M}",
        "activity_id": entry.activity_id,
        "activity": entry.activity.name,
        "output_unit": entry.activity.output_unit,
        "quantity": entry.quantity,
        "standard_minutes": entry.standard_minutes,
        "claimed_minutes": entry.claimed_minutes,
        "approved_quantity": entry.approved_quantity,
        "approved_minutes": entry.approved_minutes,
        "note": entry.note,
        "overtime": entry.overtime,
        "has_evidence": bool(entry.evidence),
        "state": entry.state,
        "review_note": entry.review_note,
        "due_at": entry.due_at,
    }
