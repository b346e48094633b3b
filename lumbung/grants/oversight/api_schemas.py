"""Request and response shapes of the oversight routes."""

import datetime as dt
from typing import Any, Literal
from uuid import UUID

from ninja import Field, Schema

from ..models import FlagKind
from ..services.flags import REASON_MAX
from ..services.suspicions import NAME_MAX, OUTCOME_MAX, TEXT_MAX
from .selectors import ExplainedFlag, FlagStatus


class FlagQuery(Schema):
    kind: FlagKind | None = Field(None, description="one kind of flag")
    status: FlagStatus = Field(
        FlagStatus.CURRENT,
        description="current (default), gone (no longer found), dismissed, or all",
    )


class EvidenceOut(Schema):
    model: str = Field(
        ...,
        description="proposal, organisation, person, bansos_programme, tranche, amount_change",
    )
    id: int
    label: str
    detail: str
    public_id: UUID | None = Field(None, description="a proposal's id in the public register")


class FlagOut(Schema):
    id: int
    kind: str
    kind_label: str
    explanation: str
    evidence: list[EvidenceOut]
    proposal_id: int | None
    organisation_id: int | None
    person_id: int | None
    detected_at: dt.datetime
    is_current: bool
    dismissed_at: dt.datetime | None
    dismissal_reason: str


def flag_out(row: ExplainedFlag) -> dict[str, Any]:
    flag = row.flag
    return {
        "id": flag.pk,
        "kind": flag.kind,
        "kind_label": str(FlagKind(flag.kind).label),
        "explanation": row.explanation.text,
        "evidence": [
            {
                "model": e.model,
                "id": e.id,
                "label": e.label,
                "detail": e.detail,
                "public_id": e.public_id or None,
            }
            for e in row.evidence
        ],
        "proposal_id": flag.proposal_id,
        "organisation_id": flag.organisation_id,
        "person_id": flag.person_id,
        "detected_at": flag.detected_at,
        "is_current": flag.is_current,
        "dismissed_at": flag.dismissed_at,
        "dismissal_reason": flag.dismissal_reason,
    }


class RefreshedOut(Schema):
    created: int = Field(..., description="new flags")
    current: int = Field(..., description="flags found by this run, new ones included")
    resolved: int = Field(..., description="flags no longer found (kept, not current)")


class DismissIn(Schema):
    reason: str = Field(..., max_length=REASON_MAX)


class SuspicionIn(Schema):
    """About a proposal (its public id), or about a named recipient of a bansos programme."""

    text: str = Field(..., max_length=TEXT_MAX, description="what looks wrong")
    proposal: UUID | None = Field(None, description="the proposal's id in the public register")
    programme: int | None = Field(None, ge=1, le=2**31 - 1, description="bansos programme id")
    recipient_name: str = Field("", max_length=NAME_MAX)
    kelurahan_code: str = Field("", max_length=13)
    contact_email: str = Field("", max_length=254, description="optional; never published")


class SuspicionSentOut(Schema):
    handled_as: Literal["complaint", "review"] = Field(
        ..., description="a private complaint, or a review task for the auditors"
    )
    ticket: str = Field(..., description="the complaint's ticket, when it became one")


class SuspicionOut(Schema):
    id: int
    proposal_public_id: UUID | None
    proposal_number: str
    programme_id: int | None
    recipient_name: str
    kelurahan_code: str
    text: str
    has_contact: bool = Field(..., description="the sender left an email for questions")
    created_at: dt.datetime
    reviewed_at: dt.datetime | None
    outcome: str

    @staticmethod
    def resolve_proposal_public_id(s: Any) -> UUID | None:
        return s.proposal.public_id if s.proposal_id else None

    @staticmethod
    def resolve_proposal_number(s: Any) -> str:
        return str(s.proposal.number) if s.proposal_id else ""

    @staticmethod
    def resolve_has_contact(s: Any) -> bool:
        return bool(s.contact_email)


class ReviewIn(Schema):
    outcome: str = Field(..., max_length=OUTCOME_MAX)


class YearQuery(Schema):
    year: int | None = Field(None, ge=2000, le=2100, description="one budget year")
