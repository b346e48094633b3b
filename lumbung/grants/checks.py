"""Checklist answers the system computes, never ticked by hand. A ChecklistItem whose
`computed_check` names one of COMPUTED_CHECKS is answered by that function, which returns
whether the proposal passes and the evidence it looked at (shown as the answer's reason)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from lumbung.core.calendar import RegionCalendar
from lumbung.core.models import Region
from lumbung.core.selectors import module_settings

from .models import Document, Proposal
from .workflow import AGREEMENT, CLOSED, DECIDED, DISBURSED, LPJ_SUBMITTED

MODULE = "grants"
# A grant counts as received once the head of region has decided it.
RECEIVED = (DECIDED, AGREEMENT, DISBURSED, LPJ_SUBMITTED, CLOSED)
ORGANISATION_DOCUMENTS = (
    Document.Kind.DEED,
    Document.Kind.LEGAL,
    Document.Kind.NPWP,
    Document.Kind.DOMICILE,
    Document.Kind.BANK,
)
PROPOSAL_DOCUMENTS = (Document.Kind.PROPOSAL, Document.Kind.RAB)


@dataclass(frozen=True)
class Outcome:
    passed: bool
    evidence: dict[str, Any]


def overdue_lpj(region: Region, today: dt.date) -> QuerySet[Proposal]:
    """Disbursed proposals whose LPJ is past due and not (or no longer) under review."""
    return Proposal.objects.filter(region=region, state=DISBURSED, lpj_due_on__lt=today)


def no_overdue_lpj(proposal: Proposal, today: dt.date) -> Outcome:
    late = overdue_lpj(proposal.region, today).filter(organisation_id=proposal.organisation_id)
    rows = [{"number": p.number, "lpj_due_on": p.lpj_due_on.isoformat()} for p in late]  # type: ignore[union-attr]
    return Outcome(not rows, {"today": today.isoformat(), "overdue": rows})


def no_previous_year_grant(proposal: Proposal, today: dt.date) -> Outcome:
    year = proposal.programme.year - 1
    earlier = Proposal.objects.filter(
        region=proposal.region,
        organisation_id=proposal.organisation_id,
        programme__year=year,
        state__in=RECEIVED,
    ).order_by("id")
    numbers = [p.number for p in earlier]
    return Outcome(not numbers, {"year": year, "proposals": numbers})


def organisation_min_age(proposal: Proposal, today: dt.date) -> Outcome:
    days = int(module_settings(proposal.region, MODULE)["organisation_min_age_days"])
    submitted = RegionCalendar(proposal.region).local_date(proposal.created_at)
    legal = proposal.organisation.legal_date
    age = (submitted - legal).days
    evidence = {
        "legal_date": legal.isoformat(),
        "submitted_on": submitted.isoformat(),
        "age_days": age,
        "min_days": days,
    }
    return Outcome(age >= days, evidence)


def documents_attached(proposal: Proposal, today: dt.date) -> Outcome:
    have = set(
        Document.objects.filter(
            region=proposal.region, organisation_id=proposal.organisation_id
        ).values_list("kind", flat=True)
    ) | set(
        Document.objects.filter(region=proposal.region, proposal_id=proposal.pk).values_list(
            "kind", flat=True
        )
    )
    wanted = [str(k) for k in (*ORGANISATION_DOCUMENTS, *PROPOSAL_DOCUMENTS)]
    missing = [k for k in wanted if k not in have]
    return Outcome(not missing, {"missing": missing, "present": sorted(have & set(wanted))})


COMPUTED_CHECKS: dict[str, Callable[[Proposal, dt.date], Outcome]] = {
    "no_overdue_lpj": no_overdue_lpj,
    "no_previous_year_grant": no_previous_year_grant,
    "organisation_min_age": organisation_min_age,
    "documents_attached": documents_attached,
}
