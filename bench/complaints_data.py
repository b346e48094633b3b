"""The complaints bench's data: 50 kabupaten/kota with the module on (through the services,
like an operator), API clients with tokens, and a million reports written straight in SQL
(INSERT ... SELECT generate_series: the ORM would take an hour)."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from lumbung.complaints.models import Category
from lumbung.complaints.services import categories_adopt_starter
from lumbung.complaints.services.filing import SERIES
from lumbung.core.models import NumberSeries, Region, Unit
from lumbung.core.models.regions import RegionType
from lumbung.core.models.units import UnitKind
from lumbung.core.services.people import token_issue, user_ensure
from lumbung.core.services.regions import region_add
from lumbung.core.services.units import unit_create
from lumbung.core.tenancy import dangerously_unscoped, region_scope

LARGEST = "32.73"  # Kota Bandung: the largest region, a fifth of all reports
LARGEST_SHARE = 0.2
YEARS = 2  # reports spread over the last two years
UNITS = (("DPUPR", UnitKind.DINAS), ("DINSOS", UnitKind.DINAS), ("INSP", UnitKind.INSPEKTORAT))


def region_codes(count: int) -> list[str]:
    """Kota Bandung, then the first kabupaten/kota of Jawa Barat, Jawa Tengah... by code."""
    with dangerously_unscoped():
        codes = list(
            Region.objects.exclude(type=RegionType.PROVINSI)
            .filter(code__gte="32")
            .order_by("code")
            .values_list("code", flat=True)[: count + 1]
        )
    return [LARGEST, *[c for c in codes if c != LARGEST]][:count]


def regions_add(codes: list[str]) -> list[Region]:
    """Each region activated with the complaints module, three units and the starter
    categories, through the services."""
    regions = []
    for code in codes:
        region = region_add(code=code, actor=None, modules=["complaints"])
        with region_scope(region), transaction.atomic():
            for unit_code, kind in UNITS:
                unit_create(
                    region=region,
                    actor=None,
                    data={"code": unit_code, "name": unit_code, "kind": kind},
                )
            categories_adopt_starter(region=region, actor=None)
        regions.append(region)
    return regions


def api_tokens(count: int) -> list[str]:
    """Signed-in citizens' bearer tokens: an anonymous caller would meet the filing limits
    per address after ten reports."""
    tokens = []
    for n in range(count):
        with transaction.atomic():
            user = user_ensure(email=f"bench{n}@warga.bench", full_name=f"Warga Bench {n}")
            tokens.append(token_issue(user=user, name="bench")[1])
    return tokens


# One region's reports; %(...)s are the region's own values. State by a random draw:
# closed 55%, in progress 15%, received 10%, resolved 5%, rejected 8%, duplicate 7%.
INSERT = """
INSERT INTO complaints_complaint (
    region_id, state, state_entered_at, due_at, escalation_level, version,
    ticket, year, number, category_id, sla_class, description, latitude, longitude,
    location_text, kelurahan_code, kelurahan_name, is_public, reporter_id,
    contact_name, contact_email, contact_phone, tracking_hash, unit_id, assignee_id,
    duplicate_of_id, supporters_count, source, client_id,
    first_response_at, first_response_on_time, first_response_seconds,
    resolved_at, resolved_on_time, resolution_seconds, closed_at, reopen_count,
    rating, rating_comment, created_at, updated_at, paused_state)
SELECT
    %(region)s, s.state, s.created_at + interval '1 hour', s.due_at, 0, 1,
    %(prefix)s || extract(year FROM s.created_at)::int || '-'
        || lpad(s.g::text, greatest(6, length(s.g::text)), '0'),
    extract(year FROM s.created_at)::int, s.g,
    (%(categories)s::bigint[])[1 + s.g %% %(ncat)s], (%(classes)s::text[])[1 + s.g %% %(ncat)s],
    'Laporan bench nomor ' || s.g || ': jalan rusak di dekat pasar',
    -6.9 + s.r2 / 10, 107.6 + s.r3 / 10, '', '', '', s.r3 < 0.85, NULL,
    'Warga', 'warga' || s.g || '@surel.bench', '', md5(s.g::text) || md5(s.g::text || 'x'),
    (%(units)s::bigint[])[1 + s.g %% %(nunits)s], NULL, NULL, (s.r2 * 3)::int, 'web', NULL,
    CASE WHEN s.state <> 'submitted' THEN s.created_at + s.r2 * interval '3 days' END,
    CASE WHEN s.state <> 'submitted' THEN s.r2 < 0.8 END,
    CASE WHEN s.state <> 'submitted' THEN (s.r2 * 259200)::int END,
    CASE WHEN s.state IN ('resolved', 'closed') THEN s.created_at + s.r2 * interval '10 days' END,
    CASE WHEN s.state IN ('resolved', 'closed') THEN s.r3 < 0.75 END,
    CASE WHEN s.state IN ('resolved', 'closed') THEN (s.r2 * 864000)::int END,
    CASE WHEN s.state IN ('closed', 'rejected', 'duplicate')
         THEN s.created_at + s.r2 * interval '14 days' END,
    0,
    CASE WHEN s.state = 'closed' AND s.r3 < 0.6 THEN 1 + (s.r3 * 8)::int %% 5 END,
    '', s.created_at, s.created_at, ''
FROM (
    SELECT g, r1, r2, r3, created_at,
        CASE WHEN r1 < 0.55 THEN 'closed' WHEN r1 < 0.70 THEN 'in_progress'
             WHEN r1 < 0.80 THEN 'submitted' WHEN r1 < 0.85 THEN 'resolved'
             WHEN r1 < 0.93 THEN 'rejected' ELSE 'duplicate' END AS state,
        CASE WHEN r1 >= 0.55 AND r1 < 0.85
             THEN created_at + interval '5 days' END AS due_at
    FROM (
        SELECT g, random() AS r1, random() AS r2, random() AS r3,
            %(now)s - (%(n)s - g) * (%(span)s / %(n)s) AS created_at
        FROM generate_series(1, %(n)s) AS g
    ) AS drawn
) AS s
"""


def reports_load(regions: list[Region], total: int) -> dict[str, Any]:
    """`total` reports: a fifth in the first (largest) region, the rest evenly."""
    started = time.monotonic()
    now = timezone.now()
    rest = int(total * (1 - LARGEST_SHARE)) // max(len(regions) - 1, 1)
    largest = total - rest * (len(regions) - 1)  # the largest takes the remainder too
    counts: dict[str, int] = {}
    with dangerously_unscoped(), connection.cursor() as cursor:
        for i, region in enumerate(regions):
            n = largest if i == 0 else rest
            categories = list(
                Category.objects.filter(region=region)
                .order_by("order")
                .values_list("pk", "sla_class")
            )
            units = list(Unit.objects.filter(region=region).values_list("pk", flat=True))
            cursor.execute(
                INSERT,
                {
                    "region": region.pk,
                    "prefix": f"LAKSA-{region.code.replace('.', '')}-",
                    "categories": [pk for pk, _c in categories],
                    "classes": [c for _pk, c in categories],
                    "ncat": len(categories),
                    "units": units,
                    "nunits": len(units),
                    "now": now,
                    "n": n,
                    "span": dt.timedelta(days=365 * YEARS),
                },
            )
            # The API's filings go on from the highest number of this year.
            NumberSeries.objects.update_or_create(
                region=region,
                series=SERIES,
                year=timezone.localdate().year,
                defaults={"last": n},
            )
            counts[region.slug] = n
        cursor.execute("ANALYZE complaints_complaint")
    return {
        "reports": sum(counts.values()),
        "largest": {"slug": regions[0].slug, "reports": counts[regions[0].slug]},
        "per_other_region": rest,
        "seconds": round(time.monotonic() - started, 1),
    }
