"""Reads of hibah for staff and for the organisation: the queue of a step, a proposal with
its amount at every stage, its timeline, a programme's usage of its ceiling, the overdue
LPJ list, a document for whoever may read it. Every read is filtered by region; a foreign
id is a 404."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from lumbung.core.calendar import RegionCalendar
from lumbung.core.errors import NotFound
from lumbung.core.models import Region, Transition, Unit, User
from lumbung.core.permissions import can

from .checks import overdue_lpj
from .models import AmountChange, Document, HibahProgramme, Organisation, Proposal, Stage
from .services.proposals import approved_total
from .workflow import EVALUATION, FUNDED


def proposal_queue(
    region: Region, *, state: str = "", unit: Unit | None = None, overdue: bool = False
) -> QuerySet[Proposal]:
    """Proposals waiting at a step, oldest deadline first; at the evaluation a unit sees
    only what was assigned to it."""
    found = Proposal.objects.filter(region=region).select_related(
        "organisation", "programme", "evaluating_unit"
    )
    if state:
        found = found.filter(state=state)
    if unit is not None:
        found = found.filter(Q(evaluating_unit=unit) | ~Q(state=EVALUATION))
    if overdue:
        found = found.filter(due_at__lt=timezone.now())
    return found.order_by("due_at", "created_at", "id")


def proposal_get(region: Region, proposal_id: int) -> Proposal:
    found = (
        Proposal.objects.filter(region=region, pk=proposal_id)
        .select_related("organisation", "programme", "evaluating_unit")
        .first()
    )
    if found is None:
        raise NotFound()
    return found


def proposal_amounts(proposal: Proposal) -> dict[str, Decimal | None]:
    """The amount at every stage, requested to disbursed (None where not reached yet)."""
    amounts: dict[str, Decimal | None] = {
        str(stage): proposal.amount_at(stage)  # type: ignore[misc]
        for stage in Stage
    }
    amounts["disbursed"] = proposal.amount_disbursed
    return amounts


@dataclass(frozen=True)
class TimelineEntry:
    at: dt.datetime
    kind: str  # "transition" | "amount"
    action: str
    from_state: str
    to_state: str
    actor_id: int | None
    note: str
    amount: Decimal | None = None
    previous: Decimal | None = None


def proposal_timeline(region: Region, proposal: Proposal) -> list[TimelineEntry]:
    """Every step the proposal took and every amount set, in time order."""
    if proposal.region_id != region.pk:
        raise NotFound()
    steps = Transition.objects.filter(
        region=region, case_type=Proposal._meta.label_lower, case_id=str(proposal.pk)
    )
    entries = [
        TimelineEntry(
            t.created_at, "transition", t.action, t.from_state, t.to_state, t.actor_id, t.note
        )
        for t in steps
    ]
    for change in AmountChange.objects.filter(region=region, proposal=proposal):
        entries.append(
            TimelineEntry(
                change.created_at,
                "amount",
                str(change.stage),
                "",
                "",
                change.actor_id,
                change.justification,
                change.amount,
                change.previous,
            )
        )
    return sorted(entries, key=lambda e: (e.at, e.kind != "transition"))


@dataclass(frozen=True)
class ProgrammeUsage:
    programme: HibahProgramme
    ceiling: Decimal
    approved: Decimal
    remaining: Decimal
    funded_count: int


def programme_usage(region: Region, programme: HibahProgramme) -> ProgrammeUsage:
    """How much of the programme's ceiling the approved final amounts use."""
    if programme.region_id != region.pk:
        raise NotFound()
    approved = approved_total(region, programme)
    count = Proposal.objects.filter(region=region, programme=programme, state__in=FUNDED).count()
    return ProgrammeUsage(
        programme, programme.ceiling, approved, programme.ceiling - approved, count
    )


def lpj_overdue_list(region: Region, today: dt.date | None = None) -> QuerySet[Proposal]:
    """Disbursed grants whose LPJ is past due, longest overdue first."""
    today = today or RegionCalendar(region).local_date(timezone.now())
    return (
        overdue_lpj(region, today)
        .select_related("organisation", "programme")
        .order_by("lpj_due_on", "id")
    )


def organisation_proposals(region: Region, organisation: Organisation) -> QuerySet[Proposal]:
    if organisation.region_id != region.pk:
        raise NotFound()
    return Proposal.objects.filter(region=region, organisation=organisation).select_related(
        "programme"
    )


def organisations_of_account(region: Region, user: Any) -> QuerySet[Organisation]:
    """The organisations a citizen account may act for in the region."""
    return Organisation.objects.filter(region=region, accounts=user)


def document_visible(region: Region, user: User | None, pk: int) -> Document:
    """An uploaded document for the region's grants staff (and auditors) or one of its
    organisation's accounts. Anyone else gets NotFound, the answer for no such document,
    so the id does not tell them it exists."""
    found = (
        Document.objects.filter(region=region, pk=pk)
        .select_related("organisation", "proposal__organisation")
        .first()
    )
    if found is None or user is None:
        raise NotFound()
    if can(user, "grants.view_queue", region):
        return found
    owner = found.organisation or (found.proposal.organisation if found.proposal else None)
    if owner is None or not Organisation.objects.filter(pk=owner.pk, accounts=user).exists():
        raise NotFound()
    return found
