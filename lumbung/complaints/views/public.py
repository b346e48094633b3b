"""Public pages of the module: the list and map of public reports, the filing form with
its nearby-reports check, the confirmation after filing and a citizen's own reports. The
tracking page and the figures live beside this file; all routes are gathered here."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.views.decorators.http import require_http_methods, require_safe

from lumbung.core.errors import DomainError
from lumbung.core.forms import apply_domain_error
from lumbung.core.views.helpers import current_region

from ..errors import ComplaintError
from ..forms import PublicFilterForm, ReportForm
from ..models import Source
from ..selectors import (
    Cursor,
    report_get,
    report_public_page,
    report_public_points,
    reports_nearby,
    reports_of,
)
from ..services import ReportInput, report_file
from ..workflow import REPORT_FLOW
from . import public_stats, public_track
from .public_common import map_settings, remember_key, signed_in

FILED = "complaints_filed"  # session: the report just filed, shown once


def _track_url(region_slug: str, ticket: str) -> str:
    return reverse("core:complaints:track", kwargs={"region_slug": region_slug, "ticket": ticket})


def _map_points(
    region_slug: str, rows: list[dict[str, Any]], english: bool
) -> list[dict[str, Any]]:
    # One reverse() for all the pins: 500 of them took a third of the page's time.
    marker = "TICKET"
    pattern = _track_url(region_slug, marker)
    return [
        {
            "lat": r["lat"],
            "lng": r["lng"],
            "label": f"{r['ticket']} · {r['category_en'] if english else r['category_id']}",
            "url": pattern.replace(marker, r["ticket"]),
        }
        for r in rows
    ]


@require_safe
def index(request: HttpRequest, region_slug: str) -> HttpResponse:
    region = current_region(request)
    form = PublicFilterForm(request.GET or None, region=region)
    filters = form.filters()
    after = Cursor.decode(request.GET.get("after", ""))
    reports, next_cursor = report_public_page(region, filters, after=after)
    query = request.GET.copy()
    query.pop("after", None)
    english = (getattr(request, "LANGUAGE_CODE", "") or "").startswith("en")
    context = {
        "form": form,
        "reports": [(r, REPORT_FLOW.state(r.state).label) for r in reports],
        "next_cursor": next_cursor.encode() if next_cursor else "",
        "is_later_page": after is not None,
        "query": query.urlencode(),
        "points": _map_points(region.slug, report_public_points(region, filters), english),
        "map": map_settings(),
    }
    return render(request, "complaints/public/index.html", context)


def _report_input(form: ReportForm) -> ReportInput:
    data = form.cleaned_data
    return ReportInput(
        category=data["category"],
        description=data["description"],
        latitude=data.get("latitude"),
        longitude=data.get("longitude"),
        location_text=data.get("location_text") or "",
        kelurahan=data.get("kelurahan") or "",
        is_public=form.is_public(),
        contact_name=data.get("contact_name") or "",
        contact_email=data.get("contact_email") or "",
        contact_phone=data.get("contact_phone") or "",
    )


@require_http_methods(["GET", "HEAD", "POST"])
def report_form(request: HttpRequest, region_slug: str) -> HttpResponse:
    """The filing form: anonymous filing is allowed (limited per address and contact)."""
    region = current_region(request)
    form = ReportForm(request.POST or None, request.FILES or None, region=region)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                filed = report_file(
                    region=region,
                    actor=signed_in(request),
                    data=_report_input(form),
                    photos=form.cleaned_data["photos"],
                    source=Source.WEB,
                    address=request.META.get("REMOTE_ADDR", ""),
                )
            except DomainError as error:
                apply_domain_error(form, error)
                status = 429 if error.code == ComplaintError.FILING_LIMITED else error.status
            else:
                remember_key(request, filed.complaint, filed.secret)
                request.session[FILED] = {
                    "region": region.pk,
                    "ticket": filed.complaint.ticket,
                    "secret": filed.secret,
                }
                return redirect("core:complaints:filed", region_slug=region.slug)
    context = {"form": form, "map": map_settings()}
    return render(request, "complaints/public/file.html", context, status=status)


@require_safe
def filed(request: HttpRequest, region_slug: str) -> HttpResponse:
    """The ticket and the secret tracking link, shown once right after filing."""
    region = current_region(request)
    just = request.session.pop(FILED, None)
    if not just or just.get("region") != region.pk:
        return redirect("core:complaints:index", region_slug=region.slug)
    complaint = report_get(region, just["ticket"])
    context = {
        "complaint": complaint,
        # The address the citizen is using now (the emailed link uses LUMBUNG_BASE_URL).
        "secret_link": request.build_absolute_uri(
            f"{_track_url(region.slug, complaint.ticket)}?key={just['secret']}"
        ),
        "track_url": _track_url(region.slug, complaint.ticket),
    }
    response = render(request, "complaints/public/filed.html", context)
    response["Cache-Control"] = "no-store"
    return response


def _decimal(value: str) -> Decimal | None:
    try:
        found = Decimal(value.strip()[:20])
    except (InvalidOperation, ValueError):
        return None
    return found if found.is_finite() and abs(found) <= 180 else None


@require_safe
def nearby(request: HttpRequest, region_slug: str) -> HttpResponse:
    """Open public reports of the same category near the pin (an htmx partial, or a page)."""
    region = current_region(request)
    category = request.GET.get("category", "")[:40]
    lat = _decimal(request.GET.get("latitude", ""))
    lng = _decimal(request.GET.get("longitude", ""))
    found = []
    if category and lat is not None and lng is not None:
        found = reports_nearby(region, category=category, latitude=lat, longitude=lng)
    partial = request.headers.get("HX-Request") == "true"
    context = {
        "matches": [(r, REPORT_FLOW.state(r.state).label) for r in found],
        "asked": bool(category and lat is not None and lng is not None),
        "embedded": partial,
    }
    template = "complaints/public/_nearby.html" if partial else "complaints/public/nearby.html"
    return render(request, template, context)


@require_safe
def mine(request: HttpRequest, region_slug: str) -> HttpResponse:
    region = current_region(request)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    page = Paginator(reports_of(region, request.user), 20).get_page(request.GET.get("page"))
    rows = [(r, REPORT_FLOW.state(r.state).label) for r in page.object_list]
    return render(request, "complaints/public/mine.html", {"page": page, "rows": rows})


urlpatterns: list[URLPattern] = [
    path("", index, name="index"),
    path("report/", report_form, name="file"),
    path("report/filed/", filed, name="filed"),
    path("nearby/", nearby, name="nearby"),
    path("mine/", mine, name="mine"),
    *public_track.urlpatterns,
    *public_stats.urlpatterns,
]
