"""The shapes the permits API reads and sends. Every class is named Permit… because a
schema's class name is its OpenAPI component name, shared by every module. Amounts are
exact Rupiah: a decimal string ("500000000.00") or a whole number, never a JSON float."""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import AfterValidator, BeforeValidator, WithJsonSchema

from .models import FeeKind, Lane, Risk, Scale
from .models.common import MONEY_MAX
from .workflow import APPLICATION_FLOW, STAFF_STAGES

MAX_ID = 2**31 - 1
LANES = ", ".join(Lane.values)
STAGES = ", ".join(STAFF_STAGES)
STATES = ", ".join(s.key for s in APPLICATION_FLOW.states)
Viewer = Literal["staff", "applicant"]


def _exact(value: Any) -> Any:
    """A binary float is not an amount of money: refuse it before it becomes a Decimal."""
    if isinstance(value, float | bool):
        raise ValueError("Give the amount as a decimal string or a whole number, not a float.")
    return value


def _finite(value: Decimal) -> Decimal:
    """NaN, infinities and absurd amounts cannot be compared or stored: refuse them here."""
    if not value.is_finite() or not 0 <= value <= MONEY_MAX:
        raise ValueError("Give an amount from zero up to Rp 1 quadrillion.")
    return value


Money = Annotated[
    Decimal,
    BeforeValidator(_exact),
    AfterValidator(_finite),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "pattern": r"^[0-9]{1,16}(\.[0-9]{1,2})?$"},
                {"type": "integer", "minimum": 0},
            ],
            "description": "Exact Rupiah: a decimal string with at most 2 decimals, or an integer",
            "examples": ["250000000.00"],
        }
    ),
]
Version = Field(ge=0, le=MAX_ID, description="The `version` you saw; a stale one is a 409")
Note = Field("", max_length=4000)
Reason = Field(min_length=1, max_length=4000)
Id = Field(ge=1, le=MAX_ID)


# Catalogue --------------------------------------------------------------------------------


class PermitRef(Schema):
    code: str
    name: str


class PermitUnitRef(Schema):
    id: int
    name: str


class PermitRequirementOut(Schema):
    code: str
    name: str
    name_id: str
    name_en: str
    format: str = Field(description="pdf, or image (JPEG, PNG or WebP)")
    mandatory: bool


class PermitTypeOut(Schema):
    id: int
    code: str
    name: str
    name_id: str
    name_en: str
    legal_basis: str
    validity_months: int = Field(description="0: the permit does not expire")
    fee_kind: str = Field(description=", ".join(FeeKind.values))
    fee_rate: str = Field(description="Rupiah per m² or per unit")
    fee_amount: str = Field(description="The fixed part, Rupiah")
    default_approval: bool = Field(description="Approved by default when a deadline passes")
    inspection_required: bool
    verifying_unit: PermitUnitRef | None
    signing_unit: PermitUnitRef | None
    is_active: bool
    requirements: list[PermitRequirementOut]
    sla_working_days: dict[str, int] = Field(description=f"Per stage ({STAGES})")


class PermitKbliOut(Schema):
    id: int
    code: str
    title: str
    title_id: str
    title_en: str
    risk: dict[str, str] = Field(description="Risk level per business scale")
    permit_type: str | None = Field(description="The permit type's code, where it needs one")


class PermitKbliQuery(Schema):
    q: str = Field("", max_length=100, description="Part of a code or a title")


class PermitPlanQuery(Schema):
    kbli: list[str] = Field(
        min_length=1, max_length=20, description="KBLI codes, the main activity first"
    )
    capital: Money = Field(description="Capital excluding land and buildings")


class PermitPlanOut(Schema):
    lane: str = Field(description=LANES)
    lane_label: str
    instant: bool = Field(description="Registered at once, no officer needed")
    scale: str = Field(description=", ".join(Scale.values))
    activities: list[PermitKbliOut]
    permit_type: PermitTypeOut | None
    requirements: list[PermitRequirementOut]


class PermitVerificationOut(Schema):
    status: str = Field(description="valid, expired, suspended, revoked or unknown")
    number: str
    business_name: str
    permit_type: str
    lane: str
    valid_from: dt.date | None
    valid_until: dt.date | None
    by_default: bool


class PermitVerifyQuery(Schema):
    code: str = Field(min_length=1, max_length=100, description="The code printed on the QR")


class PermitStatsRowOut(Schema):
    key: str = Field(description="The permit type's code, or the lane of instant registrations")
    name: str
    unit: str
    applications: int
    issued: int
    rejected: int
    median_working_days: float | None
    share_within_deadline: float | None
    approved_by_default: int


# Applications -----------------------------------------------------------------------------


class PermitApplicationIn(Schema):
    business_name: str = Field(max_length=200)
    npwp: str = Field(max_length=30)
    owner_name: str = Field(max_length=150)
    owner_nik: str = Field(max_length=30)
    business_address: str = Field(max_length=300)
    kelurahan_code: str = Field(max_length=13, description="A kelurahan/desa of the region")
    kbli: list[str] = Field(min_length=1, max_length=20, description="The main activity first")
    capital: Money = Field(description="Capital excluding land and buildings")
    area_m2: Money | None = None
    unit_count: int | None = Field(None, ge=0, le=MAX_ID)
    nib: str = Field("", max_length=20, description="13 digits, where the business has one")


class PermitResubmitIn(Schema):
    expected_version: int = Version
    note: str = Note


class PermitStepIn(Schema):
    expected_version: int = Version
    note: str = Note


class PermitReasonIn(Schema):
    expected_version: int = Version
    reason: str = Reason


class PermitAnswerIn(Schema):
    passed: bool
    note: str = Field("", max_length=300)


class PermitCheckIn(Schema):
    expected_version: int = Version
    answers: dict[str, PermitAnswerIn] = Field(
        description="One answer per current document, keyed by the document's id"
    )
    note: str = Note


class PermitScheduleIn(Schema):
    expected_version: int = Version
    scheduled_at: dt.datetime = Field(description="With its time zone")
    inspector_id: int = Id


class PermitInspectionIn(Schema):
    expected_version: int = Version
    findings: str = Field(min_length=1, max_length=4000)
    passed: bool
    note: str = Note


class PermitRecommendIn(Schema):
    expected_version: int = Version
    favourable: bool
    text: str = Field(min_length=1, max_length=4000)


class PermitPaymentIn(Schema):
    expected_version: int = Version
    reference: str = Field(max_length=80, description="The bank's payment reference")


class PermitQueueQuery(Schema):
    stage: str | None = Field(None, max_length=40, description=STAGES)
    unit: int | None = Field(None, ge=1, le=MAX_ID, description="The verifying (or signing) unit")
    overdue: bool | None = Field(None, description="Only those past their deadline")


class PermitDocumentOut(Schema):
    id: int
    requirement: str
    requirement_name: str
    filename: str
    content_type: str
    size: int
    check_passed: bool | None
    check_note: str
    created_at: dt.datetime


class PermitInspectionOut(Schema):
    id: int
    scheduled_at: dt.datetime
    findings: str
    passed: bool | None
    recorded_at: dt.datetime | None
    photos: int


class PermitStepOut(Schema):
    action: str
    from_state: str
    to_state: str
    note: str
    actor: str | None = Field(description="Shown to staff only")
    created_at: dt.datetime


class PermitIssuedOut(Schema):
    id: int
    number: str
    lane: str
    permit_type: PermitRef | None
    business_name: str
    issued_at: dt.datetime
    valid_from: dt.date
    valid_until: dt.date | None
    status: str = Field(description="valid, expired, suspended or revoked")
    status_reason: str
    by_default: bool
    default_reason: str
    application_id: int
    document_url: str = Field(description="The receipt or permit as PDF")
    verification_url: str = Field(description="Where its QR code leads")


class PermitApplicationSummaryOut(Schema):
    id: int
    number: str
    business_name: str
    lane: str
    permit_type: PermitRef | None
    state: str = Field(description=STATES)
    state_label: str
    due_at: dt.datetime | None
    due_in_working_days: int | None = Field(description="Negative: overdue by that many")
    version: int
    created_at: dt.datetime


class PermitApplicationOut(PermitApplicationSummaryOut):
    viewer: Viewer
    scale: str
    capital: str
    area_m2: str | None
    unit_count: int | None
    nib: str
    npwp: str
    owner_name: str
    owner_nik_masked: str
    business_address: str
    kelurahan_code: str
    activities: list[PermitRef]
    fee_amount: str = Field(description="The levy the system computed, whole Rupiah")
    payment_reference: str
    paid_at: dt.datetime | None
    recommendation: str | None = Field(description="Staff only")
    recommendation_favourable: bool | None
    approved_by_default: bool
    decided_at: dt.datetime | None
    waiting_on: Literal["staff", "applicant", "nobody"]
    needed_now: str = Field(description="What has to happen next, in words")
    correction_note: str = Field(description="What to correct, while it is returned")
    actions: list[str] = Field(description="The steps this caller may take now")
    documents: list[PermitDocumentOut]
    inspections: list[PermitInspectionOut]
    timeline: list[PermitStepOut]
    permit: PermitIssuedOut | None
    renews: str | None = Field(description="The number of the permit this renews")


class PermitStatusChangeIn(Schema):
    reason: str = Reason


class PermitListQuery(Schema):
    status: Literal["valid", "suspended", "revoked"] | None = None


RISKS = tuple(Risk.values)
