"""SQL queries per request, counted in-process through the whole middleware stack, before
and after the instance grows: a page whose count grows with regions or modules has an N+1."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from lumbung.core.models import Region
from lumbung.core.models.regions import RegionType
from lumbung.core.modules import registry
from lumbung.core.services.regions import region_add, region_modules_set
from lumbung.core.tenancy import dangerously_unscoped, region_scope

# Paths whose count must not depend on how many regions are active or modules are on.
PATHS = (
    "/bench/minimal",
    "/api/v1/regions/kota-bandung",
    "/api/v1/regions/banten",
    "/api/v1/regions",
    "/kota-bandung/",
    "/banten/",
    "/",
)
GROW_PROVINCE = "36"  # Banten: its other kabupaten/kota become children of a demo region.


def _cache_table() -> str:
    location = settings.CACHES["default"].get("LOCATION", "")
    backend = settings.CACHES["default"]["BACKEND"]
    return str(location) if backend.endswith("db.DatabaseCache") else ""


TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT")


def count(client: Client, path: str) -> dict[str, Any]:
    """Statements of one request, after a first request that warms per-process caches.
    `page` is what the page itself asks; the cache backend's (the throttles', with the
    database cache) and transaction control are counted apart."""
    client.get(path)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    table = _cache_table()
    statements = [q["sql"] for q in captured.captured_queries]
    cache = sum(1 for q in statements if table and table in q)
    control = sum(1 for q in statements if q.upper().startswith(TRANSACTION_CONTROL))
    return {
        "status": response.status_code,
        "total": len(statements),
        "page": len(statements) - cache - control,
        "cache": cache,
        "transaction_control": control,
        "statements": statements,
    }


def count_all() -> dict[str, dict[str, Any]]:
    client = Client()
    return {path: count(client, path) for path in PATHS}


def instance_grow(extra_regions: int) -> dict[str, int]:
    """Switch every module on for every active region and add `extra_regions` regions with
    every module on — Banten's remaining kabupaten/kota first, so the province page grows
    too — all through the project's own services."""
    keys = registry.module_keys()
    with dangerously_unscoped():
        active = list(Region.objects.filter(is_active=True))
        candidates = list(
            Region.objects.filter(is_active=False)
            .exclude(type=RegionType.PROVINSI)
            .select_related("parent")
            .order_by("code")
        )
    candidates.sort(key=lambda r: (r.parent.code != GROW_PROVINCE if r.parent else True, r.code))
    for region in active:
        with region_scope(region):
            region_modules_set(region=region, actor=None, enable=keys)
    for region in candidates[:extra_regions]:
        region_add(code=region.code, actor=None, modules=keys)
    with dangerously_unscoped():
        return {
            "active_regions": Region.objects.filter(is_active=True).count(),
            "banten_children": Region.objects.filter(
                parent__code=GROW_PROVINCE, is_active=True
            ).count(),
            "modules_registered": len(keys),
        }


def report(
    before: dict[str, dict[str, Any]], after: dict[str, dict[str, Any]]
) -> list[dict[str, Any]]:
    rows = []
    for path in PATHS:
        b, a = before[path], after[path]
        rows.append(
            {
                "path": path,
                "status": a["status"],
                "before": b,
                "after": a,
                "constant": b["page"] == a["page"] and b["status"] == a["status"] == 200,
            }
        )
    return rows
