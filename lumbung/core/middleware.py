"""Request id, and the tenant wall for every request that names a region."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from .context import request_id_var
from .modules import registry
from .selectors import module_enabled, region_get_active
from .tenancy import region_scope

_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
REGION_KWARG = "region_slug"


class RequestIdMiddleware:
    """Give every request an id (or keep a sane one from the proxy) for logs and audit."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _SAFE_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        token = request_id_var.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response["X-Request-ID"] = request_id
        return response


def _module_of(request: HttpRequest, slug: str) -> str | None:
    """The module key named by the path segment after the region's slug, if any."""
    parts = [p for p in request.path_info.split("/") if p]
    try:
        after = parts[parts.index(slug) + 1]
    except (ValueError, IndexError):
        return None
    config = registry.by_prefix(after)
    return config.module_key if config else None


def not_found(request: HttpRequest) -> HttpResponse:
    if request.path_info.startswith("/api/"):
        from lumbung.api.errors import problem_response

        return problem_response(request, 404, "not_found", _("Not found."))
    raise Http404


class RegionMiddleware:
    """Resolve `<region_slug>` in the URL to an active region, refuse modules it has
    switched off, and run the view inside that region's scope. Inactive, unknown and
    switched-off all answer the same 404."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            return self.get_response(request)
        finally:
            scope = getattr(request, "_region_scope", None)
            if scope is not None:
                scope.__exit__(None, None, None)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: dict[str, Any]
    ) -> HttpResponse | None:
        slug = kwargs.get(REGION_KWARG)
        request.region = None  # type: ignore[attr-defined]
        if slug is None:
            return None
        region = region_get_active(slug)
        if region is None:
            return not_found(request)
        module = _module_of(request, slug)
        if module is not None and not module_enabled(region, module):
            return not_found(request)
        request.region = region  # type: ignore[attr-defined]
        request.module = module  # type: ignore[attr-defined]
        scope = region_scope(region)
        scope.__enter__()
        request._region_scope = scope  # type: ignore[attr-defined]
        return None
