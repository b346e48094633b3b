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


class HibahOfficerIn(Schema):
    position: str = Field(max_length=40, description="ketua, sekretaris, bendahara, …")
    name: str = Field(max_length=200)


class HibahOrganisationIn(Schema):
    name: str = Field(max_length=200)
    kind: str = Field(max_length=20, description=f"One of {', '.join(ORGANISATION_KINDS)}")
    legal_number: str = Field(max_length=80)
    legal_date: dt.date
    npwp: str = Field(max_length=30)
    address: str = Field(max_length=300)
    bank_name: str = Field(max_length=80)
    bank_account_number: str = Field(max_length=40)
    bank_account_name: str = Field(max_length=200)
    officers: list[HibahOfficerIn] = Field(max_length=50)
    kelurahan_code: str = Field("", max_length=13)
    phone: str = Field("", max_length=20)
    email: str = Field("", max_length=254)


class HibahOrganisationPatch(Schema):
    name: str | None = Field(None, max_length=200)
    kind: str | None = Field(None, max_length=20)
    legal_number: str | None = Field(None, max_length=80)
    legal_date: dt.date | None = None
    npwp: str | None = Field(None, max_length=30)
    address: str | None = Field(None, max_length=300)
    bank_name: str | None = Field(None, max_length=80)
    bank_account_number: str | None = Field(None, max_length=40)
    bank_account_name: str | None = Field(None, max_length=200)
    officers: list[HibahOfficerIn] | None = Field(None, max_length=50)
    kelurahan_code: str | None = Field(None, max_length=13)
    phone: str | None = Field(None, max_length=20)
    email: str | None = Field(None, max_length=254)


class HibahVerifyIn(Schema):
    note: str = Note


class HibahRejectOrganisationIn(Schema):
    reason: str = Reason


class HibahOrganisationQuery(Schema):
    verification: str = Field("", max_length=10, description="pending, verified or rejected")
    q: str = Field("", max_length=100, description="words in the name or legal number")


class HibahDocumentOut(Schema):
    id: int
    kind: str
    filename: str
    content_type: str
    size: int
    created_at: dt.datetime
    tranche_id: int | None = Field(None, description="the payment a transfer proof proves")


class HibahOrganisationSummaryOut(Schema):
    id: int
    name: str
    kind: str
    legal_number: str
    verification: str
    created_at: dt.datetime


class HibahOrganisationOut(HibahOrganisationSummaryOut):
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
    documents: list[HibahDocumentOut]


# Proposals --------------------------------------------------------------------------------


class HibahLineIn(Schema):
    description: str = Field(max_length=200)
    quantity: Money
    unit: str = Field(max_length=30)
    unit_price: Money


class HibahProposalIn(Schema):
    organisation_id: int = Field(ge=1, le=MAX_ID)
    programme_id: int = Field(ge=1, le=MAX_ID)
    title: str = Field(max_length=200)
    purpose: str = Field(max_length=4000)
    location: str = Field(max_length=300)
    kelurahan_code: str = Field("", max_length=13)
    lines: list[HibahLineIn] = Field(max_length=200, description="The cost breakdown (RAB)")


class HibahQueueQuery(Schema):
    stage: str = Field("", max_length=40, description=f"A state: {', '.join(REVIEW_STAGES)}, …")
    programme: int | None = Field(None, ge=1, le=MAX_ID, description="A programme id")
    unit: int | None = Field(None, ge=1, le=MAX_ID, description="The evaluating unit's id")
    overdue: bool = Field(False, description="Only those past their step's deadline")


class HibahAnswerIn(Schema):
    passed: bool
    on_date: dt.date | None = None
    note: str = Field("", max_length=2000)


class HibahStepIn(Schema):
    expected_version: int = Version
    note: str = Note


class HibahCheckIn(HibahStepIn):
    answers: dict[str, HibahAnswerIn] = Field(description="Each manual item of the step, by key")


class HibahAssignIn(HibahStepIn):
    unit_id: int = Field(ge=1, le=MAX_ID)


class HibahAmountIn(HibahStepIn):
    amount: Money
    justification: str = Field("", max_length=4000, description="Required when it rises")


class HibahRecommendIn(HibahAmountIn):
    answers: dict[str, HibahAnswerIn] = Field(description="Each manual item of the evaluation")


class HibahDecideIn(HibahStepIn):
    decision_number: str = Field(max_length=80)


class HibahReasonIn(Schema):
    expected_version: int = Version
    note: str = Reason


class HibahResubmitIn(HibahStepIn):
    lines: list[HibahLineIn] | None = Field(None, max_length=200, description="A corrected RAB")


class HibahTrancheIn(Schema):
    expected_version: int = Version
    amount: Money
    paid_on: dt.date
    reference: str = Field(max_length=80, description="SP2D or transfer reference")


class HibahRef(Schema):
    id: int
    name: str


class HibahProgrammeRef(HibahRef):
    code: str
    year: int


class HibahAmountsOut(Schema):
    requested: Decimal
    recommended: Decimal | None
    considered: Decimal | None
    final: Decimal | None
    disbursed: Decimal


class HibahProposalSummaryOut(Schema):
    id: int
    number: str
    title: str
    organisation: HibahRef
    programme: HibahProgrammeRef
    state: str
    state_label: str
    version: int
    amounts: HibahAmountsOut
    evaluating_unit: HibahRef | None
    due_at: dt.datetime | None
    overdue: bool
    created_at: dt.datetime


class HibahLineOut(Schema):
    position: int
    description: str
    quantity: Decimal
    unit: str
    unit_price: Decimal
    total: Decimal


class HibahAmountChangeOut(Schema):
    stage: str
    amount: Decimal
    previous: Decimal | None
    justification: str
    actor: str | None = Field(description="Staff only")
    created_at: dt.datetime


class HibahChecklistAnswerOut(Schema):
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


class HibahTimelineOut(Schema):
    at: dt.datetime
    kind: str = Field(description="transition or amount")
    action: str
    from_state: str
    to_state: str
    actor: str | None = Field(description="Staff only")
    note: str
    amount: Decimal | None
    previous: Decimal | None


class HibahTrancheOut(Schema):
    id: int
    number: int
    amount: Decimal
    paid_on: dt.date
    reference: str
    created_at: dt.datetime
    proofs: list[HibahDocumentOut] = Field(
        description="its transfer proofs; download each at GET /documents/{id}"
    )


class HibahProposalOut(HibahProposalSummaryOut):
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
    lines: list[HibahLineOut]
    amount_changes: list[HibahAmountChangeOut]
    answers: list[HibahChecklistAnswerOut]
    tranches: list[HibahTrancheOut]
    documents: list[HibahDocumentOut]
    timeline: list[HibahTimelineOut]
