"""Public pages: the catalogue (permit types with requirements, levy, validity and
deadlines; activities with their risk and lane at a capital), "what do I need?", the
verification page the QR codes point to, and the figures with CSV and JSON downloads."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from functools import cache
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import URLPattern, path, reverse
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from lumbung.core.errors import DomainError
from lumbung.core.models import Region
from lumbung.core.views.helpers import current_region

from ..forms import CatalogueSearchForm, NeedForm
from ..models import FeeKind, Kbli, Lane, PermitType, Risk
from ..routing import route, scale_for
from ..selectors import UNKNOWN, region_rules, requirements_for, threshold_of, verify
from ..selectors_stats import permits_stats
from ..workflow import STAFF_STAGES
from .common import show_error, step_names

SEARCH_LIMIT = 50
FIGURE_COLUMNS = (
    "key",
    "name",
    "unit",
    "applications",
    "issued",
    "rejected",
    "median_working_days",
    "share_within_deadline",
    "approved_by_default",
)


def fee_text(permit_type: PermitType) -> str:
    """The levy formula in words ("Rp 100.000 + Rp 2.500 per m²")."""
    amount, rate = _rp(permit_type.fee_amount), _rp(permit_type.fee_rate)
    if permit_type.fee_kind == FeeKind.ZERO:
        return _("No levy")
    if permit_type.fee_kind == FeeKind.FIXED:
        return amount
    unit = _("per m²") if permit_type.fee_kind == FeeKind.PER_M2 else _("per unit")
    if permit_type.fee_amount:
        return f"{amount} + {rate} {unit}"
    return f"{rate} {unit}"


def _rp(value: Decimal) -> str:
    return "Rp " + f"{int(value):,}".replace(",", ".")


def _types(region: Region, names: dict[str, str]) -> list[dict[str, Any]]:
    types = (
        PermitType.objects.filter(region=region, is_active=True)
        .select_related("verifying_unit", "signing_unit")
        .prefetch_related("requirements", "slas")
    )
    order = {stage: i for i, stage in enumerate(STAFF_STAGES)}
    return [
        {
            "type": t,
            "fee": fee_text(t),
            "requirements": [r for r in t.requirements.all() if r.region_id == region.pk],
            "slas": [
                (names.get(s.stage, s.stage), s.working_days)
                for s in sorted(t.slas.all(), key=lambda s: order.get(s.stage, 99))
            ],
            "sla_total": sum(s.working_days for s in t.slas.all()),
        }
        for t in types
    ]


def _activities(region: Region, q: str, capital: Decimal | None) -> list[dict[str, Any]]:
    """Activities matching `q`, each with its risk and lane at `capital` when given."""
    found = Kbli.objects.filter(region=region, is_active=True).select_related("permit_type")
    if q:
        found = found.filter(
            Q(code__startswith=q) | Q(title_id__icontains=q) | Q(title_en__icontains=q)
        )
    rows: list[dict[str, Any]] = [{"kbli": k} for k in found[:SEARCH_LIMIT]]
    if capital is None:
        return rows
    rules, threshold, scale = region_rules(region), threshold_of(region), scale_for(capital)
    for row in rows:
        kbli: Kbli = row["kbli"]
        risk = kbli.risk_at(scale)
        lane = route(
            rules, kbli_code=kbli.code, risk=risk, scale=scale, capital=capital, threshold=threshold
        ).lane
        row.update(risk=risk, risk_label=Risk(risk).label, lane=Lane(lane))
    return rows


@require_safe
def catalogue(request: HttpRequest, region_slug: str) -> HttpResponse:
    region = current_region(request)
    form = CatalogueSearchForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    capital = data.get("capital")
    context = {
        "form": form,
        "types": _types(region, step_names(request, region)),
        "activities": _activities(region, (data.get("q") or "").strip(), capital),
        "capital": capital,
        "scale": scale_for(capital).label if capital is not None else "",
        "threshold": threshold_of(region),
    }
    return render(request, "permits/public/catalogue.html", context)


@require_safe
def need(request: HttpRequest, region_slug: str) -> HttpResponse:
    """What an application for these activities and this capital needs, before applying."""
    region = current_region(request)
    form = NeedForm(request.GET or None, region=region)
    plan = None
    if form.is_bound and form.is_valid():
        try:
            plan = requirements_for(region, form.cleaned_data["kbli"], form.cleaned_data["capital"])
        except DomainError as error:
            show_error(form, error)
    context = {
        "form": form,
        "plan": plan,
        "lane_label": Lane(plan.lane).label if plan else "",
        "fee": fee_text(plan.permit_type) if plan and plan.permit_type else "",
        "threshold": threshold_of(region),
        "query": request.GET.urlencode(),
    }
    return render(request, "permits/public/need.html", context, status=422 if form.errors else 200)


@require_safe
def verify_page(request: HttpRequest, region_slug: str, code: str) -> HttpResponse:
    """The page a permit's QR code opens. An unknown code (forged, altered, another
    region's) answers 404 with the full page saying it is not in this region's records:
    a phone's browser shows the message whatever the status, and machines read 404 right.

    Every scan is answered from the live row (no cache: a suspension shows at the next
    scan). The page is rendered without the request, so no context processor runs: an
    anonymous scanner needs none of the user's roles, modules or notifications."""
    region = current_region(request)
    answer = verify(region, code[:64])
    context = {
        "answer": answer,
        "region": region,
        "language": get_language(),
        "languages": _languages(),
        "here": request.get_full_path(),
        "home": reverse("portal:region", args=[region.slug]),
        "catalogue": reverse("core:permits:catalogue", args=[region.slug]),
        "setlang": reverse("set_language"),
    }
    response = HttpResponse(
        render_to_string("permits/public/verify.html", context),
        status=404 if answer.status == UNKNOWN else 200,
    )
    response["X-Robots-Tag"] = "noindex"
    response["Cache-Control"] = "no-store"  # a suspension must show at the next scan
    return response


@cache
def _languages() -> list[tuple[str, str]]:
    """(code, name in that language) for the switch, as base.html lists them."""
    return [(code, get_language_info(code)["name_local"]) for code, _name in settings.LANGUAGES]


@require_safe
def figures(request: HttpRequest, region_slug: str) -> HttpResponse:
    region = current_region(request)
    rows = permits_stats(region)
    for row in rows:
        share = row["share_within_deadline"]
        row["share_text"] = f"{round(float(share) * 100)}%" if share is not None else "—"  # type: ignore[arg-type]
    return render(request, "permits/public/figures.html", {"rows": rows, "chart": _chart(rows)})


def _chart(rows: list[dict[str, object]]) -> dict[str, object]:
    """Applications, issued and rejected per permit type or lane, for charts.js (the table
    beside it carries the same figures for those who cannot see the chart)."""

    def series(label: str, key: str) -> dict[str, object]:
        return {"label": label, "data": [row[key] for row in rows]}

    return {
        "type": "bar",
        "data": {
            "labels": [str(row["name"]) for row in rows],
            "datasets": [
                series(str(_("Applications")), "applications"),
                series(str(_("Issued")), "issued"),
                series(str(_("Rejected")), "rejected"),
            ],
        },
        "options": {"responsive": True, "maintainAspectRatio": False, "indexAxis": "y"},
    }


@require_safe
def figures_csv(request: HttpRequest, region_slug: str) -> HttpResponse:
    region = current_region(request)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=FIGURE_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    for row in permits_stats(region):
        writer.writerow(row)
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="permits-{region.slug}.csv"'
    return response


@require_safe
def figures_json(request: HttpRequest, region_slug: str) -> JsonResponse:
    region = current_region(request)
    return JsonResponse({"region": region.slug, "rows": permits_stats(region)})


urlpatterns: list[URLPattern] = [
    path("", catalogue, name="catalogue"),
    path("what-do-i-need/", need, name="need"),
    path("verify/<str:code>/", verify_page, name="verify"),
    path("figures/", figures, name="figures"),
    path("figures.csv", figures_csv, name="figures-csv"),
    path("figures.json", figures_json, name="figures-json"),
]
