"""The public part of the module's API: the hibah register (no personal data)."""

import datetime as dt
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import paginate

from lumbung.api.auth import OPTIONAL_AUTH, OPTIONAL_SECURITY
from lumbung.api.context import region_of
from lumbung.api.pagination import Page

from .models import Proposal
from .selectors_public import RegisterFilters, register_filter, register_get
from .views.common import step_names

router = Router(tags=["grants"])
PUBLIC: dict[str, Any] = {"auth": OPTIONAL_AUTH, "openapi_extra": OPTIONAL_SECURITY}


class RegisterQuery(Schema):
    year: int | None = Field(None, ge=2000, le=2100)
    programme: int | None = Field(None, ge=1, description="programme id")
    state: str = Field("", max_length=40)
    kelurahan: str = Field("", max_length=13)
    q: str = Field("", max_length=100, description="words in title, purpose or organisation")


class RegisterAmountsOut(Schema):
    requested: Decimal
    recommended: Decimal | None
    considered: Decimal | None
    final: Decimal | None
    disbursed: Decimal


class RegisterStepOut(Schema):
    state: str
    label: str
    at: dt.datetime


class RegisterItemOut(Schema):
    id: UUID = Field(..., alias="public_id")
    number: str
    title: str
    organisation: str
    organisation_kind: str
    programme: str
    programme_year: int
    state: str
    state_label: str
    amounts: RegisterAmountsOut
    kelurahan_code: str
    latitude: Decimal | None
    longitude: Decimal | None
    submitted_at: dt.datetime = Field(..., alias="created_at")

    @staticmethod
    def resolve_organisation(p: Proposal) -> str:
        return p.organisation.name

    @staticmethod
    def resolve_organisation_kind(p: Proposal) -> str:
        return p.organisation.kind

    @staticmethod
    def resolve_programme(p: Proposal) -> str:
        return p.programme.name

    @staticmethod
    def resolve_programme_year(p: Proposal) -> int:
        return p.programme.year

    @staticmethod
    def resolve_state_label(p: Proposal, context: dict[str, Any]) -> str:
        """The region's name for the stage, read once for the whole page of items."""
        request = context["request"]
        return step_names(request, region_of(request)).get(p.state, p.state)

    @staticmethod
    def resolve_amounts(p: Proposal) -> dict[str, Any]:
        return {
            "requested": p.amount_requested,
            "recommended": p.amount_recommended,
            "considered": p.amount_considered,
            "final": p.amount_final,
            "disbursed": p.amount_disbursed,
        }


class RegisterDetailOut(RegisterItemOut):
    purpose: str
    location: str
    decision_number: str
    nphd_signed_on: dt.date | None
    lpj_due_on: dt.date | None
    steps: list[RegisterStepOut]


@router.get(
    "/register", response=list[RegisterItemOut], summary="The public hibah register", **PUBLIC
)
@paginate(Page)
def register(request: HttpRequest, region_slug: Path[str], filters: Query[RegisterQuery]):  # type: ignore[no-untyped-def]
    """Every proposal, newest first, with its amount at each stage. No personal data."""
    return register_filter(region_of(request), RegisterFilters(**filters.dict()))


@router.get(
    "/register/{public_id}",
    response=RegisterDetailOut,
    summary="One proposal in the register, with its stages",
    **PUBLIC,
)
def register_detail(request: HttpRequest, region_slug: Path[str], public_id: Path[UUID]) -> Any:
    region = region_of(request)
    found = register_get(region, public_id, step_names(request, region))
    proposal: Any = found.proposal
    proposal.steps = [{"state": s.state, "label": s.label, "at": s.at} for s in found.steps]
    return proposal
