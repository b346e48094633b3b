from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from .modules import registry
from .permissions import can, roles_of
from .selectors import notification_unread_count, request_modules


def lumbung(request: HttpRequest) -> dict[str, Any]:
    """The current region, its enabled modules and the user's roles there, for templates."""
    region = getattr(request, "region", None)
    if region is None:
        return {"region": None}
    enabled = request_modules(request)
    return {
        "region": region,
        "region_modules": [registry.modules[k] for k in enabled],
        "user_roles": roles_of(request.user, region),
        "can_backoffice": can(request.user, "core.view_backoffice", region),
        "unread_notifications": (
            notification_unread_count(region, request.user) if request.user.is_authenticated else 0
        ),
    }
