"""Public routes of the bansos API: aggregates of the approved lists, the recipients' names
(last 4 NIK digits) where the region publishes them, and "am I on the list?" (a POST, so
the NIK stays out of URLs and logs)."""

from typing import Any

from django.http import HttpRequest
from ninja import Path, Query, Router

from lumbung.api.auth import OPTIONAL_AUTH, OPTIONAL_SECURITY
from lumbung.api.context import region_of

from ..selectors_bansos import public_aggregates, public_recipient_names
from ..services.lookup import bansos_lookup
from .api_schemas import AggregateOut, AggregateQuery, LookupIn, LookupOut, RecipientsOut
from .selectors import kelurahan_label, programmes_by_code, public_cycle_get

router = Router(tags=["grants"])
PUBLIC: dict[str, Any] = {"auth": OPTIONAL_AUTH, "openapi_extra": OPTIONAL_SECURITY}


@router.get(
    "/bansos/public/aggregates",
    response=list[AggregateOut],
    summary="Counts and totals of the approved bansos lists",
    description="by=programme (default), cycle or kelurahan. No personal data.",
    **PUBLIC,
)
def aggregates(request: HttpRequest, region_slug: Path[str], query: Query[AggregateQuery]) -> Any:
    region = region_of(request)
    programmes = programmes_by_code(region)
    rows = []
    for row in public_aggregates(region, by=query.by):
        code, year = row.get("cycle__programme__code"), row.get("cycle__programme__year")
        found = programmes.get((code, year)) if code is not None and year is not None else None
        kelurahan = row.get("person__kelurahan_code")
        rows.append(
            {
                "programme_code": code,
                "programme": found.name if found else None,
                "year": year,
                "cycle": row.get("cycle__number"),
                "kelurahan_code": kelurahan,
                "kelurahan": kelurahan_label(region, kelurahan) if kelurahan else None,
                **{k: row[k] for k in ("recipients", "received", "total", "total_received")},
            }
        )
    return rows


@router.get(
    "/bansos/public/cycles/{int:cycle_id}/recipients",
    response=RecipientsOut,
    summary="The names on an approved list, where the region publishes them",
    description="Names with the last 4 NIK digits; `published` false (and no names) where "
    "the region does not publish them. A cycle not approved yet is a 404.",
    **PUBLIC,
)
def recipients(request: HttpRequest, region_slug: Path[str], cycle_id: Path[int]) -> Any:
    region = region_of(request)
    names = public_recipient_names(region, public_cycle_get(region, cycle_id))
    return {"published": names is not None, "recipients": names or []}


@router.post(
    "/bansos/lookup",
    response=LookupOut,
    summary="Am I on the list? (NIK and name)",
    description="Answers only whether this NIK with this name is on an approved list, with "
    "the programme, cycle and status. A wrong name answers as an unknown NIK. Limited per "
    "address and per NIK: bansos_lookup_limited (429, Retry-After).",
    **PUBLIC,
)
def lookup(request: HttpRequest, region_slug: Path[str], data: LookupIn) -> Any:
    answer = bansos_lookup(
        region=region_of(request),
        nik="".join(data.nik.split()),
        name=data.name,
        address=request.META.get("REMOTE_ADDR", ""),
    )
    return {"on_list": answer.on_list, "entries": [e.__dict__ for e in answer.entries]}
