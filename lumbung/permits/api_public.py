"""The public side of the permits API: "what do I need" for some activities and a
capital, verifying a printed code, and the figures per permit type (the catalogue and the
KBLI search are in api_catalogue.py, beside the admin's changes to them). Anyone may call
these; nothing personal is ever in them."""

from typing import Any

from django.http import HttpRequest
from ninja import Path, Query, Router

from lumbung.api.auth import OPTIONAL_AUTH, OPTIONAL_SECURITY
from lumbung.api.context import region_of

from .api_common import kbli_out, requirement_out, types_out
from .api_schemas import (
    PermitPlanOut,
    PermitPlanQuery,
    PermitStatsRowOut,
    PermitVerificationOut,
    PermitVerifyQuery,
)
from .models import Lane
from .selectors import requirements_for, verify
from .selectors_stats import permits_stats

router = Router(tags=["permits"], auth=OPTIONAL_AUTH)
PUBLIC: dict[str, Any] = {"openapi_extra": OPTIONAL_SECURITY}


@router.get(
    "/plan",
    response=PermitPlanOut,
    summary="What do I need? (lane and documents before applying)",
    description="For KBLI codes (repeat `kbli`, the main activity first) and the capital "
    "excluding land and buildings: the scale, the lane (report only, self-declared or "
    "verified standard certificate, or permit), the permit type and the documents to upload. "
    "Codes: permits_kbli_unknown (422).",
    **PUBLIC,
)
def plan(
    request: HttpRequest, region_slug: Path[str], wanted: Query[PermitPlanQuery]
) -> dict[str, Any]:
    region = region_of(request)
    found = requirements_for(region, wanted.kbli, wanted.capital)
    permit_type = types_out(region, [found.permit_type])[0] if found.permit_type else None
    return {
        "lane": found.lane,
        "lane_label": str(Lane(found.lane).label),
        "instant": found.instant,
        "scale": found.scale,
        "activities": [kbli_out(k) for k in found.activities],
        "permit_type": permit_type,
        "requirements": [requirement_out(r) for r in found.requirements],
    }


@router.get(
    "/verify",
    response=PermitVerificationOut,
    summary="Verify a printed code",
    description="The code of a receipt's or permit's QR code: valid, expired, suspended, "
    "revoked, or unknown (a forged or altered code, or another region's). States the number, "
    "business name, permit type and validity; nothing personal.",
    **PUBLIC,
)
def verify_code(
    request: HttpRequest, region_slug: Path[str], wanted: Query[PermitVerifyQuery]
) -> dict[str, Any]:
    found = verify(region_of(request), wanted.code.strip())
    return {
        "status": found.status,
        "number": found.number,
        "business_name": found.business_name,
        "permit_type": found.permit_type,
        "lane": found.lane,
        "valid_from": found.valid_from,
        "valid_until": found.valid_until,
        "by_default": found.by_default,
    }


@router.get(
    "/stats",
    response=list[PermitStatsRowOut],
    summary="Figures per permit type and unit",
    description="One row per permit type (with its verifying unit) and one per instant lane: "
    "applications, issued, rejected, median processing time in working days (the region's "
    "time only), share decided within every deadline, approvals by default. Counts only.",
    **PUBLIC,
)
def stats(request: HttpRequest, region_slug: Path[str]) -> list[dict[str, Any]]:
    return permits_stats(region_of(request))
