from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from .modules import registry
from .permissions import can, roles_of
from .selectors import notification_unread_count, request_modules


def lumbung(request: HttpRequest) -> dict[str, Any]:
    """The current region, its enabled modules and the user's roles there, for templates."""
    region = getattr(request, "region", None)
    if region is None:
        return {"region": None}
    enabled = request_modules(request)
    modules = [registry.modules[k] for k in enabled]
    return {
        "region": region,
        "region_modules": modules,
        "staff_modules": _staff_modules(request, region, modules),
        "user_roles": roles_of(request.user, region),
        "can_backoffice": can(request.user, "core.view_backoffice", region),
        "unread_notifications": (
            notification_unread_count(region, request.user) if request.user.is_authenticated else 0
        ),
    }


def _staff_modules(request: HttpRequest, region: Any, modules: list[Any]) -> list[dict[str, Any]]:
    """The enabled modules whose staff pages the user may open: title, URL, and whether the
    current page is one of them (for the back office's navigation)."""
    if not request.user.is_authenticated:
        return []
    match = getattr(request, "resolver_match", None)
    namespace = getattr(match, "namespace", "") or ""
    return [
        {
            "title": m.title,
            "url": reverse(m.staff_url, kwargs={"region_slug": region.slug}),
            "current": namespace == f"core:{m.label}",
        }
        for m in modules
        if m.staff_url and can(request.user, m.staff_perm, region)
    ]
