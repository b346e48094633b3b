"""Public pages: the platform home and each region's home. Read-only, no personal data."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from lumbung.core.demo import DEMO_ACCOUNTS_HINT, demo_accounts
from lumbung.core.modules import registry
from lumbung.core.selectors import (
    region_children_active,
    region_list_active,
    region_modules_map,
    request_modules,
)
from lumbung.core.views.helpers import current_region


def home(request: HttpRequest) -> HttpResponse:
    regions = list(region_list_active())
    modules = region_modules_map(regions)
    rows = [(r, [registry.modules[k] for k in modules[r.pk]]) for r in regions]
    context = {
        "rows": rows,
        "demo_accounts": demo_accounts() if settings.LUMBUNG_DEMO_ALLOWED else [],
        "demo_hint": DEMO_ACCOUNTS_HINT,
    }
    return render(request, "portal/home.html", context)


def region_home(request: HttpRequest, region_slug: str) -> HttpResponse:
    region = current_region(request)
    context = {
        "modules": [registry.modules[k] for k in request_modules(request)],
        "children": list(region_children_active(region)) if region.is_province else [],
    }
    return render(request, "portal/region.html", context)
