"""The module's public figures: per region, per unit and per month (and, for a province,
per kabupaten/kota side by side), as a page with a chart and as CSV and JSON downloads.
Counts only: nothing here names a reporter or shows a report's text."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from lumbung.core.models import Region
from lumbung.core.views.helpers import current_region

from ..forms import PeriodForm
from ..selectors_stats import Stats, figures, province_stats
from .public_common import NONE_SHOWN, hours_text


@dataclass
class Page:
    region: Stats
    units: list[Stats]
    months: list[dict[str, Any]]
    as_of: dt.datetime
    children: list[Stats]  # a province's kabupaten/kota running the module


def _figures(region: Region, period: dict[str, Any]) -> Page:
    counted = figures(region, **period)
    return Page(
        region=counted.region,
        units=counted.units,
        months=counted.months,
        as_of=counted.as_of,
        children=province_stats(region, **period) if region.is_province else [],
    )


def _row(stats: Stats) -> dict[str, Any]:
    """One table row: the figures and their words (durations in days and hours)."""
    share, satisfaction = stats.on_time_share, stats.satisfaction
    return {
        "stats": stats,
        "first_response": hours_text(stats.median_first_response_hours),
        "resolution": hours_text(stats.median_resolution_hours),
        "on_time": f"{round(share * 100)}%" if share is not None else NONE_SHOWN,
        "satisfaction": f"{satisfaction:.1f}" if satisfaction is not None else NONE_SHOWN,
    }


def _chart(months: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "type": "bar",
        "data": {
            "labels": [m["month"] for m in months],
            "datasets": [
                {"label": str(_("Received")), "data": [m["received"] for m in months]},
                {"label": str(_("Resolved")), "data": [m["resolved"] for m in months]},
            ],
        },
        "options": {"responsive": True, "maintainAspectRatio": False},
    }


@require_safe
def stats(request: HttpRequest, region_slug: str) -> HttpResponse:
    region = current_region(request)
    form = PeriodForm(request.GET or None)
    period = form.period()
    figures = _figures(region, period)
    query = request.GET.urlencode()
    context = {
        "form": form,
        "total": _row(figures.region),
        "units": [_row(s) for s in figures.units],
        "months": figures.months,
        "children": [_row(s) for s in figures.children],
        "chart": _chart(figures.months),
        "as_of": figures.as_of,
        "query": f"?{query}" if query else "",
    }
    return render(request, "complaints/public/stats.html", context)


def _json(figures: Page, period: dict[str, Any]) -> dict[str, Any]:
    found = figures.region.as_dict()
    found.update(
        since=period["since"].isoformat() if period["since"] else None,
        until=period["until"].isoformat() if period["until"] else None,
        units=[s.as_dict() for s in figures.units],
        months=figures.months,
        as_of=figures.as_of.isoformat(),
    )
    if figures.children:
        found["kabupaten_kota"] = [s.as_dict() for s in figures.children]
    return found


@require_safe
def stats_json(request: HttpRequest, region_slug: str) -> JsonResponse:
    region = current_region(request)
    period = PeriodForm(request.GET or None).period()
    response = JsonResponse(_json(_figures(region, period), period))
    response["Content-Disposition"] = f'inline; filename="complaints-{region.slug}.json"'
    return response


CSV_FIGURES = (
    "received",
    "open",
    "resolved",
    "rejected",
    "resolved_on_time",
    "on_time_share",
    "median_first_response_hours",
    "median_resolution_hours",
    "satisfaction",
    "ratings",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> object:
    """A text a spreadsheet will not run as a formula (unit names are typed by people)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return f"'{value}"
    return "" if value is None else value


@require_safe
def stats_csv(request: HttpRequest, region_slug: str) -> HttpResponse:
    region = current_region(request)
    period = PeriodForm(request.GET or None).period()
    figures = _figures(region, period)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["scope", "key", "label", "month", *CSV_FIGURES])
    rows = [("region", figures.region)]
    rows += [("unit", s) for s in figures.units]
    rows += [("kabupaten_kota", s) for s in figures.children]
    for scope, found in rows:
        values = found.as_dict()
        writer.writerow(
            [
                scope,
                _cell(found.key),
                _cell(found.label),
                "",
                *(_cell(values[k]) for k in CSV_FIGURES),
            ]
        )
    for month in figures.months:
        counts = [month["received"], "", month["resolved"]] + [""] * (len(CSV_FIGURES) - 3)
        writer.writerow(["month", region.slug, "", month["month"], *counts])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="complaints-{region.slug}.csv"'
    return response


urlpatterns: list[URLPattern] = [
    path("stats/", stats, name="stats"),
    path("stats.csv", stats_csv, name="stats-csv"),
    path("stats.json", stats_json, name="stats-json"),
]
