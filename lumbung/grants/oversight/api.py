"""Oversight routes of the grants API, added to the module's router: red flags (list, refresh,
dismiss), citizens' suspicions (raise, open list, review), hibah as 360Giving open data, and
the generated PDFs."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Path, Query, Router, Status
from ninja.pagination import paginate

from lumbung.api.auth import OPTIONAL_AUTH, OPTIONAL_SECURITY
from lumbung.api.context import region_of, require
from lumbung.api.pagination import Page

from ..documents import PdfDocument, disbursement_order, nominative_list, nphd_draft
from ..models import Suspicion
from ..opendata import hibah_360giving, hibah_360giving_csv
from ..services.flags import flag_dismiss, flags_refresh
from ..services.suspicions import suspicion_raise, suspicion_review
from .api_schemas import (
    DismissIn,
    FlagOut,
    FlagQuery,
    RefreshedOut,
    ReviewIn,
    SuspicionIn,
    SuspicionOut,
    SuspicionSentOut,
    YearQuery,
    flag_out,
)
from .selectors import (
    FlagFilters,
    bansos_programme_get,
    flag_get,
    flag_list,
    flags_explained,
    hibah_programme_get,
    proposal_by_public_id,
    proposal_get,
    suspicion_get,
    suspicions_open,
    tranche_get,
)

router = Router(tags=["grants"])
PUBLIC: dict[str, Any] = {"auth": OPTIONAL_AUTH, "openapi_extra": OPTIONAL_SECURITY}
# Dismissing is checked by the service (grants.dismiss_flag), on top of seeing the flags.
VIEW, REVIEW, DOCUMENTS = "grants.view_flags", "grants.review_suspicion", "grants.view_queue"


def _file(content_type: str, description: str) -> dict[str, Any]:
    """The OpenAPI answer of a route that sends a file rather than JSON."""
    schema = {"type": "string", "format": "binary" if "pdf" in content_type else None}
    schema = {k: v for k, v in schema.items() if v}
    return {
        "responses": {
            200: {"description": description, "content": {content_type: {"schema": schema}}}
        }
    }


# Red flags --------------------------------------------------------------------------------


class ExplainedPage(Page):
    """Explains only the flags of the page, reading their evidence once per kind of row."""

    def paginate_queryset(
        self, queryset: Any, pagination: Any, request: HttpRequest, **params: Any
    ) -> Any:
        result = super().paginate_queryset(queryset, pagination, request=request, **params)
        rows = flags_explained(region_of(request), result[self.items_attribute])
        result[self.items_attribute] = [flag_out(row) for row in rows]
        return result


@router.get("/flags", response=list[FlagOut], summary="Red flags, each explained")
@paginate(ExplainedPage)
def flags(request: HttpRequest, region_slug: Path[str], filters: Query[FlagQuery]):  # type: ignore[no-untyped-def]
    """The region's red flags, newest first; by default those found at the last refresh and
    not dismissed."""
    region, _user = require(request, VIEW)
    return flag_list(region, FlagFilters(kind=filters.kind or "", status=filters.status))


@router.post("/flags/refresh", response=RefreshedOut, summary="Run the red-flag detectors now")
def flags_refresh_now(request: HttpRequest, region_slug: Path[str]) -> Any:
    region, _user = require(request, VIEW)
    return flags_refresh(region=region)


@router.post(
    "/flags/{int:flag_id}/dismiss", response=FlagOut, summary="Dismiss a flag, with the reason"
)
def flag_dismiss_route(
    request: HttpRequest, region_slug: Path[str], flag_id: Path[int], data: DismissIn
) -> Any:
    region, user = require(request, VIEW)
    done = flag_dismiss(
        region=region, actor=user, flag=flag_get(region, flag_id), reason=data.reason
    )
    return flag_out(flags_explained(region, [done])[0])


# Suspicions -------------------------------------------------------------------------------


@router.post(
    "/suspicions",
    response={201: SuspicionSentOut},
    summary="Report a suspicious proposal or bansos recipient",
    **PUBLIC,
)
def suspicion_raise_route(request: HttpRequest, region_slug: Path[str], data: SuspicionIn) -> Any:
    """Anonymous callers are limited per address and contact (429 with Retry-After). The
    report becomes a private complaint when the complaints module is on, otherwise a review
    task for the auditors."""
    region = region_of(request)
    user = request.user if request.user.is_authenticated else None
    about: dict[str, Any] = {}
    if data.proposal is not None:
        about["proposal"] = proposal_by_public_id(region, str(data.proposal))
    if data.programme is not None:
        about["programme"] = bansos_programme_get(region, data.programme)
    raised = suspicion_raise(
        region=region,
        actor=user,
        text=data.text,
        recipient_name=data.recipient_name,
        kelurahan_code=data.kelurahan_code,
        contact_email=data.contact_email,
        address=request.META.get("REMOTE_ADDR", ""),
        **about,
    )
    ticket = raised.complaint.ticket if raised.complaint is not None else ""
    return Status(201, {"handled_as": "complaint" if ticket else "review", "ticket": ticket})


@router.get("/suspicions", response=list[SuspicionOut], summary="Suspicions waiting for review")
@paginate(Page)
def suspicions(request: HttpRequest, region_slug: Path[str]):  # type: ignore[no-untyped-def]
    """Not reviewed yet and not filed as complaints, the oldest first (auditors)."""
    region, _user = require(request, REVIEW)
    return suspicions_open(region)


@router.post(
    "/suspicions/{int:suspicion_id}/review",
    response=SuspicionOut,
    summary="Record a review's outcome",
)
def suspicion_review_route(
    request: HttpRequest, region_slug: Path[str], suspicion_id: Path[int], data: ReviewIn
) -> Suspicion:
    region, user = require(request, REVIEW)
    found = suspicion_get(region, suspicion_id)
    return suspicion_review(region=region, actor=user, suspicion=found, outcome=data.outcome)


# Open data --------------------------------------------------------------------------------


@router.get(
    "/opendata/360giving.json",
    response=dict[str, Any],
    summary="Awarded hibah as a 360Giving JSON package (CC BY 4.0)",
    **PUBLIC,
)
def opendata_json(request: HttpRequest, region_slug: Path[str], filters: Query[YearQuery]) -> Any:
    return hibah_360giving(region=region_of(request), year=filters.year)


@router.get(
    "/opendata/360giving.csv",
    summary="Awarded hibah as 360Giving summary-table CSV (CC BY 4.0)",
    auth=OPTIONAL_AUTH,
    openapi_extra={**OPTIONAL_SECURITY, **_file("text/csv", "One grant per row")},
)
def opendata_csv(
    request: HttpRequest, region_slug: Path[str], filters: Query[YearQuery]
) -> HttpResponse:
    body = hibah_360giving_csv(region=region_of(request), year=filters.year)
    return HttpResponse(body, content_type="text/csv; charset=utf-8")


# PDFs -------------------------------------------------------------------------------------


def _pdf(document: PdfDocument) -> HttpResponse:
    response = HttpResponse(document.content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{document.filename}"'
    return response


PDF = _file("application/pdf", "The PDF, as an attachment")


@router.get(
    "/documents/nominative/{int:programme_id}",
    summary="A programme's nominative list (PDF)",
    openapi_extra=PDF,
)
def nominative_pdf(
    request: HttpRequest, region_slug: Path[str], programme_id: Path[int]
) -> HttpResponse:
    region, _user = require(request, DOCUMENTS)
    return _pdf(nominative_list(region=region, programme=hibah_programme_get(region, programme_id)))


@router.get(
    "/documents/nphd/{int:proposal_id}", summary="A proposal's NPHD draft (PDF)", openapi_extra=PDF
)
def nphd_pdf(request: HttpRequest, region_slug: Path[str], proposal_id: Path[int]) -> HttpResponse:
    region, _user = require(request, DOCUMENTS)
    return _pdf(nphd_draft(region=region, proposal=proposal_get(region, proposal_id)))


@router.get(
    "/documents/disbursement/{int:tranche_id}",
    summary="A tranche's disbursement order (PDF)",
    openapi_extra=PDF,
)
def disbursement_pdf(
    request: HttpRequest, region_slug: Path[str], tranche_id: Path[int]
) -> HttpResponse:
    region, _user = require(request, DOCUMENTS)
    return _pdf(disbursement_order(region=region, tranche=tranche_get(region, tranche_id)))
