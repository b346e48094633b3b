"""`python -m bench.performance_profile`: the performance bench's two measured paths looked at
closely, in-process, on its database (run `python -m bench.performance` once first; it is
reused). A measurement aid, not a test: nothing here is asserted.

- `entries`: logs entries through Django's test client (the whole middleware stack, each
  request the next person's bearer token, as the load does); prints one request's
  statements and the median milliseconds per entry (wall, and this process's CPU, which a
  busy machine moves less).
- `compute`: runs `month_compute` of the loaded month and prints its statements with their
  times, and the wall and CPU time of the whole.
With --profile, cProfile's heaviest functions of the timed part."""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import sys
import time
from collections.abc import Callable
from statistics import median
from typing import Any

from .__main__ import OUT_DIR, SETTINGS
from .performance import DATA, Plan, api_path, database_url


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.performance_profile", description=__doc__
    )
    add = parser.add_argument
    add("what", choices=("entries", "compute"), help="the path to look at")
    add("--count", type=int, default=200, help="entries timed after a warm-up (200)")
    add("--sql", action="store_true", help="print every statement of one run")
    add("--profile", action="store_true", help="cProfile the timed part")
    add("--top", type=int, default=40, help="functions shown with --profile (40)")
    add("--sort", default="cumulative", help="cProfile order: cumulative or tottime")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS
    os.environ["BENCH_DATABASE_URL"] = database_url()
    import django

    django.setup()
    data = json.loads((OUT_DIR / DATA).read_text())
    run, count = (_entries(data), args.count) if args.what == "entries" else (_compute(data), 1)
    run()  # warm: the process's memory of the region's setup
    if args.sql or args.what == "compute":
        _statements(run, every=args.sql)
    profiler = cProfile.Profile(time.process_time) if args.profile else None  # CPU, not waits
    walls, cpus = [], []
    for _n in range(count):
        wall, cpu = time.perf_counter(), time.process_time()
        if profiler:
            profiler.enable()
        run()
        if profiler:
            profiler.disable()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    print(f"{args.what}: {count} run(s), median {median(walls) * 1000:.2f} ms wall, "
          f"{median(cpus) * 1000:.2f} ms CPU of this process")  # fmt: skip
    if profiler:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(args.sort).print_stats(args.top)
        print(out.getvalue())
    return 0


def _statements(run: Callable[[], Any], *, every: bool) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        run()
    own = [q for q in captured.captured_queries if "lumbung_cache" not in q["sql"] or every]
    took = sum(float(q["time"]) for q in own)
    print(f"{len(own)} statements, {took * 1000:.1f} ms between them:")
    for q in own:
        print(f"  {float(q['time']) * 1000:7.1f} ms  {q['sql'][: 160 if not every else 4000]}")


def _entries(data: dict[str, Any]) -> Callable[[], None]:
    from django.test import Client

    plan, path, client = Plan(data), api_path(data), Client()

    def post() -> None:
        token, body = plan.lines(1)[0].split("\t", 1)
        plan.advance(1)
        response = client.post(path, body, content_type="application/json",
                               HTTP_AUTHORIZATION=f"Bearer {token}")  # fmt: skip
        if response.status_code != 201:
            raise RuntimeError(f"{response.status_code}: {response.content[:300]!r}")

    return post


def _compute(data: dict[str, Any]) -> Callable[[], None]:
    from django.db import transaction

    from lumbung.core import rls
    from lumbung.core.models import Region, User
    from lumbung.core.tenancy import region_scope
    from lumbung.performance.allowance.compute import month_compute

    region = Region.objects.get(slug=data["region"])
    payroll = User.objects.get(pk=data["payroll"])

    def compute() -> None:
        with region_scope(region), transaction.atomic():
            rls.activate(region)
            month_compute(region=region, actor=payroll, year=data["year"], month=data["month"])

    return compute


if __name__ == "__main__":
    sys.exit(main())
