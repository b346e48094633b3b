"""An organisation's or a proposal's document, served through a view (never as a plain
media file): to the organisation's own accounts and to the region's grants staff only."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest
from django.urls import URLPattern, path
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from lumbung.core.errors import NotFound
from lumbung.core.views.helpers import current_region

from ..responses import document_response
from ..selectors_hibah import document_visible
from .common import signed_in


@signed_in
@require_safe
@never_cache
def document(request: HttpRequest, region_slug: str, pk: int) -> FileResponse:
    try:
        found = document_visible(current_region(request), request.user, pk)  # type: ignore[arg-type]
    except NotFound:
        raise Http404 from None  # not theirs: the same answer as no such document
    return document_response(found)


urlpatterns: list[URLPattern] = [path("documents/<int:pk>/", document, name="document")]
