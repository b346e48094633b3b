"""Request and response shapes of the bansos API. NIKs are masked (the last 4 digits) in
every answer except the audited personal-data route."""

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from ninja import Field, Schema

from ..models import Entitlement, ImportJob, Person

NIK_MASK = Field(..., description="the last 4 NIK digits, the rest masked")


class PersonQuery(Schema):
    q: str = Field("", max_length=150, description="part of a name, or a whole NIK")
    kelurahan: str = Field("", max_length=13, description="a kelurahan/desa code")
    decile_max: int | None = Field(None, ge=1, le=10, description="welfare decile at most")


class PersonIn(Schema):
    nik: str = Field(..., max_length=40)
    name: str = Field(..., max_length=150)
    kk: str = Field("", max_length=40)
    birth_date: dt.date | None = Field(None, description="empty: the NIK's")
    sex: Literal["", "L", "P"] = Field("", description="empty: the NIK's")
    address: str = Field("", max_length=300)
    kelurahan_code: str = Field("", max_length=13)
    phone: str = Field("", max_length=20)
    welfare_decile: int | None = Field(None, ge=1, le=10)
    source: Literal["national", "region", "proposal", "import"] = "region"


class PersonOut(Schema):
    id: int
    nik_masked: str = NIK_MASK
    name: str
    birth_date: dt.date
    sex: str
    kelurahan_code: str
    welfare_decile: int | None
    source: str
    updated_at: dt.datetime
    retired_at: dt.datetime | None = Field(
        ..., description="set while the person is retired: left out of new lists"
    )
    retired_reason: str


class DuplicateOut(Schema):
    id: int
    name: str
    nik_masked: str = NIK_MASK


class PersonSavedOut(Schema):
    person: PersonOut
    created: bool
    possible_duplicates: list[DuplicateOut] = Field(
        ..., description="others with this name, birth date and kelurahan but another NIK"
    )


class PersonEntitlementOut(Schema):
    id: int
    programme_id: int
    programme: str
    year: int
    cycle_id: int
    cycle: int
    status: str
    amount: Decimal


class PersonDetailOut(PersonOut):
    entitlements: list[PersonEntitlementOut]


def person_detail(person: Person, entitlements: list[Entitlement]) -> dict[str, Any]:
    rows = [
        {
            "id": e.pk,
            "programme_id": e.cycle.programme_id,
            "programme": e.cycle.programme.name,
            "year": e.cycle.programme.year,
            "cycle_id": e.cycle_id,
            "cycle": e.cycle.number,
            "status": e.status,
            "amount": e.amount,
        }
        for e in entitlements
    ]
    return {**PersonOut.from_orm(person).dict(), "entitlements": rows}


class PersonalIn(Schema):
    purpose: str = Field("", max_length=200, description="why; recorded in the audit log")


class PersonalOut(Schema):
    nik: str
    kk: str
    phone: str
    address: str


class ImportForm(Schema):
    source: Literal["national", "region", "proposal", "import"] = "import"
    mode: Literal["all", "valid"] = Field(
        "all", description="all: nothing imported if any row has an error; valid: the rest"
    )


class ImportJobOut(Schema):
    id: int
    filename: str
    source: str
    mode: str
    status: str = Field(..., description="queued, running, done or failed")
    total_rows: int
    processed_rows: int
    imported_rows: int
    error_rows: int
    progress: int = Field(..., description="percent of the rows checked, 0 to 100")
    has_report: bool
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None

    @staticmethod
    def resolve_progress(job: ImportJob) -> int:
        if job.status in (ImportJob.Status.DONE, ImportJob.Status.FAILED):
            return 100
        total = max(job.total_rows, job.processed_rows)
        return job.processed_rows * 100 // total if total else 0

    @staticmethod
    def resolve_has_report(job: ImportJob) -> bool:
        return bool(job.error_report)


class RuleIn(Schema):
    field: str = Field(..., max_length=40, description="welfare_decile, age, sex, kelurahan_code")
    op: str = Field(..., max_length=8, description="lte, gte, eq, in (as the field allows)")
    value: Any = Field(..., description="a whole number, L or P, or a list for `in`")


class ProgrammeIn(Schema):
    code: str = Field(..., max_length=40)
    year: int
    name_id: str = Field(..., max_length=200)
    name_en: str = Field("", max_length=200)
    benefit_kind: Literal["cash", "in_kind"] = "cash"
    benefit_amount: Decimal = Field(Decimal(0), description="Rupiah, exact (a string is fine)")
    benefit_item: str = Field("", max_length=200)
    cycles_per_year: int = 1
    eligibility: list[RuleIn] = Field(default_factory=list, max_length=20)
    is_active: bool = True


class ProgrammeOut(Schema):
    id: int
    code: str
    year: int
    name: str
    name_id: str
    name_en: str
    benefit_kind: str
    benefit_amount: Decimal
    benefit_item: str
    cycles_per_year: int
    eligibility: list[dict[str, Any]]
    is_active: bool


class CycleIn(Schema):
    period_start: dt.date
    period_end: dt.date


class CycleOut(Schema):
    id: int
    programme_id: int
    number: int
    period_start: dt.date
    period_end: dt.date
    state: str = Field(..., description="draft, computed, approved, closed or cancelled")
    computed_at: dt.datetime | None
    approved_at: dt.datetime | None
    listed: int
    removed: int
    disbursed: int
    failed: int
    amount_listed: Decimal = Field(..., description="total of everyone not removed")
    amount_disbursed: Decimal


class ComputedOut(Schema):
    listed: int
    total: Decimal
    cycle: CycleOut


class NoteIn(Schema):
    note: str = Field("", max_length=300)


class ReasonIn(Schema):
    reason: str = Field(..., max_length=300)


class BansosCycleUndoIn(Schema):
    note: str = Field(..., max_length=300, description="why; required, kept in the audit log")


class HandoverOut(Schema):
    id: int
    paid_on: dt.date
    channel: str
    reference: str
    has_photo: bool


class EntitlementOut(Schema):
    id: int
    person_id: int
    name: str
    nik_masked: str = NIK_MASK
    status: str = Field(..., description="listed, removed, disbursed or failed")
    amount: Decimal
    note: str
    handover: HandoverOut | None


def entitlement_out(e: Entitlement) -> dict[str, Any]:
    handover = getattr(e, "handover", None) if e.status == Entitlement.Status.DISBURSED else None
    return {
        "id": e.pk,
        "person_id": e.person_id,
        "name": e.person.name,
        "nik_masked": e.person.nik_masked,
        "status": e.status,
        "amount": e.amount,
        "note": e.note,
        "handover": None
        if handover is None
        else {
            "id": handover.pk,
            "paid_on": handover.paid_on,
            "channel": handover.channel,
            "reference": handover.reference,
            "has_photo": bool(handover.photo),
        },
    }


class HandoverForm(Schema):
    paid_on: dt.date
    channel: Literal["bank", "post", "cash", "goods"]
    reference: str = Field(..., max_length=80)


class AggregateQuery(Schema):
    by: Literal["programme", "cycle", "kelurahan"] = "programme"


class AggregateOut(Schema):
    programme_code: str | None
    programme: str | None
    year: int | None
    cycle: int | None
    kelurahan_code: str | None
    kelurahan: str | None
    recipients: int
    received: int
    total: Decimal
    total_received: Decimal


class RecipientOut(Schema):
    name: str
    nik: str = Field(..., description="the last 4 digits only")
    status: str


class RecipientsOut(Schema):
    published: bool = Field(..., description="whether the region publishes names at all")
    recipients: list[RecipientOut]


class LookupIn(Schema):
    nik: str = Field(..., max_length=40)
    name: str = Field(..., max_length=150)


class LookupEntryOut(Schema):
    programme: str
    year: int
    cycle: int
    status: str


class LookupOut(Schema):
    on_list: bool
    entries: list[LookupEntryOut]
