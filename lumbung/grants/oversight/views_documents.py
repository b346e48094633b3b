"""The generated PDFs for the region's grants staff: a programme's nominative list, a
proposal's NPHD draft and a tranche's disbursement order. Another region's id is a 404."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.urls import URLPattern, path
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from lumbung.core.errors import NotFound
from lumbung.core.views.helpers import RegionRequest, current_region, require_perm

from ..documents import PdfDocument, disbursement_order, nominative_list, nphd_draft
from .selectors import hibah_programme_get, proposal_get, tranche_get

# Everyone who works on proposals, and the auditors, may print what the proposals produce.
PERM = "grants.view_queue"


def pdf_response(document: PdfDocument) -> HttpResponse:
    response = HttpResponse(document.content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{document.filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_safe
@never_cache
@require_perm(PERM)
def nominative_pdf(request: RegionRequest, region_slug: str, pk: int) -> HttpResponse:
    region = current_region(request)
    try:
        document = nominative_list(region=region, programme=hibah_programme_get(region, pk))
    except NotFound:
        raise Http404 from None
    return pdf_response(document)


@require_safe
@never_cache
@require_perm(PERM)
def nphd_pdf(request: RegionRequest, region_slug: str, pk: int) -> HttpResponse:
    region = current_region(request)
    try:
        document = nphd_draft(region=region, proposal=proposal_get(region, pk))
    except NotFound:  # no such proposal here, or no final amount yet
        raise Http404 from None
    return pdf_response(document)


@require_safe
@never_cache
@require_perm(PERM)
def disbursement_pdf(request: RegionRequest, region_slug: str, pk: int) -> HttpResponse:
    region = current_region(request)
    try:
        document = disbursement_order(region=region, tranche=tranche_get(region, pk))
    except NotFound:
        raise Http404 from None
    return pdf_response(document)


urlpatterns: list[URLPattern] = [
    path("oversight/pdf/nominative/<int:pk>/", nominative_pdf, name="pdf-nominative"),
    path("oversight/pdf/nphd/<int:pk>/", nphd_pdf, name="pdf-nphd"),
    path("oversight/pdf/disbursement/<int:pk>/", disbursement_pdf, name="pdf-disbursement"),
]
