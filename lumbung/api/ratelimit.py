"""Fair share for the API: fixed-window limits per client, per region and platform-wide,
so one busy region or one script cannot drain what the others need.

It runs as middleware in front of RegionMiddleware, so that its counters are written
outside the request's transaction (a database cache would otherwise hold row locks on the
shared counters until each request commits) and before any database work is done for a
request that will be refused. A client is one bearer token, one browser session, or one
address; identifying it needs no database query."""

from __future__ import annotations

import hashlib
import math
import re
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from lumbung.core.errors import ErrorCode

from .errors import problem_response, retry_after

API_PREFIX = "/api/"
_REGION_PATH = re.compile(r"^/api/v1/regions/([a-z0-9-]+)(?:/|$)")
_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])[a-z]*\s*$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int


def parse_rate(text: str) -> Rate:
    """'120/m', '5/10s', '1000/h' -> Rate. Raises ValueError on anything else."""
    match = _RATE.match(text)
    if not match:
        raise ValueError(f"Invalid rate {text!r}: use N/s, N/m, N/h or N/d")
    count, multiple, unit = match.groups()
    return Rate(int(count), int(multiple or 1) * _UNIT_SECONDS[unit])


def client_key(request: HttpRequest) -> str:
    auth = request.headers.get("Authorization", "")
    if auth.lower().startswith("bearer "):
        return "t:" + hashlib.sha256(auth[7:].strip().encode()).hexdigest()[:32]
    session = request.COOKIES.get(settings.SESSION_COOKIE_NAME, "")
    if session:
        return "s:" + hashlib.sha256(session.encode()).hexdigest()[:32]
    return "ip:" + client_address(request)


def client_address(request: HttpRequest) -> str:
    """REMOTE_ADDR, or the address the trusted proxies saw (LUMBUNG_NUM_PROXIES hops)."""
    proxies = int(getattr(settings, "NINJA_NUM_PROXIES", 0) or 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [h.strip() for h in forwarded.split(",") if h.strip()]
        if hops:
            return hops[-min(proxies, len(hops))]
    return str(request.META.get("REMOTE_ADDR", ""))


def scopes(request: HttpRequest) -> list[tuple[str, str]]:
    """(scope, identity) pairs that this request counts against."""
    found = [("client", client_key(request)), ("global", "all")]
    region = _REGION_PATH.match(request.path_info)
    if region:
        found.append(("region", region.group(1)))
    return found


def _hit(scope: str, identity: str, rate: Rate, now: float) -> float | None:
    """Count one request; return the seconds to wait if the window is already full."""
    window = int(now // rate.seconds)
    key = f"rl:{scope}:{identity}:{rate.seconds}:{window}"
    try:
        used = cache.incr(key)
    except ValueError:  # first request of this window
        used = 1 if cache.add(key, 1, timeout=rate.seconds + 1) else cache.incr(key)
    if used <= rate.count:
        return None
    return (window + 1) * rate.seconds - now


class ApiRateLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path_info.startswith(API_PREFIX):
            return self.get_response(request)
        wait = self._check(request)
        if wait is not None:
            return problem_response(
                request,
                429,
                ErrorCode.RATE_LIMITED,
                _("Too many requests. Try again later."),
                headers=retry_after(math.ceil(wait)),
            )
        return self.get_response(request)

    def _check(self, request: HttpRequest) -> float | None:
        limits = settings.LUMBUNG_RATE_LIMITS
        now = time.time()
        waits = [
            _hit(scope, identity, parse_rate(str(limits[scope])), now)
            for scope, identity in scopes(request)
            if limits.get(scope)
        ]
        refused = [w for w in waits if w is not None]
        return max(refused) if refused else None
