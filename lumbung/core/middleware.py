"""Request id, and the tenant wall for every request that names a region."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.middleware.locale import LocaleMiddleware
from django.urls import Resolver404, resolve
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from . import rls
from .context import request_id_var
from .models import Region
from .modules import registry
from .public_cache import region_snapshot
from .selectors import request_modules
from .tenancy import is_postgres, region_scope

_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
_SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")  # what the `slug` URL converter accepts
REGION_KWARG = "region_slug"
ViewFunc = Callable[..., Any]


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
    switched off, and run the view inside that region's scope — and, on PostgreSQL, inside
    one transaction limited to that region by row-level security. Inactive, unknown and
    switched-off all answer the same 404."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.region = None  # type: ignore[attr-defined]
        target = _region_target(request)
        if target is None:
            return self.get_response(request)
        # A view that names its region in the query (Open311's jurisdiction_id) answers an
        # unknown one in its own error format: it runs with request.region = None.
        refuse = self.get_response if target.soft else not_found
        # An API path takes any text as the slug; U+0000 in a query is a 500 on PostgreSQL.
        snapshot = region_snapshot(target.slug) if _SLUG.match(target.slug) else None
        if snapshot is None:
            return refuse(request)
        region, modules = snapshot
        request.region = region  # type: ignore[attr-defined]
        request.region_modules = modules  # type: ignore[attr-defined]
        module = target.module or _module_of(request, target.slug)
        if module is not None and module not in _enabled(request, module):
            request.region = None  # type: ignore[attr-defined]
            return refuse(request)
        request.module = module  # type: ignore[attr-defined]
        # Dates on the region's pages are shown in its own WIB/WITA/WIT.
        timezone.activate(ZoneInfo(region.timezone))
        try:
            return self._in_region(request, region)
        finally:
            timezone.deactivate()

    def _in_region(self, request: HttpRequest, region: Region) -> HttpResponse:
        with region_scope(region):
            if not is_postgres():
                return self.get_response(request)
            try:
                with transaction.atomic():
                    rls.activate(region)
                    response = self.get_response(request)
                    if response.status_code >= 500:
                        # The view's exception became a response inside us: undo its writes.
                        transaction.set_rollback(True)
            finally:
                rls.deactivate()
            return response


def _enabled(request: HttpRequest, module: str) -> list[str]:
    config = registry.get(module)
    if config is not None and config.always_on:
        return [module]
    return request_modules(request)


@dataclass(frozen=True)
class _Target:
    slug: str
    module: str | None = None
    soft: bool = False


def region_from_query(param: str, module: str) -> Callable[[ViewFunc], ViewFunc]:
    """Mark a view whose region is named by a query (or form) field instead of the path,
    and which belongs to `module`. An unknown, inactive or switched-off region reaches the
    view with request.region = None, so that it answers in its own protocol's format."""

    def mark(view: ViewFunc) -> ViewFunc:
        view.lumbung_region_param = (param, module)  # type: ignore[attr-defined]
        return view

    return mark


def _region_target(request: HttpRequest) -> _Target | None:
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    value = match.kwargs.get(REGION_KWARG)
    if isinstance(value, str):
        return _Target(value)
    marked = getattr(match.func, "lumbung_region_param", None)
    if marked is None:
        return None
    param, module = marked
    named = request.GET.get(param) or (request.POST.get(param) if request.method == "POST" else "")
    return _Target(named, module, soft=True) if named else None


class LanguageMiddleware(LocaleMiddleware):
    """Bahasa Indonesia unless the visitor chose English with the switch (the language
    cookie). A browser's Accept-Language is not followed on pages — many Indonesian
    computers are set to English — but the API honours it for problem texts."""

    def process_request(self, request: HttpRequest) -> None:
        if request.path_info.startswith("/api/"):
            super().process_request(request)
            return
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        response = super().process_response(request, response)
        if not request.path_info.startswith("/api/"):
            patch_vary_headers(response, ("Cookie",))  # the language comes from a cookie
        return response
