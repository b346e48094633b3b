"""Detectors about organisations and proposals (hibah)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import (
    Case,
    Count,
    DateField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Value,
    When,
    Window,
)
from django.db.models.expressions import Combinable
from django.db.models.functions import Concat, Lower, Substr, TruncDate

from lumbung.core.models import Region
from lumbung.core.selectors import module_settings

from ..models import AmountChange, FlagKind, Organisation, Proposal, Tranche
from ..workflow import CLOSED
from .common import NEVER_FUNDED, Finding, digest, money_text, strip_chars

# --- Funded in consecutive years -----------------------------------------------------------


def consecutive_organisations(region: Region, today: dt.date) -> list[Finding]:
    """An organisation with a final amount in a programme of year Y and one of Y+1."""
    funded = Proposal.objects.filter(region=region, amount_final__isnull=False).exclude(
        state__in=NEVER_FUNDED
    )
    year = OuterRef("programme__year")
    neighbour = funded.filter(organisation=OuterRef("organisation")).filter(
        Q(programme__year=year + 1) | Q(programme__year=year - 1)
    )
    rows = (
        funded.filter(Exists(neighbour))
        .values_list("pk", "organisation_id", "organisation__name", "programme__year")
        .order_by("organisation_id", "programme__year", "pk")
    )
    by_org: dict[int, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
    names: dict[int, str] = {}
    for pk, org, name, year_value in rows:
        by_org[org][year_value].append(pk)
        names[org] = name
    findings = []
    for org, years in by_org.items():
        for first in sorted(years):
            if first + 1 not in years:
                continue
            later = years[first + 1]
            findings.append(
                Finding(
                    FlagKind.CONSECUTIVE_YEARS,
                    f"org:{org}:{first}",
                    {
                        "organisation": org,
                        "organisation_name": names[org],
                        "years": [first, first + 1],
                        "proposals": years[first] + later,
                    },
                    proposal_id=max(later),
                    organisation_id=org,
                )
            )
    return findings


# --- Same bank account, phone or address across organisations ------------------------------


DIGIT_NOISE = " -./()+\t"


def _shared(
    region: Region, kind: FlagKind, normalised: Combinable, field_name: str
) -> list[Finding]:
    """Organisations whose normalised `field_name` is the same as another's."""
    rows = (
        Organisation.objects.filter(region=region)
        .annotate(norm=normalised)
        .exclude(norm="")
        .annotate(sharing=Window(Count("pk"), partition_by=[F("norm")]))
        .filter(sharing__gt=1)
        .values_list("norm", "pk", "name", field_name)
        .order_by("norm", "pk")
    )
    groups: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
    for norm, pk, name, raw in rows:
        groups[norm].append((pk, name, raw))
    findings = []
    for norm, members in groups.items():
        evidence: dict[str, Any] = {
            "organisations": [pk for pk, _name, _raw in members],
            "organisation_names": [name for _pk, name, _raw in members],
        }
        # Enough to recognise it, not the whole account or phone number.
        evidence["value"] = members[0][2] if kind == FlagKind.SHARED_ADDRESS else norm[-4:]
        newest = max(pk for pk, _name, _raw in members)
        findings.append(Finding(kind, f"{kind}:{digest(norm)}", evidence, organisation_id=newest))
    return findings


def shared_bank_accounts(region: Region, today: dt.date) -> list[Finding]:
    return _shared(
        region,
        FlagKind.SHARED_BANK,
        strip_chars(F("bank_account_number"), DIGIT_NOISE),
        "bank_account_number",
    )


def shared_phones(region: Region, today: dt.date) -> list[Finding]:
    # +62 812… and 0812… are the same number.
    digits = strip_chars(F("phone"), DIGIT_NOISE)
    national = Case(
        When(
            Q(phone__startswith="+62") | Q(phone__startswith="62"),
            then=Concat(Value("0"), Substr(digits, 3)),
        ),
        default=digits,
    )
    return _shared(region, FlagKind.SHARED_PHONE, national, "phone")


def shared_addresses(region: Region, today: dt.date) -> list[Finding]:
    folded = strip_chars(Lower(F("address")), " .,\t\r\n")
    return _shared(region, FlagKind.SHARED_ADDRESS, folded, "address")


# --- Organisation registered too recently --------------------------------------------------


def recent_organisations(region: Region, today: dt.date) -> list[Finding]:
    """A proposal from an organisation whose legal registration was less than the region's
    `organisation_min_age_days` before the proposal was made."""
    days = int(module_settings(region, "grants")["organisation_min_age_days"])
    created_on = TruncDate("created_at", tzinfo=ZoneInfo(region.timezone))
    threshold = ExpressionWrapper(
        F("created_on") - Value(dt.timedelta(days=days)), output_field=DateField()
    )
    rows = (
        Proposal.objects.filter(region=region)
        .exclude(state__in=NEVER_FUNDED)
        .annotate(created_on=created_on)
        .filter(organisation__legal_date__gt=threshold)
        .values_list(
            "pk", "organisation_id", "organisation__name", "organisation__legal_date", "created_on"
        )
    )
    findings = []
    for pk, org, name, legal_date, created in rows:
        if isinstance(created, str):  # SQLite hands back text for the truncated date
            created = dt.date.fromisoformat(created[:10])
        evidence = {
            "proposal": pk,
            "organisation": org,
            "organisation_name": name,
            "legal_date": legal_date.isoformat(),
            "proposal_date": created.isoformat(),
            "age_days": (created - legal_date).days,
            "min_age_days": days,
        }
        findings.append(
            Finding(
                FlagKind.RECENT_ORGANISATION,
                f"proposal:{pk}",
                evidence,
                proposal_id=pk,
                organisation_id=org,
            )
        )
    return findings


# --- Amounts rising between stages ---------------------------------------------------------


def amount_rises(region: Region, today: dt.date) -> list[Finding]:
    """Every stage amount above the stage before it, shown with its justification."""
    rows = (
        AmountChange.objects.filter(region=region, previous__isnull=False)
        .filter(amount__gt=F("previous"))
        .values_list(
            "pk", "proposal_id", "proposal__number", "stage", "previous", "amount", "justification"
        )
    )
    return [
        Finding(
            FlagKind.AMOUNT_RISE,
            f"amount:{pk}",
            {
                "amount_change": pk,
                "proposal": proposal,
                "proposal_number": number,
                "stage": stage,
                "previous": money_text(previous),
                "amount": money_text(amount),
                "justification": justification,
            },
            proposal_id=proposal,
        )
        for pk, proposal, number, stage, previous, amount, justification in rows
    ]


# --- Disbursed before the NPHD was signed --------------------------------------------------


def early_disbursements(region: Region, today: dt.date) -> list[Finding]:
    rows = (
        Tranche.objects.filter(region=region)
        .filter(
            Q(proposal__nphd_signed_on__isnull=True) | Q(paid_on__lt=F("proposal__nphd_signed_on"))
        )
        .values_list(
            "pk",
            "number",
            "proposal_id",
            "proposal__number",
            "paid_on",
            "amount",
            "proposal__nphd_signed_on",
        )
    )
    findings = []
    for pk, number, proposal, proposal_number, paid_on, amount, signed_on in rows:
        evidence = {
            "tranche": pk,
            "tranche_number": number,
            "proposal": proposal,
            "proposal_number": proposal_number,
            "paid_on": paid_on.isoformat(),
            "amount": money_text(amount),
            "nphd_signed_on": signed_on.isoformat() if signed_on else None,
        }
        findings.append(
            Finding(FlagKind.EARLY_DISBURSEMENT, f"tranche:{pk}", evidence, proposal_id=proposal)
        )
    return findings


# --- LPJ overdue ---------------------------------------------------------------------------


def lpj_overdue(region: Region, today: dt.date) -> list[Finding]:
    """Money went out, the LPJ due date has passed and no LPJ came in."""
    paid = Tranche.objects.filter(region=region, proposal=OuterRef("pk"))
    rows = (
        Proposal.objects.filter(region=region, lpj_due_on__lt=today, lpj_submitted_at__isnull=True)
        .exclude(state__in=(*NEVER_FUNDED, CLOSED))
        .filter(Exists(paid))
        .values_list("pk", "number", "organisation_id", "organisation__name", "lpj_due_on")
    )
    return [
        Finding(
            FlagKind.LPJ_OVERDUE,
            f"proposal:{pk}",
            {
                "proposal": pk,
                "proposal_number": number,
                "organisation": org,
                "organisation_name": name,
                "due_on": due_on.isoformat(),
            },
            proposal_id=pk,
            organisation_id=org,
        )
        for pk, number, org, name, due_on in rows
    ]
