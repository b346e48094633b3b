"""What the public sees of hibah: every proposal with its organisation, purpose, amount at
each stage, current stage and dates. Nothing personal: no officer names, no contact, no
bank account, no documents."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.db.models import Q, QuerySet, Sum

from lumbung.core.errors import NotFound
from lumbung.core.models import Region, Transition
from lumbung.core.workflow_selectors import state_labels

from .models import HibahProgramme, Proposal
from .workflow import FUNDED, HIBAH_FLOW

PAGE_SIZE = 25


@dataclass(frozen=True)
class RegisterFilters:
    year: int | None = None
    programme: int | None = None  # programme id
    state: str = ""
    kelurahan: str = ""
    q: str = ""  # words in the title, purpose or organisation name


@dataclass(frozen=True)
class RegisterTotals:
    proposals: int
    requested: Decimal
    final: Decimal
    disbursed: Decimal


@dataclass
class StageStep:
    state: str
    label: str
    at: dt.datetime


@dataclass
class PublicProposal:
    proposal: Proposal
    steps: list[StageStep] = field(default_factory=list)


def _base(region: Region) -> QuerySet[Proposal]:
    return Proposal.objects.filter(region=region).select_related("organisation", "programme")


def register_filter(region: Region, filters: RegisterFilters) -> QuerySet[Proposal]:
    rows = _base(region)
    if filters.year:
        rows = rows.filter(programme__year=filters.year)
    if filters.programme:
        rows = rows.filter(programme_id=filters.programme)
    if filters.state:
        rows = rows.filter(state=filters.state)
    if filters.kelurahan:
        rows = rows.filter(kelurahan_code=filters.kelurahan)
    for word in filters.q.split()[:6]:
        rows = rows.filter(
            Q(title__icontains=word)
            | Q(purpose__icontains=word)
            | Q(organisation__name__icontains=word)
            | Q(number__iexact=word)
        )
    return rows.order_by("-created_at", "-id")


def register_totals(rows: QuerySet[Proposal]) -> RegisterTotals:
    """Totals over the filtered proposals; the final amount counts only proposals that
    reached it (the budget team set it and nothing undid it)."""
    sums = rows.aggregate(
        requested=Sum("amount_requested"),
        final=Sum("amount_final", filter=Q(state__in=FUNDED)),
        disbursed=Sum("amount_disbursed"),
    )
    zero = Decimal(0)
    return RegisterTotals(
        proposals=rows.count(),
        requested=sums["requested"] or zero,
        final=sums["final"] or zero,
        disbursed=sums["disbursed"] or zero,
    )


def register_points(rows: QuerySet[Proposal], limit: int = 500) -> list[dict[str, Any]]:
    """Map pins of the filtered proposals that have a location, newest first."""
    pinned = rows.exclude(latitude=None).exclude(longitude=None)
    return [
        {
            "lat": float(lat or 0),
            "lng": float(lng or 0),
            "public_id": str(public_id),
            "label": f"{number} · {name}",
        }
        for public_id, number, name, lat, lng in pinned.values_list(
            "public_id", "number", "organisation__name", "latitude", "longitude"
        )[:limit]
    ]


def register_get(
    region: Region, public_id: UUID | str, names: Mapping[str, str] | None = None
) -> PublicProposal:
    """One proposal by its public id with the dates it entered each stage (no actors: the
    public sees when, the staff pages show who), each stage by the region's name for it
    (`names`, when the caller has read them already)."""
    proposal = _base(region).filter(public_id=public_id).first()
    if proposal is None:
        raise NotFound()
    moves = Transition.objects.filter(
        region=region, case_type=Proposal._meta.label_lower, case_id=str(proposal.pk)
    ).values_list("to_state", "created_at")
    names = state_labels(region, HIBAH_FLOW.key) if names is None else names
    steps = [StageStep(state, names.get(state, state), at) for state, at in moves]
    return PublicProposal(proposal, steps)


def register_years(region: Region) -> list[int]:
    return list(
        HibahProgramme.objects.filter(region=region)
        .values_list("year", flat=True)
        .distinct()
        .order_by("-year")
    )


def register_programmes(region: Region) -> list[HibahProgramme]:
    return list(HibahProgramme.objects.filter(region=region).order_by("-year", "code"))
