"""Cached answers for anonymous visitors of public pages and public API reads.

A public page is the same for every anonymous visitor who reads the same language, so it
is rendered once and served from memory until something changes. "Something changes" is
any audited write: every service write goes through `audit_record`, which bumps one shared
version after its transaction commits, so no write can forget to invalidate. Signed-in
people, requests with a session or a token, and responses that set a cookie or use a CSRF
token are never cached.

How a region is set up (its row and modules, calendar, deadlines, categories) is kept in
each process's memory the same way, under a second version that case work (filing a
report, moving an application) leaves alone, so a busy region's own filings do not keep
throwing it away."""

from __future__ import annotations

import base64
import pickle
import re
import time
import uuid
from collections.abc import Callable
from functools import cache as memoize
from typing import TypeVar, cast

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.db import DatabaseCache
from django.db import connections, router
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.translation import get_language

from .models import Region

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


# Shared versions, each remembered by this process for LUMBUNG_PUBLIC_VERSION_SECONDS: under
# load that saves a cache round trip per request; other processes see a write at most that
# late, this process at once.
#   public:   every audited write of a region; the cached public answers hang on it.
#   settings: every audited write that is not case work (a report filed, an application
#             moved): how regions are set up (modules, calendar, deadlines, categories),
#             which this process keeps in memory with `remembered`.
VERSION_KEY = "lumbung:public:version"
SETTINGS_KEY = "lumbung:settings:version"
_SHARED = (VERSION_KEY, SETTINGS_KEY)
_local: dict[str, tuple[str, float]] = {}


def shared_version(key: str) -> str:
    remembered_at = _local.get(key)
    now = time.monotonic()
    if remembered_at and now - remembered_at[1] < settings.LUMBUNG_PUBLIC_VERSION_SECONDS:
        return remembered_at[0]
    # Both versions in one read: a request that needs one soon needs the other.
    found = cache.get_many(_SHARED)
    for name in _SHARED:
        version = found.get(name)
        if version is None:
            cache.add(name, uuid.uuid4().hex, timeout=None)
            version = cache.get(name) or uuid.uuid4().hex
        _local[name] = (str(version), now)
    return _local[key][0]


def public_version() -> str:
    return shared_version(VERSION_KEY)


def settings_version() -> str:
    return shared_version(SETTINGS_KEY)


def _bump(key: str) -> None:
    version = uuid.uuid4().hex
    if not _database_cache_update(key, version):
        cache.set(key, version, timeout=None)
    _local[key] = (version, time.monotonic())


def bump_public_version() -> None:
    """Make every cached public answer stale (called after an audited write commits)."""
    _bump(VERSION_KEY)


def bump_settings_version() -> None:
    """Make every remembered setup stale (called after an audited write that is not case
    work commits)."""
    _bump(SETTINGS_KEY)


def _database_cache_update(key: str, value: str) -> bool:
    """With the database cache, a version is rewritten in one statement, in the cache's own
    encoding: Django's `set` takes five (a count for culling, a transaction, a read and the
    write), after every filing. False when the row is not there yet (then `set` makes it)."""
    backend = caches["default"]
    if not isinstance(backend, DatabaseCache):
        return False
    conn = connections[router.db_for_write(backend.cache_model_class)]
    if conn.in_atomic_block:
        return False  # inside a transaction the row lock would wait for its end
    table = conn.ops.quote_name(backend.cache_model_class._meta.db_table)
    column = conn.ops.quote_name("cache_key")
    stored = base64.b64encode(pickle.dumps(value, backend.pickle_protocol)).decode("latin1")
    with conn.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET value = %s WHERE {column} = %s",  # noqa: S608
            [stored, backend.make_and_validate_key(key)],
        )
        return bool(cursor.rowcount == 1)


T = TypeVar("T")
_MISSING = object()


def remembered(name: str, load: Callable[[], T]) -> T:
    """`load()`, kept in this process's memory under the settings version: for what every
    request of a region reads and only an audited setup change alters (its calendar,
    deadlines, categories, a module's settings). `name` says what and whose."""
    store = caches[settings.LUMBUNG_PUBLIC_CACHE]
    key = f"settings:{settings_version()}:{name}"
    hit = store.get(key, _MISSING)
    if hit is not _MISSING:
        return cast(T, hit)
    value = load()
    store.set(key, value, settings.LUMBUNG_PUBLIC_CACHE_SECONDS)
    return value


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
    memory under the settings version: every request names its region, and both change
    only through audited setup writes, which bump it (case work, such as a filing, does
    not). None for an unknown or inactive slug."""
    from .selectors import region_get_active, region_modules_enabled

    store = caches[settings.LUMBUNG_PUBLIC_CACHE]
    key = f"region:{settings_version()}:{slug}"
    hit = store.get(key)
    if hit is not None:
        return hit
    region = region_get_active(slug)
    if region is None:
        return None  # not remembered: activating a region must show at once
    snapshot = (region, region_modules_enabled(region))
    store.set(key, snapshot, settings.LUMBUNG_PUBLIC_CACHE_SECONDS)
    return snapshot
