"""Public bansos pages: the aggregates of approved lists (per programme, cycle and
kelurahan; recipient names with the last 4 NIK digits only where the region publishes
them) and "am I on the list?", which answers yes or no and never shows the NIK back."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.views.decorators.http import require_http_methods, require_safe

from lumbung.core.errors import DomainError
from lumbung.core.forms import apply_domain_error
from lumbung.core.models import Region
from lumbung.core.selectors import module_settings
from lumbung.core.views.helpers import current_region

from ..selectors_bansos import public_aggregates, public_recipient_names
from ..services.lookup import LookupAnswer, bansos_lookup
from .forms import LookupForm
from .selectors import kelurahan_label, programmes_by_code, public_cycle_get, public_cycles
from .views_common import found, private


def _named(region: Region, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each aggregate row with its programme (by code and year) and kelurahan name."""
    programmes = programmes_by_code(region)
    for row in rows:
        key: Any = (row.get("cycle__programme__code"), row.get("cycle__programme__year"))
        row["programme"] = programmes.get(key)
        if "person__kelurahan_code" in row:
            code = row["person__kelurahan_code"] or ""
            row["kelurahan"] = kelurahan_label(region, code) if code else ""
    return rows


@require_safe
def aggregates(request: HttpRequest, region_slug: str) -> HttpResponse:
    region = current_region(request)
    context = {
        "by_programme": _named(region, public_aggregates(region, by="programme")),
        "by_cycle": _named(region, public_aggregates(region, by="cycle")),
        "by_kelurahan": _named(region, public_aggregates(region, by="kelurahan")),
        "cycles": public_cycles(region),
        "names_published": bool(module_settings(region, "grants").get("publish_bansos_names")),
    }
    return render(request, "grants/bansos/public/aggregates.html", context)


@require_safe
def public_cycle(request: HttpRequest, region_slug: str, pk: int) -> HttpResponse:
    """One approved list: its figures, and its names where the region publishes them."""
    region = current_region(request)
    cycle = found(request, public_cycle_get, pk)
    rows = [r for r in public_aggregates(region, by="cycle") if _is(r, cycle)]
    context = {
        "cycle": cycle,
        "figures": rows[0] if rows else None,
        "names": public_recipient_names(region, cycle),
    }
    return render(request, "grants/bansos/public/cycle.html", context)


def _is(row: dict[str, Any], cycle: Any) -> bool:
    return (
        row["cycle__programme__code"] == cycle.programme.code
        and row["cycle__programme__year"] == cycle.programme.year
        and row["cycle__number"] == cycle.number
    )


@require_http_methods(["GET", "HEAD", "POST"])
def lookup(request: HttpRequest, region_slug: str) -> HttpResponse:
    """The answer is the page of the POST itself (nothing in the URL or the session), and
    the NIK is shown masked; a lookup over the limit is a 429 with the wait."""
    region = current_region(request)
    form = LookupForm(request.POST if request.method == "POST" else None)
    answer: LookupAnswer | None = None
    masked, status, wait = "", 200, None
    if request.method == "POST":
        status = 422
        if form.is_valid():
            nik = "".join(form.cleaned_data["nik"].split())
            try:
                answer = bansos_lookup(
                    region=region,
                    nik=nik,
                    name=form.cleaned_data["name"],
                    address=request.META.get("REMOTE_ADDR", ""),
                )
            except DomainError as error:
                apply_domain_error(form, error)
                status, wait = error.status, getattr(error, "retry_after", None)
            else:
                status, masked = 200, "•" * 12 + nik[-4:]
    context = {"form": form, "answer": answer, "masked": masked, "wait": wait}
    response = render(request, "grants/bansos/public/lookup.html", context, status=status)
    if wait:
        response["Retry-After"] = str(wait)
    return private(response)


urlpatterns: list[URLPattern] = [
    path("bansos/", aggregates, name="bansos-public"),
    path("bansos/lists/<int:pk>/", public_cycle, name="bansos-public-cycle"),
    path("bansos/lookup/", lookup, name="bansos-lookup"),
]
