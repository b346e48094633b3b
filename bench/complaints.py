"""`python -m bench.complaints` (also the last stage of `python -m bench`): the complaints
module at a million reports over 50 regions, on its own PostgreSQL database
(`<bench database>_complaints`, recreated every run unless `--reuse`).

(a) Filing through the API (POST /api/v1/regions/<slug>/complaints/reports, signed-in
    callers spread over the 50 regions) with N concurrent clients, against pgbench's
    TPC-B-like read-write script with N clients in the same run. Target: >= 0.25.
(b) The public list (/<slug>/complaints/), first page and a deep page by its keyset
    cursor, rendered every time (no-cache), p95 under load. Target: p95 < 100 ms; the same
    number of queries at any depth.
(c) The public figures page (/<slug>/complaints/stats/) of the largest region (200,000
    reports), rendered every time. Target: p95 < 200 ms.
Each next to /bench/minimal served the same way in the same rounds."""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
import time
from statistics import median
from typing import Any

from . import complaints_load as post_load
from .__main__ import BASE_DIR, DEFAULT_URL, OUT_DIR, SETTINGS, _run_metered, combine, ratios, step

BASELINE = "/bench/minimal"
LIST_P95_MS, STATS_P95_MS, FILING_RATIO = 100.0, 200.0, 0.25


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.complaints", description=__doc__)
    add = parser.add_argument
    add("--reports", type=int, default=1_000_000, help="reports loaded (1,000,000)")
    add("--regions", type=int, default=50, help="regions with the module on (50)")
    add("--clients", type=int, default=8, help="concurrent API and pgbench clients (8)")
    add("--rounds", type=int, default=3, help="rounds over every measurement (3)")
    add("--seconds", type=int, default=5, help="measured seconds per path and round (5)")
    add("--warmup", type=int, default=2, help="warm-up seconds per path, dropped (2)")
    # Two connections: the pages' latency on a quiet server (one request per CPU of the
    # development machine), not the queue in front of a saturated one.
    add("--connections", type=int, default=2, help="keep-alive connections for pages (2)")
    add("--workers", type=int, default=os.cpu_count() or 2, help="gunicorn workers (nproc)")
    add("--threads", type=int, default=2, help="gunicorn threads per worker (2)")
    add("--pgbench-seconds", type=int, default=10, help="pgbench TPC-B-like run (10)")
    add("--python-load", action="store_true", help="use the Python generator even with wrk")
    add("--reuse", action="store_true", help="keep the loaded database from the last run")
    return parser.parse_args(argv)


def database_url() -> str:
    base = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    head, _sep, name = base.rpartition("/")
    return base if name.endswith("_complaints") else f"{head}/{name}_complaints"


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS
    os.environ["BENCH_DATABASE_URL"] = url = database_url()
    # Mail of each filing goes nowhere: the bench measures Lumbung, not an SMTP relay.
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.dummy.EmailBackend"
    from .database import Server, database_recreate, server_version

    server = Server.from_url(url)
    version = server_version(server)
    if version is None:
        print(
            f"Complaints bench skipped: PostgreSQL is not reachable at {server.host}:"
            f"{server.port} as {server.user} (set BENCH_DATABASE_URL).",
            file=sys.stderr,
        )
        return 2
    import django

    if not args.reuse:
        step(f"Fresh database {server.dbname} on PostgreSQL {version}")
        database_recreate(server, server.dbname)
    django.setup()
    data = prepare(args) if not args.reuse else reused()
    data["figures_worker_seconds"] = count_figures()
    queries = count_queries(data)
    from django.db import connections

    connections.close_all()
    pgbench = pgbench_tpcb(server, args)
    http = measure_http(args, data, server.dbname)
    if http is None:
        return 1
    results = assemble(args, version, data, queries, pgbench, http)
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    (OUT_DIR / "complaints.json").write_text(json.dumps(results, indent=2) + "\n")
    print()
    print(table(results))
    print(f"\nWritten to {(OUT_DIR / 'complaints.json').relative_to(BASE_DIR)}")
    return 0


def prepare(args: argparse.Namespace) -> dict[str, Any]:
    from django.core.management import call_command

    from .complaints_data import api_tokens, region_codes, regions_add, reports_load

    quiet = io.StringIO()
    started = time.monotonic()
    call_command("migrate", interactive=False, verbosity=0, stdout=quiet)
    call_command("createcachetable", verbosity=0, stdout=quiet)
    if not (OUT_DIR / "static" / "staticfiles.json").exists():
        call_command("collectstatic", interactive=False, verbosity=0, stdout=quiet)
    regions = regions_add(region_codes(args.regions))
    tokens = api_tokens(args.clients)
    step(
        f"{len(regions)} regions and {len(tokens)} API clients ({time.monotonic() - started:.0f} s)"
    )
    loaded = reports_load(regions, args.reports)
    step(f"Loaded {loaded['reports']:,} reports in {loaded['seconds']:.0f} s")
    loaded["regions"] = len(regions)
    data = {"slugs": [r.slug for r in regions], "tokens": tokens, "load": loaded}
    (OUT_DIR / "complaints-data.json").parent.mkdir(parents=True, exist_ok=True)
    (OUT_DIR / "complaints-data.json").write_text(json.dumps(data))
    return data


def reused() -> dict[str, Any]:
    step("Reusing the loaded database (--reuse)")
    return dict(json.loads((OUT_DIR / "complaints-data.json").read_text()))


def paths(data: dict[str, Any]) -> dict[str, str]:
    """The measured pages of the largest region; the deep page starts 100,000 reports in."""
    from lumbung.complaints.models import Complaint
    from lumbung.complaints.selectors import Cursor
    from lumbung.core.models import Region
    from lumbung.core.tenancy import region_scope

    slug = data["load"]["largest"]["slug"]
    region = Region.objects.get(slug=slug)
    with region_scope(region):
        public = Complaint.objects.filter(region=region, is_public=True)
        depth = min(100_000, max(public.count() - 40, 0))
        created_at, pk = public.order_by("-created_at", "-id").values_list("created_at", "pk")[
            depth
        ]
    deep = Cursor(created_at, pk).encode()
    return {
        "list, first page": f"/{slug}/complaints/",
        "list, deep page": f"/{slug}/complaints/?after={deep}",
        "stats": f"/{slug}/complaints/stats/",
        "depth": str(depth),
    }


def count_figures() -> float:
    """What `lumbung worker` does every run: count every region's all-time figures (the
    figures pages and API read that count). Its duration is reported, not a page's."""
    from lumbung.complaints.tasks import figures_refresh_all

    started = time.perf_counter()
    regions = figures_refresh_all.call()
    seconds = time.perf_counter() - started
    step(f"The worker counted the figures of {regions} regions in {seconds:.1f} s")
    return seconds


def count_queries(data: dict[str, Any]) -> dict[str, Any]:
    """Statements of each page, rendered (no-cache), after a warming request, without the
    cache's version reads."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_CACHE_CONTROL="no-cache")
    found: dict[str, Any] = {}
    for name, path in paths(data).items():
        if name == "depth":
            found[name] = int(path)
            continue
        client.get(path)
        with CaptureQueriesContext(connection) as captured:
            status = client.get(path).status_code
        # The shared versions are read at most once a second per process, whichever
        # request comes then: not the page's own statements.
        own = [q for q in captured.captured_queries if "lumbung_cache" not in q["sql"]]
        found[name] = {"path": path, "status": status, "queries": len(own)}
    first, deep = found["list, first page"], found["list, deep page"]
    found["constant"] = first["queries"] == deep["queries"]
    stats = found["stats"]["queries"]
    step(f"Queries: list {first['queries']} (deep {deep['queries']}), stats {stats}")
    return found


def pgbench_tpcb(server: Any, args: argparse.Namespace) -> dict[str, Any]:
    """pgbench's default (TPC-B-like, read-write) script, scale 10, as many clients as the
    API gets: what the database alone does with that many writers."""
    from .database import pgbench_run

    if args.pgbench_seconds <= 0:
        return {"skipped": "--pgbench-seconds 0"}
    step(f"pgbench TPC-B-like, {args.clients} clients, {args.pgbench_seconds} s")
    return pgbench_run(
        server, script="tpcb-like", seconds=args.pgbench_seconds, clients=args.clients
    )


def measure_http(
    args: argparse.Namespace, data: dict[str, Any], dbname: str
) -> dict[str, Any] | None:
    from . import cpu
    from .load import run, wrk_available
    from .server import get, gunicorn_start, server_env, wait_ready

    pages = {k: v for k, v in paths(data).items() if k != "depth"}
    keys = [BASELINE, *(f"{p}|no-cache" for p in pages.values())]
    wrk = None if args.python_load else wrk_available(install=True)
    server = gunicorn_start(
        cwd=BASE_DIR, env=server_env(SETTINGS), workers=args.workers, threads=args.threads,
        log_path=OUT_DIR / "gunicorn-complaints.log",
    )  # fmt: skip
    try:
        if not wait_ready(server):
            print(f"gunicorn did not become ready:\n{server.log_tail()}", file=sys.stderr)
            return None
        broken = {k: s for k in keys if (s := get(server.port, k)[0]) != 200}
        if broken:
            print(f"Not 200: {broken}\n{server.log_tail()}", file=sys.stderr)
            return None
        load = {"wrk": wrk, "connections": args.connections}
        step(f"Warm-up, {args.warmup} s per page and the API")
        for key in keys:
            run(server.port, key, seconds=args.warmup, **load)
        post_load.run(server.port, data, seconds=args.warmup, clients=args.clients)
        samplers = (cpu.server_processes(server.process.pid), cpu.database_backends(dbname))
        rounds = []
        for number in range(1, args.rounds + 1):
            step(f"Round {number}/{args.rounds}: {args.seconds} s per page and the API")
            found = {k: _run_metered(server.port, k, args, load, samplers) for k in keys}
            before = [sample() for sample in samplers]
            posted = post_load.run(server.port, data, seconds=args.seconds, clients=args.clients)
            after = [sample() for sample in samplers]
            found["POST"] = posted.as_dict() | {
                key: round(cpu.seconds_between(b, a) * 1000 / max(posted.requests, 1), 3)
                for key, b, a in zip(("app_cpu_ms", "db_cpu_ms"), before, after, strict=True)
            }
            rounds.append(found)
    finally:
        server.stop()
    return {"load_generator": "wrk" if wrk else "python", "rounds": rounds, "pages": pages}


def assemble(
    args: argparse.Namespace,
    version: str,
    data: dict[str, Any],
    queries: dict[str, Any],
    pgbench: dict[str, Any],
    http: dict[str, Any],
) -> dict[str, Any]:
    rounds = http["rounds"]
    rows = []
    for name, path in http["pages"].items():
        key = f"{path}|no-cache"
        row = combine(rounds, key) | ratios(rounds, key) | {"name": name}
        limit = STATS_P95_MS if name == "stats" else LIST_P95_MS
        row |= {"p95_target_ms": limit, "meets_target": row["p95_ms"] < limit}
        rows.append(row)
    posts = [r["POST"] for r in rounds]
    filing = {
        "rps": round(sum(p["requests"] for p in posts) / sum(p["seconds"] for p in posts), 1),
        "p50_ms": round(median(p["p50_ms"] for p in posts), 2),
        "p95_ms": round(median(p["p95_ms"] for p in posts), 2),
        "errors": sum(p["errors"] for p in posts),
        "app_cpu_ms": round(median(p["app_cpu_ms"] for p in posts), 2),
        "db_cpu_ms": round(median(p["db_cpu_ms"] for p in posts), 2),
        "rounds": posts,
    }
    tps = pgbench.get("tps")
    filing["ratio_to_pgbench"] = round(filing["rps"] / tps, 3) if tps else None
    filing["meets_target"] = bool(tps) and filing["ratio_to_pgbench"] >= FILING_RATIO
    return {
        "timestamp": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "postgres": version,
        "config": {k: v for k, v in vars(args).items()} | {"generator": http["load_generator"]},
        "load": data["load"],
        "queries": queries,
        "pgbench": pgbench,
        "filing": filing,
        "baseline": combine(rounds, BASELINE),
        "pages": rows,
    }


def table(results: dict[str, Any]) -> str:
    cfg, f, pg, base = results["config"], results["filing"], results["pgbench"], results["baseline"]
    load = results["load"]
    q = results["queries"]
    lines = [
        f"Complaints at scale: {load['reports']:,} reports over {load['regions']} regions "
        f"(largest {load['largest']['slug']}: {load['largest']['reports']:,}); gunicorn "
        f"{cfg['workers']}x{cfg['threads']}, {cfg['generator']} {cfg['connections']} "
        f"connections, {cfg['rounds']} rounds of {cfg['seconds']} s",
        f"{'measure':28} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'app cpu':>7} {'db cpu':>6} "
        f"{'ratio':>7}  target",
        f"{'/bench/minimal (baseline)':28} {base['rps']:>8.1f} {base['p50_ms']:>8.2f} "
        f"{base['p95_ms']:>8.2f} {_cpu(base)} {'1.00':>7}",
    ]
    for row in results["pages"]:
        verdict = "pass" if row["meets_target"] else "MISS"
        lines.append(
            f"{row['name'] + ' (rendered)':28} {row['rps']:>8.1f} {row['p50_ms']:>8.2f} "
            f"{row['p95_ms']:>8.2f} {_cpu(row)} {row['rps_ratio']:>7.2f}  p95 < "
            f"{row['p95_target_ms']:.0f} "
            f"ms: {verdict}"
        )
    lines.append(
        f"{'API filing, ' + str(cfg['clients']) + ' clients':28} {f['rps']:>8.1f} "
        f"{f['p50_ms']:>8.2f} {f['p95_ms']:>8.2f} {_cpu(f)} {f['ratio_to_pgbench'] or 0:>7.3f}  "
        f">= {FILING_RATIO} of pgbench: {'pass' if f['meets_target'] else 'MISS'}"
        f" ({f['errors']} errors)"
    )
    lines.append(
        f"pgbench TPC-B-like: {pg.get('tps', '-')} tps ({pg.get('clients', '-')} clients, scale 10)"
        if "tps" in pg
        else f"pgbench: {pg.get('skipped')}"
    )
    lines.append(
        f"Queries per page (rendered): list {q['list, first page']['queries']}, deep page "
        f"({q['depth']:,} in) {q['list, deep page']['queries']}: "
        f"{'constant' if q['constant'] else 'NOT constant'}; stats {q['stats']['queries']}"
    )
    lines.append("(page ratio: req/s over the baseline's in the same round, median of rounds;")
    lines.append(" app cpu, db cpu: CPU ms per request of gunicorn and of PostgreSQL's backends)")
    return "\n".join(lines)


def _cpu(row: dict[str, Any]) -> str:
    def fmt(value: float | None) -> str:
        return "-" if value is None else f"{value:.2f}"

    return f"{fmt(row.get('app_cpu_ms')):>7} {fmt(row.get('db_cpu_ms')):>6}"


if __name__ == "__main__":
    sys.exit(main())
