"""An organisation's or a proposal's document, served through a view (never as a plain
media file): to the organisation's own accounts and to the region's grants staff only."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest
from django.urls import URLPattern, path
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from lumbung.core.permissions import can
from lumbung.core.views.helpers import current_region

from ..models import Document
from ..services.organisations import is_account
from .common import signed_in


@signed_in
@require_safe
@never_cache
def document(request: HttpRequest, region_slug: str, pk: int) -> FileResponse:
    region = current_region(request)
    found = (
        Document.objects.filter(region=region, pk=pk)
        .select_related("organisation", "proposal__organisation")
        .first()
    )
    if found is None:
        raise Http404
    owner = found.organisation or (found.proposal.organisation if found.proposal else None)
    staff = can(request.user, "grants.view_queue", region)
    if not staff and (owner is None or not is_account(owner, request.user)):  # type: ignore[arg-type]
        raise Http404  # not theirs: the same answer as no such document
    response = FileResponse(found.file.open("rb"), as_attachment=True, filename=found.filename)
    response["Content-Type"] = found.content_type
    response["X-Content-Type-Options"] = "nosniff"
    return response


urlpatterns: list[URLPattern] = [path("documents/<int:pk>/", document, name="document")]
