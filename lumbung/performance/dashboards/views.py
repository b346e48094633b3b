"""The dashboards' pages: the overview of the viewer's units, one unit, one person's month,
and the auditors' anomalies. Downloads of their tables live in downloads.py."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from lumbung.core import errors
from lumbung.core.models import Region, Unit
from lumbung.core.views.helpers import RegionRequest, current_region, require_perm

from ..models import Employee
from .anomalies import KIND_LABELS
from .anomalies import anomalies as anomalies_of
from .month import Month, Yardstick, month_parse, yardstick
from .person import person_month, person_visible
from .scope import Scope, scope_of, unit_in_scope
from .selectors import TrendRow, pending_by_reviewer, trend, unit_figures, unit_people


def month_of(request: RegionRequest, region: Region) -> tuple[Month, list[str]]:
    """The month asked for in ?month=YYYY-MM; a bad one shows its error and the current
    month instead."""
    try:
        return month_parse(region, request.GET.get("month")), []
    except errors.ValidationFailed as error:
        return month_parse(region, None), error.field_errors.get("month", [])


def unit_or_404(region: Region, scope: Scope, unit_id: int) -> Unit:
    try:
        return unit_in_scope(region, scope, unit_id)
    except errors.NotFound:
        raise Http404 from None
    except errors.PermissionDenied:
        raise PermissionDenied from None


def person_or_404(request: RegionRequest, region: Region, employee_id: int) -> Employee:
    try:
        return person_visible(region, request.user, employee_id)
    except errors.NotFound:
        raise Http404 from None
    except errors.PermissionDenied:
        raise PermissionDenied from None


def _base(request: RegionRequest, month: Month, month_errors: list[str]) -> dict[str, Any]:
    return {
        "month": month,
        "month_errors": month_errors,
        "month_value": request.GET.get("month", month.key),
        "query": f"?month={month.key}",
        "api": f"/api/v1/regions/{current_region(request).slug}/performance",
    }


def trend_chart(months: list[Month], rows: list[TrendRow], stick: Yardstick) -> dict[str, Any]:
    """Chart.js configuration: one line per unit, and the target as a dashed line."""
    datasets: list[dict[str, Any]] = [
        {"label": row.name, "data": row.averages, "spanGaps": True} for row in rows
    ]
    datasets.append(
        {
            "label": str(_("Target")),
            "data": [stick.target] * len(months),
            "borderDash": [6, 4],
            "pointRadius": 0,
        }
    )
    return {
        "type": "line",
        "data": {"labels": [m.key for m in months], "datasets": datasets},
        "options": {"responsive": True, "maintainAspectRatio": False},
    }


def units_chart(rows: list[Any], stick: Yardstick) -> dict[str, Any]:
    return {
        "type": "bar",
        "data": {
            "labels": [row.name for row in rows],
            "datasets": [
                {
                    "label": str(_("Approved minutes per person")),
                    "data": [row.average for row in rows],
                },
                {
                    "type": "line",
                    "label": str(_("Expected by now")),
                    "data": [stick.expected] * len(rows),
                    "pointRadius": 0,
                },
            ],
        },
        "options": {"responsive": True, "maintainAspectRatio": False},
    }


@require_safe
@require_perm("performance.view_dashboards")
def dashboard(request: RegionRequest, region_slug: str) -> HttpResponse:
    region = current_region(request)
    month, month_errors = month_of(request, region)
    scope = scope_of(region, request.user)
    stick = yardstick(region, month)
    units = unit_figures(region, scope, stick)
    months, rows = trend(region, scope, month)
    context = _base(request, month, month_errors) | {
        "stick": stick,
        "units": units,
        "units_chart": units_chart(units, stick),
        "pending": pending_by_reviewer(region, scope, month),
        "trend_months": months,
        "trend_rows": rows,
        "trend_chart": trend_chart(months, rows, stick),
        "headed_only": scope.units is not None,
    }
    return render(request, "performance/dashboards/dashboard.html", context)


@require_safe
@require_perm("performance.view_dashboards")
def unit(request: RegionRequest, region_slug: str, unit_id: int) -> HttpResponse:
    region = current_region(request)
    scope = scope_of(region, request.user)
    found = unit_or_404(region, scope, unit_id)
    month, month_errors = month_of(request, region)
    stick = yardstick(region, month)
    sees_people = scope.sees_people(found.pk)
    people = unit_people(region, found.pk, stick)
    figures = next(iter(unit_figures(region, scope, stick, unit_id=found.pk)), None)
    context = _base(request, month, month_errors) | {
        "unit": found,
        "stick": stick,
        "figures": figures,
        "sees_people": sees_people,
        "people": people if sees_people else [],
        "idle_count": sum(p.idle for p in people),
    }
    return render(request, "performance/dashboards/unit.html", context)


@require_safe
@require_perm("performance.use")
def person(request: RegionRequest, region_slug: str, employee_id: int) -> HttpResponse:
    region = current_region(request)
    employee = person_or_404(request, region, employee_id)
    month, month_errors = month_of(request, region)
    stick = yardstick(region, month)
    context = _base(request, month, month_errors) | {
        "employee": employee,
        "stick": stick,
        "found": person_month(region, employee, month),
    }
    return render(request, "performance/dashboards/person.html", context)


@require_safe
@require_perm("performance.view_anomalies")
def anomalies(request: RegionRequest, region_slug: str) -> HttpResponse:
    region = current_region(request)
    month, month_errors = month_of(request, region)
    findings = anomalies_of(region, yardstick(region, month))
    sections = [
        {"kind": kind, "label": label, "findings": [f for f in findings if f.kind == kind]}
        for kind, label in KIND_LABELS.items()
    ]
    context = _base(request, month, month_errors) | {"sections": sections, "total": len(findings)}
    return render(request, "performance/dashboards/anomalies.html", context)
