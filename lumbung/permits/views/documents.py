"""Files: the issued receipt or permit as PDF (its holder, or the region's staff), and an
application's uploaded documents and inspection photos (its applicant, or the staff)."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, path
from django.views.decorators.http import require_safe

from lumbung.core.models import Region, User
from lumbung.core.permissions import can
from lumbung.core.views.helpers import current_region

from ..documents import document_pdf
from ..models import Application, ApplicationDocument, InspectionPhoto
from .common import permit_or_404, signed_in


def may_see(region: Region, user: User, application: Application) -> bool:
    return application.applicant_id == user.pk or can(user, "permits.view_queue", region)


@require_safe
@signed_in
def permit_pdf(request: HttpRequest, region_slug: str, pk: int) -> HttpResponse:
    region = current_region(request)
    permit = permit_or_404(region, pk)
    if not may_see(region, request.user, permit.application):  # type: ignore[arg-type]
        raise Http404
    language = "en" if (request.LANGUAGE_CODE or "").startswith("en") else "id"
    response = HttpResponse(document_pdf(region, permit, language), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{permit.number}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
@signed_in
def uploaded(request: HttpRequest, region_slug: str, pk: int) -> FileResponse:
    region = current_region(request)
    doc = (
        ApplicationDocument.objects.filter(region=region, pk=pk)
        .select_related("application")
        .first()
    )
    if doc is None or not may_see(region, request.user, doc.application):  # type: ignore[arg-type]
        raise Http404
    response = FileResponse(doc.file.open("rb"), content_type=doc.content_type)
    response["Content-Disposition"] = f'inline; filename="{doc.filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
@signed_in
def photo(request: HttpRequest, region_slug: str, pk: int) -> FileResponse:
    region = current_region(request)
    found = (
        InspectionPhoto.objects.filter(region=region, pk=pk)
        .select_related("inspection__application")
        .first()
    )
    if found is None or not can(request.user, "permits.view_queue", region):
        raise Http404
    response = FileResponse(found.file.open("rb"), content_type=found.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


urlpatterns: list[URLPattern] = [
    path("permits/<int:pk>/document.pdf", permit_pdf, name="permit-pdf"),
    path("files/<int:pk>/", uploaded, name="file"),
    path("photos/<int:pk>/", photo, name="photo"),
]
