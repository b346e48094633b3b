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
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from lumbung.core.errors import ErrorCode

from .errors import problem_response, retry_after
from .models import RateCounter

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
    """(scope, identity) pairs that this request counts against. The address is counted
    too when the client shows a token or cookie: a made-up one must not buy a fresh
    allowance. (Without one, the client is the address, and its stricter limit applies.)"""
    client = client_key(request)
    found = [("client", client)]
    if not client.startswith("ip:"):
        found.append(("address", client_address(request)))
    found.append(("global", "all"))
    region = _REGION_PATH.match(request.path_info)
    if region:
        found.append(("region", region.group(1)))
    return found


@dataclass(frozen=True)
class Counter:
    key: str
    bucket: int  # which fixed window of `seconds` the request falls in
    seconds: int
    limit: int
    add: int = 1  # requests to add (a batch of a shared counter, see SharedTally)

    def wait(self, used: int, now: float) -> float | None:
        """Seconds until this window ends, if `used` is over the limit."""
        return None if used <= self.limit else (self.bucket + 1) * self.seconds - now


def count_requests(counters: list[Counter]) -> list[int]:
    """Add each counter's requests and return the new counts, in one round trip."""
    url = getattr(settings, "LUMBUNG_RATELIMIT_REDIS_URL", "")
    return _count_redis(url, counters) if url else _count_database(counters)


def _count_database(counters: list[Counter]) -> list[int]:
    # One upsert for all scopes, in autocommit: the shared rows are locked for one
    # statement only. PostgreSQL and SQLite (>= 3.35) both take this syntax.
    table = connection.ops.quote_name(RateCounter._meta.db_table)
    key, bucket, count, expires = (
        connection.ops.quote_name(c) for c in ("key", "bucket", "count", "expires")
    )
    rows = ", ".join(["(%s, %s, %s, %s)"] * len(counters))
    sql = (
        f"INSERT INTO {table} ({key}, {bucket}, {count}, {expires}) VALUES {rows} "  # noqa: S608
        f"ON CONFLICT ({key}) DO UPDATE SET "
        f"{count} = CASE WHEN {table}.{bucket} = excluded.{bucket} "
        f"THEN {table}.{count} + excluded.{count} ELSE excluded.{count} END, "
        f"{bucket} = excluded.{bucket}, "
        f"{expires} = excluded.{expires} "
        f"RETURNING {key}, {count}"
    )
    params = [v for c in counters for v in (c.key, c.bucket, c.add, (c.bucket + 1) * c.seconds)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = dict(cursor.fetchall())
    return [int(found[c.key]) for c in counters]


def purge_expired_counters(now: float | None = None) -> int:
    """Drop the database counters of windows that have ended (run by `lumbung worker`)."""
    cutoff = int(now if now is not None else time.time())
    deleted, _rows = RateCounter.objects.filter(expires__lt=cutoff).delete()
    return deleted


_redis_clients: dict[str, Any] = {}


def _count_redis(url: str, counters: list[Counter]) -> list[int]:
    import redis

    client = _redis_clients.get(url)
    if client is None:
        client = _redis_clients[url] = redis.Redis.from_url(url)
    pipe = client.pipeline(transaction=False)
    for c in counters:
        name = f"lumbung:rl:{c.key}:{c.bucket}"
        pipe.incrby(name, c.add)
        pipe.expire(name, c.seconds + 1)
    results = pipe.execute()
    return [int(results[i * 2]) for i in range(len(counters))]


# The region and platform-wide counters are shared by every request: written on each one,
# their rows would be the database's hottest. Each process counts them itself and shares
# its tally at least every FLUSH_SECONDS or FLUSH_REQUESTS; a decision uses the last shared
# count plus this process's unshared requests. Per-client counts stay exact.
SHARED_SCOPES = frozenset({"region", "global"})
FLUSH_SECONDS = 0.25
FLUSH_REQUESTS = 20


@dataclass
class _Tally:
    bucket: int = -1
    pending: int = 0
    shared: int = 0
    flushed_at: float = 0.0


class SharedTally:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._tallies: dict[str, _Tally] = {}

    def reset(self) -> None:
        with self._lock:
            self._tallies.clear()

    def take(self, counter: Counter, now: float) -> tuple[int, Counter | None]:
        """Count one request; return the estimate and, when due, the batch to share."""
        with self._lock:
            tally = self._tallies.setdefault(counter.key, _Tally())
            if tally.bucket != counter.bucket:
                tally.bucket, tally.pending, tally.shared = counter.bucket, 0, 0
            tally.pending += 1
            estimate = tally.shared + tally.pending
            due = tally.pending >= FLUSH_REQUESTS or now - tally.flushed_at >= FLUSH_SECONDS
            if not due:
                return estimate, None
            batch = Counter(
                counter.key, counter.bucket, counter.seconds, counter.limit, tally.pending
            )
            tally.pending, tally.flushed_at = 0, now
            tally.shared = estimate  # until the shared count comes back
            return estimate, batch

    def shared_is(self, key: str, bucket: int, count: int) -> None:
        with self._lock:
            tally = self._tallies.get(key)
            if tally is not None and tally.bucket == bucket:
                tally.shared = max(tally.shared, count)


shared_tally = SharedTally()


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
        exact: list[Counter] = []
        estimates: list[tuple[Counter, int]] = []
        for scope, identity in scopes(request):
            if not limits.get(scope):
                continue
            counter = scoped_counter(scope, identity, parse_rate(str(limits[scope])), now)
            if scope in SHARED_SCOPES:
                estimate, batch = shared_tally.take(counter, now)
                estimates.append((counter, estimate))
                if batch is not None:
                    exact.append(batch)
            else:
                exact.append(counter)
        used = count_requests(exact) if exact else []
        results = list(estimates)
        for counter, count in zip(exact, used, strict=True):
            if counter.key.split(":", 1)[0] in SHARED_SCOPES:
                shared_tally.shared_is(counter.key, counter.bucket, count)
            else:
                results.append((counter, count))
        waits = [w for c, n in results if (w := c.wait(n, now)) is not None]
        return max(waits) if waits else None


def scoped_counter(scope: str, identity: str, rate: Rate, now: float) -> Counter:
    digest = hashlib.sha256(f"{scope}:{identity}".encode()).hexdigest()[:40]
    key = f"{scope}:{rate.seconds}:{digest}"
    return Counter(key, int(now // rate.seconds), rate.seconds, rate.count)
