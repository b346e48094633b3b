"""The shapes of the review API. Every class is named Perf… (a schema's class name is its
OpenAPI component name, shared by every module)."""

import datetime as dt
from typing import Annotated

from ninja import Field, Schema

MAX_ID = 2**31 - 1
Id = Field(ge=1, le=MAX_ID)
Reason = Field(min_length=1, max_length=1000, description="Why; the author reads it")


class PerfQueueQuery(Schema):
    person: int | None = Field(None, ge=1, le=MAX_ID, description="The author's employee id")
    day: dt.date | None = Field(None, description="The entries' work date")


class PerfPersonRef(Schema):
    id: int
    name: str
    position: str


class PerfActivityRef(Schema):
    id: int
    name: str
    output_unit: str


class PerfQueueEntryOut(Schema):
    id: int
    employee: PerfPersonRef
    work_date: dt.date
    start_time: str = Field(description="HH:MM, the region's local time")
    end_time: str = Field(description="HH:MM, the region's local time")
    activity: PerfActivityRef
    quantity: int
    standard_minutes: int
    claimed_minutes: int
    note: str
    overtime: bool
    due_at: dt.datetime | None
    overdue: bool
    escalation_level: int
    version: int


class PerfRejectIn(Schema):
    reason: str = Reason


class PerfAdjustIn(Schema):
    quantity: int = Field(ge=1, le=100_000, description="Smaller than the claimed quantity")
    reason: str = Reason


class PerfSelectedIn(Schema):
    entries: list[Annotated[int, Field(ge=1, le=MAX_ID)]] = Field(
        min_length=1, max_length=500, description="Entry ids"
    )


class PerfDayIn(Schema):
    employee_id: int = Id
    work_date: dt.date


class PerfReviewedOut(Schema):
    id: int
    state: str
    approved_quantity: int | None
    approved_minutes: int
    reviewed_at: dt.datetime | None
    review_note: str
    version: int


class PerfReviewBatchOut(Schema):
    approved: list[int] = Field(description="Entries this call approved")
    already_reviewed: list[int] = Field(
        description="Entries reviewed before this call reached them, left as they were"
    )
