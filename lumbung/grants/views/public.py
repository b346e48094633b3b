"""Public pages of the module: the hibah register (list, map, one proposal)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path, reverse
from django.views.decorators.http import require_safe

from lumbung.core.errors import NotFound
from lumbung.core.views.helpers import current_region

from ..forms_public import RegisterFilterForm
from ..selectors_public import (
    PAGE_SIZE,
    register_filter,
    register_get,
    register_points,
    register_totals,
)
from .common import map_settings, step_names


def _pins(region_slug: str, points: list[dict[str, Any]]) -> list[dict[str, Any]]:
    marker = "00000000-0000-0000-0000-000000000000"
    pattern = reverse(
        "core:grants:proposal", kwargs={"region_slug": region_slug, "public_id": marker}
    )
    return [{**p, "url": pattern.replace(marker, p.pop("public_id"))} for p in points]


@require_safe
def register(request: HttpRequest, region_slug: str) -> HttpResponse:
    region = current_region(request)
    form = RegisterFilterForm(request.GET or None, region=region)
    rows = register_filter(region, form.filters())
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    names = step_names(request, region)
    context = {
        "form": form,
        "page": page,
        "proposals": [(p, names.get(p.state, p.state)) for p in page.object_list],
        "totals": register_totals(rows),
        "points": _pins(region.slug, register_points(rows)),
        "query": query.urlencode(),
        "map": map_settings(),
    }
    return render(request, "grants/public/register.html", context)


@require_safe
def proposal(request: HttpRequest, region_slug: str, public_id: UUID) -> HttpResponse:
    region = current_region(request)
    names = step_names(request, region)
    try:
        found = register_get(region, public_id, names)
    except NotFound:
        raise Http404 from None
    context = {
        "proposal": found.proposal,
        "steps": found.steps,
        "state_label": names.get(found.proposal.state, found.proposal.state),
    }
    return render(request, "grants/public/proposal.html", context)


urlpatterns: list[URLPattern] = [
    path("", register, name="register"),
    path("register/<uuid:public_id>/", proposal, name="proposal"),
]
