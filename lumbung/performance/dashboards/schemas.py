"""The shapes the dashboards' API sends. Every class is named Perf… (a schema's class name
is its OpenAPI component name, shared by every module). Minutes are whole numbers; shares
are exact decimals in [0, 1] sent as strings."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Field, Schema

MONTH_PATTERN = r"^\d{4}-\d{2}$"


class PerfDashboardMonthQuery(Schema):
    month: str | None = Field(
        None,
        pattern=MONTH_PATTERN,
        description="YYYY-MM; default the region's current month. A future month is a 422.",
    )


class PerfYardstickOut(Schema):
    month: str = Field(description="YYYY-MM")
    target_minutes: int = Field(description="The formula's target in force on the 1st")
    working_days: int
    elapsed_working_days: int = Field(description="Working days over (all, for a past month)")
    expected_minutes: int = Field(description="The target prorated to the elapsed days")
    overload_minutes: int = Field(description="A unit averaging above this is overloaded")
    idle_minutes: int = Field(description="A person below this (approved + pending) is idle")


class PerfUnitFiguresOut(Schema):
    id: int = Field(description="The unit's id")
    name: str
    people: int
    approved_minutes: int
    average_minutes: int = Field(description="Approved minutes per person")
    pending_minutes: int = Field(description="Minutes still awaiting review")
    reached_target: int = Field(description="People whose approved minutes reached the target")
    reached_share: Decimal
    idle: int
    overloaded: bool


class PerfPendingOut(Schema):
    reviewer_id: int | None = Field(description="The supervisor (employee id); null: none")
    reviewer: str
    unit: str
    entries: int
    minutes: int
    overdue: int = Field(description="Entries past their review deadline")
    oldest_due: dt.datetime | None


class PerfTrendOut(Schema):
    unit_id: int
    unit: str
    averages: list[int | None] = Field(
        description="Approved minutes per person, one per month of `months`; null: nobody"
    )


class PerfDashboardOut(Schema):
    yardstick: PerfYardstickOut
    items: list[PerfUnitFiguresOut] = Field(description="One per unit the caller may see")
    pending: list[PerfPendingOut]
    months: list[str]
    trend: list[PerfTrendOut]


class PerfPersonFiguresOut(Schema):
    id: int = Field(description="The employee's id")
    nip: str
    name: str
    position: str
    entries: int
    approved_minutes: int
    pending_minutes: int
    rejected_minutes: int
    reached_target: bool
    idle: bool


class PerfUnitDetailOut(Schema):
    id: int
    name: str
    yardstick: PerfYardstickOut
    figures: PerfUnitFiguresOut | None
    people_shown: bool = Field(
        description="False for a caller who sees unit figures only (the head of region)"
    )
    people: list[PerfPersonFiguresOut]


class PerfDayOut(Schema):
    date: dt.date
    entries: int
    approved_minutes: int
    pending_minutes: int
    rejected_minutes: int


class PerfMonthEntryOut(Schema):
    id: int
    date: dt.date
    start: str = Field(description="HH:MM, the region's local time")
    end: str = Field(description="HH:MM, the region's local time")
    activity_id: int
    activity: str
    quantity: int
    claimed_minutes: int
    approved_minutes: int
    state: str
    note: str


class PerfPersonMonthOut(Schema):
    id: int = Field(description="The employee's id")
    name: str
    unit: str
    month: str
    target_minutes: int
    approved_minutes: int
    pending_minutes: int
    rejected_minutes: int
    days: list[PerfDayOut]
    entries: list[PerfMonthEntryOut]


class PerfEntryRefOut(Schema):
    id: int
    employee_id: int
    date: dt.date


class PerfFindingOut(Schema):
    kind: str = Field(
        description="copied_entries, shared_note, at_cap, large_quantity, fast_reviewer, "
        "bulk_before_cutoff"
    )
    label: str
    explanation: str
    people: list[int] = Field(description="Employee ids it concerns")
    count: int = Field(description="Entries (or reviews) involved")
    entries: list[PerfEntryRefOut] = Field(description="A sample of the entries behind it")


class PerfAnomaliesOut(Schema):
    month: str
    count: int
    items: list[PerfFindingOut]
