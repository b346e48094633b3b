"""The shapes the hibah API reads and sends. Amounts are exact Rupiah: a decimal string
("45000000.00") or a whole number, never a JSON float; the services judge their range and
answer with the amount's stable code."""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import BeforeValidator, WithJsonSchema

from .models import OrganisationKind, Verification
from .workflow import REVIEW_STAGES

MAX_ID = 2**31 - 1
ORGANISATION_KINDS = tuple(OrganisationKind.values)
VERIFICATIONS = tuple(Verification.values)


def _exact(value: Any) -> Any:
    """A binary float is not an amount of money: refuse it before it becomes a Decimal."""
    if isinstance(value, float | bool):
        raise ValueError("Give the amount as a decimal string or a whole number, not a float.")
    return value


Money = Annotated[
    Decimal,
    BeforeValidator(_exact),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "pattern": r"^[0-9]{1,16}(\.[0-9]{1,2})?$"},
                {"type": "integer", "minimum": 1},
            ],
            "description": "Exact Rupiah: a decimal string with at most 2 decimals, or an integer",
            "examples": ["45000000.00"],
        }
    ),
]
Version = Field(ge=0, le=MAX_ID, description="The `version` you saw; a stale one is a 409")
Note = Field("", max_length=4000)
Reason = Field(min_length=1, max_length=4000)


# Organisations ----------------------------------------------------------------------------


class OfficerIn(Schema):
    position: str = Field(max_length=40, description="ketua, sekretaris, bendahara, …")
    name: str = Field(max_length=200)


class OrganisationIn(Schema):
    name: str = Field(max_length=200)
    kind: str = Field(max_length=20, description=f"One of {', '.join(ORGANISATION_KINDS)}")
    legal_number: str = Field(max_length=80)
    legal_date: dt.date
    npwp: str = Field(max_length=30)
    address: str = Field(max_length=300)
    bank_name: str = Field(max_length=80)
    bank_account_number: str = Field(max_length=40)
    bank_account_name: str = Field(max_length=200)
    officers: list[OfficerIn] = Field(max_length=50)
    kelurahan_code: str = Field("", max_length=13)
    phone: str = Field("", max_length=20)
    email: str = Field("", max_length=254)


class OrganisationPatch(Schema):
    name: str | None = Field(None, max_length=200)
    kind: str | None = Field(None, max_length=20)
    legal_number: str | None = Field(None, max_length=80)
    legal_date: dt.date | None = None
    npwp: str | None = Field(None, max_length=30)
    address: str | None = Field(None, max_length=300)
    bank_name: str | None = Field(None, max_length=80)
    bank_account_number: str | None = Field(None, max_length=40)
    bank_account_name: str | None = Field(None, max_length=200)
    officers: list[OfficerIn] | None = Field(None, max_length=50)
    kelurahan_code: str | None = Field(None, max_length=13)
    phone: str | None = Field(None, max_length=20)
    email: str | None = Field(None, max_length=254)


class VerifyIn(Schema):
    note: str = Note


class RejectOrganisationIn(Schema):
    reason: str = Reason


class OrganisationQuery(Schema):
    verification: str = Field("", max_length=10, description="pending, verified or rejected")
    q: str = Field("", max_length=100, description="words in the name or legal number")


class DocumentOut(Schema):
    id: int
    kind: str
    filename: str
    content_type: str
    size: int
    created_at: dt.datetime


class OrganisationSummaryOut(Schema):
    id: int
    name: str
    kind: str
    legal_number: str
    verification: str
    created_at: dt.datetime


class OrganisationOut(OrganisationSummaryOut):
    legal_date: dt.date
    npwp: str
    address: str
    kelurahan_code: str
    phone: str
    email: str
    officers: list[dict[str, str]]
    bank_name: str
    bank_account_number: str
    bank_account_name: str
    verified_at: dt.datetime | None
    verification_note: str
    updated_at: dt.datetime
    documents: list[DocumentOut]


# Proposals --------------------------------------------------------------------------------


class LineIn(Schema):
    description: str = Field(max_length=200)
    quantity: Money
    unit: str = Field(max_length=30)
    unit_price: Money


class ProposalIn(Schema):
    organisation_id: int = Field(ge=1, le=MAX_ID)
    programme_id: int = Field(ge=1, le=MAX_ID)
    title: str = Field(max_length=200)
    purpose: str = Field(max_length=4000)
    location: str = Field(max_length=300)
    kelurahan_code: str = Field("", max_length=13)
    lines: list[LineIn] = Field(max_length=200, description="The cost breakdown (RAB)")


class QueueQuery(Schema):
    stage: str = Field("", max_length=40, description=f"A state: {', '.join(REVIEW_STAGES)}, …")
    programme: int | None = Field(None, ge=1, le=MAX_ID, description="A programme id")
    unit: int | None = Field(None, ge=1, le=MAX_ID, description="The evaluating unit's id")
    overdue: bool = Field(False, description="Only those past their step's deadline")


class AnswerIn(Schema):
    passed: bool
    on_date: dt.date | None = None
    note: str = Field("", max_length=2000)


class StepIn(Schema):
    expected_version: int = Version
    note: str = Note


class CheckIn(StepIn):
    answers: dict[str, AnswerIn] = Field(description="Each manual item of the step, by key")


class AssignIn(StepIn):
    unit_id: int = Field(ge=1, le=MAX_ID)


class AmountIn(StepIn):
    amount: Money
    justification: str = Field("", max_length=4000, description="Required when it rises")


class RecommendIn(AmountIn):
    answers: dict[str, AnswerIn] = Field(description="Each manual item of the evaluation")


class DecideIn(StepIn):
    decision_number: str = Field(max_length=80)


class ReasonIn(Schema):
    expected_version: int = Version
    note: str = Reason


class ResubmitIn(StepIn):
    lines: list[LineIn] | None = Field(None, max_length=200, description="A corrected RAB")


class TrancheIn(Schema):
    expected_version: int = Version
    amount: Money
    paid_on: dt.date
    reference: str = Field(max_length=80, description="SP2D or transfer reference")


class Ref(Schema):
    id: int
    name: str


class ProgrammeRef(Ref):
    code: str
    year: int


class AmountsOut(Schema):
    requested: Decimal
    recommended: Decimal | None
    considered: Decimal | None
    final: Decimal | None
    disbursed: Decimal


class ProposalSummaryOut(Schema):
    id: int
    number: str
    title: str
    organisation: Ref
    programme: ProgrammeRef
    state: str
    state_label: str
    version: int
    amounts: AmountsOut
    evaluating_unit: Ref | None
    due_at: dt.datetime | None
    overdue: bool
    created_at: dt.datetime


class LineOut(Schema):
    position: int
    description: str
    quantity: Decimal
    unit: str
    unit_price: Decimal
    total: Decimal


class AmountChangeOut(Schema):
    stage: str
    amount: Decimal
    previous: Decimal | None
    justification: str
    actor: str | None = Field(description="Staff only")
    created_at: dt.datetime


class ChecklistAnswerOut(Schema):
    state: str
    key: str
    name: str
    required: bool
    passed: bool
    on_date: dt.date | None
    note: str
    computed: bool
    evidence: dict[str, Any] = Field(description="What the system looked at (computed items)")
    answered_at: dt.datetime


class TimelineOut(Schema):
    at: dt.datetime
    kind: str = Field(description="transition or amount")
    action: str
    from_state: str
    to_state: str
    actor: str | None = Field(description="Staff only")
    note: str
    amount: Decimal | None
    previous: Decimal | None


class TrancheOut(Schema):
    id: int
    number: int
    amount: Decimal
    paid_on: dt.date
    reference: str
    created_at: dt.datetime


class ProposalOut(ProposalSummaryOut):
    viewer: str = Field(description="staff or applicant")
    purpose: str
    location: str
    kelurahan_code: str
    decision_number: str
    nphd_number: str
    nphd_signed_on: dt.date | None
    lpj_due_on: dt.date | None
    lpj_submitted_at: dt.datetime | None
    actions: list[str] = Field(description="What the workflow allows from this state")
    lines: list[LineOut]
    amount_changes: list[AmountChangeOut]
    answers: list[ChecklistAnswerOut]
    tranches: list[TrancheOut]
    documents: list[DocumentOut]
    timeline: list[TimelineOut]


# Programmes and checklists ----------------------------------------------------------------


class ProgrammeIn(Schema):
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


class ProgrammePatch(Schema):
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


class ProgrammeOut(Schema):
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


class ProgrammeQuery(Schema):
    year: int | None = Field(None, ge=2000, le=2100)
    include_inactive: bool = Field(False, description="Staff only")


class ChecklistItemIn(Schema):
    state: str = Field(max_length=40, description=f"One of {', '.join(REVIEW_STAGES)}")
    key: str = Field(max_length=60)
    name_id: str = Field(max_length=200)
    name_en: str = Field(max_length=200)
    computed_check: str = Field("", max_length=60)
    needs_date: bool = False
    required: bool = True
    position: int = Field(0, ge=0, le=32767)
    is_active: bool = True


class ChecklistItemPatch(Schema):
    name_id: str | None = Field(None, max_length=200)
    name_en: str | None = Field(None, max_length=200)
    computed_check: str | None = Field(None, max_length=60)
    needs_date: bool | None = None
    required: bool | None = None
    position: int | None = Field(None, ge=0, le=32767)
    is_active: bool | None = None


class ChecklistItemOut(Schema):
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


class ChecklistQuery(Schema):
    state: str = Field("", max_length=40, description="One review step; empty: all")
    include_inactive: bool = False
