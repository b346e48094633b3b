"""The module's landing page: what the signed-in person can do here, and where they stand
this month. Each area's pages live in its own package (worklog/, review/, allowance/,
registry/, dashboards/, skp/)."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_safe

from lumbung.core.models import Region, User
from lumbung.core.permissions import can
from lumbung.core.views.helpers import RegionRequest, current_region, require_perm

from .selectors import employee_of


@dataclass(frozen=True)
class Area:
    url_name: str
    perm: str
    label: str | Promise
    current: tuple[str, ...] = ()


# The module's menu, in the order a civil servant, a supervisor, then an overseer needs it.
AREAS = (
    Area("log", "performance.log", _("My day"), ("log",)),
    Area("entries", "performance.log", _("My entries"), ("entries",)),
    Area("my_tpp", "performance.log", _("My allowance"), ("my_tpp",)),
    Area("skp", "performance.log", _("My SKP"), ("skp",)),
    Area("approvals", "performance.use", _("Approvals"), ("approvals",)),
    Area("skp_team", "performance.use", _("SKP appraisals"), ("skp_team",)),
    Area(
        "activities", "performance.use", pgettext_lazy("performance", "Activities"), ("activities",)
    ),
    Area(
        "dashboard",
        "performance.view_dashboards",
        _("Dashboard"),
        ("dashboard", "unit", "person-month"),
    ),
    Area("anomalies", "performance.view_anomalies", _("Anomalies"), ("anomalies",)),
    Area("months", "performance.close_month", _("Months and TPP"), ("months", "month")),
    Area("attendance", "performance.import_attendance", _("Attendance"), ("attendance",)),
    Area("formulas", "performance.manage_formula", _("TPP formula"), ("formulas",)),
    Area(
        "staff",
        "performance.view_dashboards",
        _("Staff registry"),
        (
            "staff",
            "person",
            "person_new",
            "person_edit",
            "person_move",
            "person_end",
            "person_nik",
            "staff_import",
            "staff_import_run",
            "tpp_bases",
        ),
    ),
)


def menu(user: User, region: Region, here: str) -> list[dict[str, object]]:
    """The areas this person may open, each with its link."""
    return [
        {"url": url, "label": area.label, "current": here in area.current}
        for area in AREAS
        if can(user, area.perm, region) and (url := _url(area, region))
    ]


def _url(area: Area, region: Region) -> str:
    # An area whose pages a deployment leaves out (none today; tests/test_home.py checks
    # that every area resolves) is left out of the menu rather than breaking every page.
    try:
        return reverse(f"core:performance:{area.url_name}", args=[region.slug])
    except NoReverseMatch:
        return ""


@require_safe
@require_perm("performance.use")
def home(request: RegionRequest, region_slug: str) -> HttpResponse:
    region = current_region(request)
    user = request.user
    assert isinstance(user, User)
    context = {
        "areas": menu(user, region, ""),
        "employee": employee_of(region, user),
    }
    return render(request, "performance/home.html", context)
