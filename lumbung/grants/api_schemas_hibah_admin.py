"""The region admin's hibah schemas: programmes and checklist items."""

import datetime as dt
from decimal import Decimal

from ninja import Field, Schema

from .api_schemas_hibah import MAX_ID, Money
from .workflow import REVIEW_STAGES


class HibahProgrammeIn(Schema):
    name_id: str = Field(max_length=200)
    name_en: str = Field(max_length=200)
    code: str = Field(max_length=40, description="Unique within the budget year")
    year: int = Field(ge=2000, le=2100)
    ceiling: Money
    unit_id: int | None = Field(None, ge=1, le=MAX_ID)
    description: str = Field("", max_length=4000)
    opens_on: dt.date | None = None
    closes_on: dt.date | None = None
    is_active: bool = True


class HibahProgrammePatch(Schema):
    name_id: str | None = Field(None, max_length=200)
    name_en: str | None = Field(None, max_length=200)
    code: str | None = Field(None, max_length=40)
    year: int | None = Field(None, ge=2000, le=2100)
    ceiling: Money | None = None
    unit_id: int | None = Field(None, ge=1, le=MAX_ID, description="null: no unit")
    description: str | None = Field(None, max_length=4000)
    opens_on: dt.date | None = Field(None, description="null: open from the start")
    closes_on: dt.date | None = Field(None, description="null: no closing date")
    is_active: bool | None = None


class HibahProgrammeOut(Schema):
    id: int
    code: str
    year: int
    name: str = Field(description="In the request's language")
    name_id: str
    name_en: str
    description: str
    unit_id: int | None
    opens_on: dt.date | None
    closes_on: dt.date | None
    is_active: bool
    ceiling: Decimal
    approved: Decimal = Field(description="Final amounts of the proposals it funds")
    remaining: Decimal
    funded_count: int


class HibahProgrammeQuery(Schema):
    year: int | None = Field(None, ge=2000, le=2100)
    include_inactive: bool = Field(False, description="Staff only")


class HibahChecklistItemIn(Schema):
    state: str = Field(max_length=40, description=f"One of {', '.join(REVIEW_STAGES)}")
    key: str = Field(max_length=60)
    name_id: str = Field(max_length=200)
    name_en: str = Field(max_length=200)
    computed_check: str = Field("", max_length=60)
    needs_date: bool = False
    required: bool = True
    position: int = Field(0, ge=0, le=32767)
    is_active: bool = True


class HibahChecklistItemPatch(Schema):
    name_id: str | None = Field(None, max_length=200)
    name_en: str | None = Field(None, max_length=200)
    computed_check: str | None = Field(None, max_length=60)
    needs_date: bool | None = None
    required: bool | None = None
    position: int | None = Field(None, ge=0, le=32767)
    is_active: bool | None = None


class HibahChecklistItemOut(Schema):
    id: int
    state: str
    key: str
    name: str
    name_id: str
    name_en: str
    computed_check: str
    needs_date: bool
    required: bool
    position: int
    is_active: bool


class HibahChecklistQuery(Schema):
    state: str = Field("", max_length=40, description="One review step; empty: all")
    include_inactive: bool = False
