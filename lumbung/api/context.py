"""What a region-scoped API handler needs from the request: the region RegionMiddleware
resolved, the authenticated caller, and a permission gate. Modules use these too."""

from __future__ import annotations

from django.http import HttpRequest

from lumbung.core.errors import PermissionDenied
from lumbung.core.models import Region, User
from lumbung.core.permissions import can


def region_of(request: HttpRequest) -> Region:
    return request.region  # type: ignore[attr-defined]


def actor_of(request: HttpRequest) -> User:
    return request.auth  # type: ignore[attr-defined]


def require(request: HttpRequest, perm: str) -> tuple[Region, User]:
    """The region and the caller, if the caller holds `perm` there; else 403."""
    region, user = region_of(request), actor_of(request)
    if not can(user, perm, region):
        raise PermissionDenied()
    return region, user
