"""Cached answers for anonymous visitors of public pages and public API reads.

A public page is the same for every anonymous visitor who reads the same language, so it
is rendered once and served from memory until something changes. "Something changes" is
any audited write: every service write goes through `audit_record`, which bumps one shared
version after its transaction commits, so no write can forget to invalidate. Signed-in
people, requests with a session or a token, and responses that set a cookie or use a CSRF
token are never cached."""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Callable
from functools import cache as memoize

from django.conf import settings
from django.core.cache import cache, caches
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.translation import get_language

from .models import Region

VERSION_KEY = "lumbung:public:version"
_CACHED_HEADERS = (
    "Content-Type",
    "Content-Language",
    "Vary",
    "Content-Security-Policy",
    "X-Frame-Options",
)


@memoize
def _patterns() -> list[re.Pattern[str]]:
    return [re.compile(p) for p in settings.LUMBUNG_PUBLIC_CACHE_PATHS]


# The shared version, remembered by this process for LUMBUNG_PUBLIC_VERSION_SECONDS: under
# load that saves a cache round trip per request; other processes see a write at most that
# late, this process at once.
_local: dict[str, tuple[str, float]] = {}


def public_version() -> str:
    remembered = _local.get(VERSION_KEY)
    if remembered and time.monotonic() - remembered[1] < settings.LUMBUNG_PUBLIC_VERSION_SECONDS:
        return remembered[0]
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(VERSION_KEY) or uuid.uuid4().hex
    _local[VERSION_KEY] = (str(version), time.monotonic())
    return str(version)


def bump_public_version() -> None:
    """Make every cached public answer stale (called after an audited write commits)."""
    version = uuid.uuid4().hex
    cache.set(VERSION_KEY, version, timeout=None)
    _local[VERSION_KEY] = (version, time.monotonic())


def _anonymous(request: HttpRequest) -> bool:
    cookies = request.COOKIES
    return not (
        request.headers.get("Authorization")
        or settings.SESSION_COOKIE_NAME in cookies
        or "messages" in cookies
    )


def _eligible(request: HttpRequest) -> bool:
    return (
        request.method in {"GET", "HEAD"}
        and _anonymous(request)
        and any(p.match(request.path_info) for p in _patterns())
    )


def _storable(request: HttpRequest, response: HttpResponseBase) -> bool:
    return (
        isinstance(response, HttpResponse)
        and response.status_code == 200
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and "private" not in response.get("Cache-Control", "")
        and "no-store" not in response.get("Cache-Control", "")
    )


class PublicCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.store = caches[settings.LUMBUNG_PUBLIC_CACHE]

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not _eligible(request):
            return self.get_response(request)
        key = f"page:{public_version()}:{get_language()}:{request.get_full_path()}"
        # A client's "Cache-Control: no-cache" asks for a fresh answer (it is stored anew).
        fresh = "no-cache" in request.headers.get("Cache-Control", "")
        hit = None if fresh else self.store.get(key)
        if hit is not None:
            return _rebuild(hit)
        response = self.get_response(request)
        if _storable(request, response):
            assert isinstance(response, HttpResponse)
            headers = {h: response[h] for h in _CACHED_HEADERS if h in response}
            self.store.set(key, (response.content, headers), settings.LUMBUNG_PUBLIC_CACHE_SECONDS)
        return response


def _rebuild(hit: tuple[bytes, dict[str, str]]) -> HttpResponse:
    content, headers = hit
    response = HttpResponse(content)
    for name, value in headers.items():
        response[name] = value
    response["X-Lumbung-Cache"] = "hit"
    return response


def region_snapshot(slug: str) -> tuple[Region, list[str]] | None:
    """The active region with this slug and its enabled modules, kept in this process's
    memory under the public version: every request names its region, and both change only
    through audited writes, which bump the version. None for an unknown or inactive slug."""
    from .selectors import region_get_active, region_modules_enabled

    store = caches[settings.LUMBUNG_PUBLIC_CACHE]
    key = f"region:{public_version()}:{slug}"
    hit = store.get(key)
    if hit is not None:
        return hit
    region = region_get_active(slug)
    if region is None:
        return None  # not remembered: activating a region must show at once
    snapshot = (region, region_modules_enabled(region))
    store.set(key, snapshot, settings.LUMBUNG_PUBLIC_CACHE_SECONDS)
    return snapshot
