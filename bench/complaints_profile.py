"""`python -m bench.complaints_profile`: one API filing looked at closely, in-process, on the
complaints bench's database (run `python -m bench.complaints` once first; it is reused).

Files reports through Django's test client (the whole middleware stack, a signed-in
citizen's token, the next of the 50 regions each time, as the load does) and prints the
statements of one filing, the median milliseconds per filing (wall, and the CPU of
this process alone, which a busy machine moves less) and, with --profile, cProfile's heaviest
functions. A measurement aid, not a test: nothing here is asserted."""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import sys
import time
from statistics import median
from typing import Any

from .__main__ import OUT_DIR, SETTINGS
from .complaints import database_url
from .complaints_load import CATEGORIES


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.complaints_profile", description=__doc__)
    add = parser.add_argument
    add("--filings", type=int, default=200, help="filings timed after a warm-up (200)")
    add("--sql", action="store_true", help="print every statement of one filing")
    add("--profile", action="store_true", help="cProfile the timed filings")
    add("--top", type=int, default=40, help="functions shown with --profile (40)")
    add("--sort", default="cumulative", help="cProfile order: cumulative or tottime")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS
    os.environ["BENCH_DATABASE_URL"] = database_url()
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.dummy.EmailBackend"
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    data = json.loads((OUT_DIR / "complaints-data.json").read_text())
    client = Client()
    counter = iter(range(10**9))

    def file_one() -> None:
        n = next(counter)
        slug = data["slugs"][n % len(data["slugs"])]
        body = {
            "category": CATEGORIES[n % len(CATEGORIES)],
            "description": f"Profile: jalan berlubang nomor {n} di dekat pasar",
            "latitude": -6.9 + (n % 100) / 1000,
            "longitude": 107.6 + (n % 97) / 1000,
        }
        token = data["tokens"][n % len(data["tokens"])]
        response = client.post(
            f"/api/v1/regions/{slug}/complaints/reports",
            json.dumps(body),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )
        if response.status_code != 201:
            raise SystemExit(f"filing answered {response.status_code}: {response.content[:300]!r}")

    for _warm in range(2 * len(data["slugs"])):  # every region's per-process state warm
        file_one()
    with CaptureQueriesContext(connection) as captured:
        file_one()
    statements = [q["sql"] for q in captured.captured_queries]
    print(f"Statements per filing: {len(statements)}")
    if args.sql:
        for number, sql in enumerate(statements, 1):
            print(f"{number:3}. {sql[:300]}")
    wall, cpu = _timed(file_one, args.filings)
    print(
        f"ms per filing, {args.filings} filings, one client: median {median(wall):.2f} wall, "
        f"{median(cpu):.2f} CPU of this process (the database's time not included)"
    )
    if args.profile:
        print(_profiled(file_one, args.filings, args.top, args.sort))
    return 0


def _timed(file_one: Any, filings: int) -> tuple[list[float], list[float]]:
    """Wall and CPU milliseconds of each filing: on a busy machine the CPU time holds."""
    wall, cpu = [], []
    for _n in range(filings):
        started, started_cpu = time.perf_counter(), time.process_time()
        file_one()
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return wall, cpu


def _profiled(file_one: Any, filings: int, top: int, sort: str) -> str:
    profiler = cProfile.Profile()
    profiler.enable()
    for _n in range(filings):
        file_one()
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).sort_stats(sort)
    stats.print_stats(top)
    return out.getvalue()


if __name__ == "__main__":
    sys.exit(main())
