"""The shapes of the allowance API (named Perf…: a schema's class name is its OpenAPI
component name, shared by every module). Percents and amounts are exact: a decimal string
or a whole number, never a JSON float."""

import datetime as dt
import re
from decimal import Decimal
from typing import Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import AfterValidator, BeforeValidator, PlainSerializer, WithJsonSchema

MAX_ID = 2**31 - 1
CLOCK = r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$"


def _clock(value: Any) -> Any:
    """A time of day on the region's own clock: HH:MM or HH:MM:SS. An offset ("08:00Z") or a
    fraction would be a time no attendance day can hold; refused here, not after reading."""
    if not isinstance(value, str) or not re.fullmatch(CLOCK, value):
        raise ValueError("Give a local time as HH:MM or HH:MM:SS.")
    return value


# JSON Schema's "time" format is RFC 3339's, which requires an offset: these are wall-clock
# times of the region, sent and read as HH:MM[:SS] without one.
ClockIn = Annotated[
    dt.time,
    BeforeValidator(_clock),
    WithJsonSchema(
        {"type": "string", "pattern": CLOCK, "description": "HH:MM or HH:MM:SS, local time"}
    ),
]
ClockOut = Annotated[
    dt.time,
    PlainSerializer(lambda moment: f"{moment:%H:%M:%S}", return_type=str),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]$",
            "description": "HH:MM:SS, local time",
        }
    ),
]


def _exact(value: Any) -> Any:
    """A binary float is not an exact percent: refuse it before it becomes a Decimal."""
    if isinstance(value, float | bool):
        raise ValueError("Give the percent as a decimal string or a whole number, not a float.")
    return value


def _percent(value: Decimal) -> Decimal:
    if not value.is_finite() or not 0 <= value <= 100:
        raise ValueError("Give a percent from 0 to 100.")
    return value


Percent = Annotated[
    Decimal,
    BeforeValidator(_exact),
    AfterValidator(_percent),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "pattern": r"^[0-9]{1,3}(\.[0-9]{1,2})?$"},
                {"type": "integer", "minimum": 0, "maximum": 100},
            ],
            "description": "A percent from 0 to 100: a decimal string or an integer",
        }
    ),
]
BandIn = Annotated[
    list[Any],
    WithJsonSchema(
        {
            "type": "array",
            "minItems": 3,
            "maxItems": 3,
            "description": "[from minutes (>= 1), to minutes or null (open-ended), percent as a "
            'decimal string], e.g. [1, 30, "0.5"]',
        }
    ),
]


class PerfFormulaIn(Schema):
    name: str = Field(min_length=1, max_length=120)
    kind: Literal["minutes", "weighted"]
    effective_from: dt.date = Field(description="The first day of a month after the last closed")
    target_minutes: int = Field(6000, ge=1, le=100_000)
    performance_weight: Percent = Decimal(100)
    attendance_weight: Percent = Decimal(0)
    late_bands: list[BandIn] = Field(default_factory=list, max_length=20)
    early_bands: list[BandIn] = Field(default_factory=list, max_length=20)
    absence_percent: Percent = Decimal(0)


class PerfFormulaOut(Schema):
    id: int
    name: str
    kind: str
    effective_from: dt.date
    target_minutes: int
    performance_weight: Decimal
    attendance_weight: Decimal
    late_bands: list[list[Any]]
    early_bands: list[list[Any]]
    absence_percent: Decimal


class PerfAttendanceProblemOut(Schema):
    row: int = Field(description="The line in the file (1 is the header, 0 the whole file)")
    field: str
    message: str


class PerfAttendanceImportOut(Schema):
    id: int
    kind: str
    filename: str
    rows_total: int
    rows_imported: int
    succeeded: bool
    created_at: dt.datetime
    errors: list[PerfAttendanceProblemOut]


class PerfAttendanceDayOut(Schema):
    work_date: dt.date
    kind: str
    check_in: ClockOut | None
    check_out: ClockOut | None
    late_minutes: int
    early_minutes: int
    source: str


class PerfMonthQuery(Schema):
    year: int = Field(ge=2000, le=2100)
    month: int = Field(ge=1, le=12)


class PerfMonthIn(Schema):
    year: int = Field(ge=2000, le=2100)
    month: int = Field(ge=1, le=12)


class PerfPeriodOut(Schema):
    id: int
    year: int
    month: int
    state: str
    computed_at: dt.datetime | None
    closed_at: dt.datetime | None
    cutoff: dt.date = Field(description="From this day the month may be closed")
    people: int
    total: Decimal


class PerfResultOut(Schema):
    id: int
    employee_id: int
    nip: str
    name: str
    unit_id: int
    unit: str
    job_grade: int
    base_amount: Decimal
    approved_minutes: int
    target_minutes: int
    performance_share: Decimal
    attendance_share: Decimal
    deduction_percent: Decimal
    working_days: int
    days_present: int
    late_minutes: int
    amount: Decimal


class PerfResultQuery(Schema):
    unit_id: int | None = Field(None, ge=1, le=MAX_ID)


class PerfPayrollQuery(Schema):
    unit_id: int | None = Field(None, ge=1, le=MAX_ID)
    format: Literal["csv", "xlsx"] = "csv"


class PerfExplainedEntryOut(Schema):
    id: int
    work_date: dt.date
    activity: str
    quantity: int
    approved_quantity: int | None
    outcome: Literal["approved", "adjusted", "rejected"]
    minutes: int


class PerfExplainedDayOut(Schema):
    work_date: dt.date
    kind: str = Field(description="present, leave, duty, sick or absent (also: nothing recorded)")
    check_in: ClockOut | None
    check_out: ClockOut | None
    late_minutes: int
    early_minutes: int
    deduction_percent: Decimal


class PerfExplanationOut(Schema):
    employee_id: int
    nip: str
    name: str
    year: int
    month: int
    formula: PerfFormulaOut
    job_grade: int
    base_amount: Decimal
    approved_minutes: int
    performance_share: Decimal
    attendance_share: Decimal
    deduction_percent: Decimal
    absent_days: int
    amount: int = Field(description="Computed now from the entries and days below")
    stored_amount: Decimal | None = Field(description="What the month's computation stored")
    period_state: str | None
    entries: list[PerfExplainedEntryOut]
    days: list[PerfExplainedDayOut]


class PerfEntryCorrectionIn(Schema):
    approve: bool
    quantity: int | None = Field(None, ge=1, le=100_000)
    reason: str = Field(min_length=1, max_length=4000)


class PerfDayCorrectionIn(Schema):
    work_date: dt.date
    kind: Literal["present", "absent", "leave", "duty", "sick"]
    check_in: ClockIn | None = None
    check_out: ClockIn | None = None
    reason: str = Field(min_length=1, max_length=4000)


class PerfCorrectionOut(Schema):
    id: int
    period_id: int
    entry_id: int | None
    attendance_id: int | None
    changes: dict[str, Any]
    reason: str
    created_at: dt.datetime
