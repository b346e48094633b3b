"""`python -m bench` (`make bench`): a fresh PostgreSQL database with the demo, SQL queries
per page counted in-process, pgbench as the database baseline, then each path served by
gunicorn under load next to a minimal Django view served the same way in the same run.
Prints a table and writes var/bench/results.json. Figures are never asserted."""

from __future__ import annotations

import argparse
import io
import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from statistics import median
from typing import Any

BASE_DIR = Path(__file__).resolve().parent.parent
OUT_DIR = BASE_DIR / "var" / "bench"
SETTINGS = "bench.settings"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/lumbung_bench"

# (path, required by the target). The first is the baseline.
BASELINE = "/bench/minimal"
# "|no-cache" asks the public cache to step aside: the cost of a signed-in visitor's page.
TARGETS = (
    ("/api/v1/regions/kota-bandung", True),
    ("/kota-bandung/", True),
    ("/api/v1/regions/kota-bandung|no-cache", False),
    ("/kota-bandung/|no-cache", False),
    ("/api/v1/regions", False),
    ("/", False),
)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    add = parser.add_argument
    add("--rounds", type=int, default=3, help="rounds over every path (3)")
    add("--seconds", type=int, default=4, help="measured seconds per path and round (4)")
    add("--warmup", type=int, default=2, help="warm-up seconds per path, dropped (2)")
    add("--connections", type=int, default=8, help="keep-alive connections (8)")
    add("--workers", type=int, default=os.cpu_count() or 2, help="gunicorn workers (nproc)")
    add("--threads", type=int, default=2, help="gunicorn threads per worker, gthread (2)")
    add("--extra-regions", type=int, default=20, help="regions added for the N+1 check (20)")
    add("--pgbench-seconds", type=int, default=10, help="pgbench run, 0 to skip (10)")
    add("--python-load", action="store_true", help="use the Python generator even with wrk")
    add(
        "--complaints-reports",
        type=int,
        default=1_000_000,
        help="reports for the complaints bench (python -m bench.complaints), 0 to skip",
    )
    add(
        "--permits-permits",
        type=int,
        default=1_000_000,
        help="permits for the verification bench (python -m bench.permits), 0 to skip",
    )
    add(
        "--performance-scale",
        type=float,
        default=1.0,
        help="share of a Bandung month for the E-RK bench (python -m bench.performance), 0 to skip",
    )
    return parser.parse_args()


def main() -> int:
    args = parse_args()
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS
    url = os.environ.setdefault("BENCH_DATABASE_URL", DEFAULT_URL)
    from .database import Server, database_recreate, server_version

    server = Server.from_url(url)
    if "bench" not in server.dbname:
        print(f"Refusing to drop {server.dbname!r}: the bench database's name must contain "
              "'bench' (BENCH_DATABASE_URL).", file=sys.stderr)  # fmt: skip
        return 2
    version = server_version(server)
    if version is None:
        print(
            f"PostgreSQL is not reachable at {server.host}:{server.port} as {server.user}.\n"
            "The benchmark needs it (set BENCH_DATABASE_URL to point elsewhere).",
            file=sys.stderr,
        )
        return 2
    started = time.time()
    step(f"Fresh database {server.dbname} on PostgreSQL {version}")
    database_recreate(server, server.dbname)
    prepare_django()
    queries = measure_queries(args.extra_regions)
    from django.db import connections

    connections.close_all()
    pgbench = measure_pgbench(server, args)
    http = measure_http(args, server.dbname)
    if http is None:
        return 1
    results = assemble(args, version, queries, pgbench, http)
    from .report import summary, write

    write(results, OUT_DIR / "results.json")
    print()
    print(summary(results))
    print(f"\nWritten to {(OUT_DIR / 'results.json').relative_to(BASE_DIR)}")
    failed = results["baseline"]["errors"] + sum(row["errors"] for row in results["targets"])
    if args.complaints_reports > 0:
        failed += run_complaints(args)
    if args.permits_permits > 0:
        failed += run_permits(args)
    if args.performance_scale > 0:
        failed += run_performance(args)
    stages_add(results, started)
    write(results, OUT_DIR / "results.json")
    return 1 if failed else 0


# Each stage writes its own file; results.json gathers those this run wrote.
STAGES = ("complaints", "permits", "performance")


def stages_add(results: dict[str, Any], started: float) -> None:
    """Every stage's figures of this run, under results["stages"]."""
    import json

    found = {}
    for name in STAGES:
        path = OUT_DIR / f"{name}.json"
        if path.exists() and path.stat().st_mtime >= started:
            found[name] = json.loads(path.read_text())
    results["stages"] = found


def run_complaints(args: argparse.Namespace) -> int:
    """The complaints bench in its own process: it has its own database and settings."""
    step("Complaints bench (python -m bench.complaints)")
    argv = [sys.executable, "-m", "bench.complaints", "--reports", str(args.complaints_reports)]
    argv += ["--workers", str(args.workers), "--threads", str(args.threads)]
    argv += ["--python-load"] if args.python_load else []
    return 1 if subprocess.run(argv, cwd=BASE_DIR, check=False).returncode == 1 else 0


def run_permits(args: argparse.Namespace) -> int:
    """The permits verification bench in its own process, with its own database."""
    step("Permits bench (python -m bench.permits)")
    argv = [sys.executable, "-m", "bench.permits", "--permits", str(args.permits_permits)]
    argv += ["--workers", str(args.workers), "--threads", str(args.threads)]
    argv += ["--python-load"] if args.python_load else []
    return 1 if subprocess.run(argv, cwd=BASE_DIR, check=False).returncode == 1 else 0


def run_performance(args: argparse.Namespace) -> int:
    """The E-RK performance bench (a Bandung month) in its own process and database."""
    step("Performance bench (python -m bench.performance)")
    argv = [sys.executable, "-m", "bench.performance", "--scale", str(args.performance_scale)]
    argv += ["--workers", str(args.workers), "--threads", str(args.threads)]
    argv += ["--python-load"] if args.python_load else []
    return 1 if subprocess.run(argv, cwd=BASE_DIR, check=False).returncode == 1 else 0


def step(message: str) -> None:
    print(f"== {message}", flush=True)


def prepare_django() -> None:
    """Migrate, cache table, static manifest (production's storage needs it), the demo."""
    import django
    from django.core.management import call_command

    django.setup()
    quiet = io.StringIO()
    started = time.monotonic()
    call_command("migrate", interactive=False, verbosity=0, stdout=quiet)
    call_command("createcachetable", verbosity=0, stdout=quiet)
    call_command("collectstatic", interactive=False, verbosity=0, clear=True, stdout=quiet)
    call_command("demo", allow_without_debug=True, stdout=quiet)
    step(f"Migrated, collected static files, loaded the demo ({time.monotonic() - started:.0f} s)")


def measure_queries(extra_regions: int) -> dict[str, Any]:
    from lumbung.core.models import Region

    from .queries import count_all, instance_grow, report

    demo_regions = Region.objects.filter(is_active=True).count()
    before = count_all()
    grown = instance_grow(extra_regions)
    after = count_all()
    step(f"Counted queries per page at {demo_regions} and {grown['active_regions']} regions")
    return {
        "demo": {"active_regions": demo_regions},
        "grown": grown,
        "paths": report(before, after),
    }


def measure_pgbench(server: Any, args: argparse.Namespace) -> dict[str, Any]:
    from .database import pgbench_select_only

    if args.pgbench_seconds <= 0:
        return {"skipped": "--pgbench-seconds 0"}
    step(f"pgbench select-only, {args.pgbench_seconds} s")
    try:
        return pgbench_select_only(
            server, seconds=args.pgbench_seconds, clients=args.workers * args.threads
        )
    except subprocess.CalledProcessError as error:
        return {"skipped": f"pgbench failed: {(error.stderr or '').strip()[-300:]}"}


def measure_http(args: argparse.Namespace, dbname: str) -> dict[str, Any] | None:
    """Every path warmed up, then measured in rounds that each take the baseline and every
    target back to back, so a change in the machine's load hits both sides of a ratio."""
    from . import cpu
    from .load import run, wrk_available
    from .server import get, gunicorn_start, server_env, wait_ready

    wrk = None if args.python_load else wrk_available(install=True)
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    server = gunicorn_start(
        cwd=BASE_DIR,
        env=server_env(SETTINGS),
        workers=args.workers,
        threads=args.threads,
        log_path=OUT_DIR / "gunicorn.log",
    )
    paths = [BASELINE, *(p for p, _ in TARGETS)]
    try:
        if not wait_ready(server):
            print(f"gunicorn did not become ready:\n{server.log_tail()}", file=sys.stderr)
            return None
        broken = {p: s for p in paths if (s := get(server.port, p)[0]) != 200}
        if broken:
            print(f"Not 200: {broken}\n{server.log_tail()}", file=sys.stderr)
            return None
        load = {"wrk": wrk, "connections": args.connections}
        step(f"Warm-up, {args.warmup} s per path")
        for path in paths:
            run(server.port, path, seconds=args.warmup, **load)
        samplers = (cpu.server_processes(server.process.pid), cpu.database_backends(dbname))
        rounds = []
        for number in range(1, args.rounds + 1):
            step(f"Round {number}/{args.rounds}: {args.seconds} s per path")
            rounds.append({p: _run_metered(server.port, p, args, load, samplers) for p in paths})
    finally:
        server.stop()
    return {"load_generator": "wrk" if wrk else "python", "rounds": rounds}


def _run_metered(
    port: int, path: str, args: argparse.Namespace, load: dict[str, Any], samplers: Any
) -> dict[str, Any]:
    """One measured run, with the server's and the database's CPU time per request."""
    from . import cpu
    from .load import run

    before = [sample() for sample in samplers]
    result = run(port, path, seconds=args.seconds, **load).as_dict()
    after = [sample() for sample in samplers]
    requests = max(int(result["requests"]), 1)
    for key, b, a in zip(("app_cpu_ms", "db_cpu_ms"), before, after, strict=True):
        result[key] = (
            round(cpu.seconds_between(b, a) * 1000 / requests, 3) if cpu.available() else None
        )
    return result


def combine(rounds: list[dict[str, Any]], path: str) -> dict[str, Any]:
    """One path over all rounds: throughput over the whole time, latencies the median of
    the rounds' percentiles."""
    runs = [r[path] for r in rounds]
    requests = sum(r["requests"] for r in runs)
    seconds = sum(r["seconds"] for r in runs)
    return {
        "path": path,
        "requests": requests,
        "seconds": round(seconds, 2),
        "rps": round(requests / seconds, 1) if seconds else 0.0,
        **{k: round(median(r[k] for r in runs), 2) for k in ("p50_ms", "p95_ms", "p99_ms")},
        "errors": sum(r["errors"] for r in runs),
        **{k: _per_request(runs, k) for k in ("app_cpu_ms", "db_cpu_ms")},
        "rounds": runs,
    }


def _per_request(runs: list[dict[str, Any]], key: str) -> float | None:
    """A per-request figure over all rounds, weighted by each round's requests."""
    if any(r[key] is None for r in runs):
        return None
    requests = sum(r["requests"] for r in runs)
    return round(sum(r[key] * r["requests"] for r in runs) / requests, 3) if requests else None


def ratios(rounds: list[dict[str, Any]], path: str) -> dict[str, Any]:
    """Target over baseline in each round; the figure is their median."""
    rps = [r[path]["rps"] / r[BASELINE]["rps"] for r in rounds if r[BASELINE]["rps"]]
    p95 = [r[path]["p95_ms"] / r[BASELINE]["p95_ms"] for r in rounds if r[BASELINE]["p95_ms"]]
    return {
        "rps_ratio": round(median(rps), 3) if rps else 0.0,
        "p95_ratio": round(median(p95), 2) if p95 else None,
        "rps_ratio_rounds": [round(x, 3) for x in rps],
    }


def assemble(
    args: argparse.Namespace,
    pg_version: str,
    queries: dict[str, Any],
    pgbench: dict[str, Any],
    http: dict[str, Any],
) -> dict[str, Any]:
    from .report import THROUGHPUT_TARGET

    rounds = http["rounds"]
    base = combine(rounds, BASELINE)
    base_rps = [r[BASELINE]["rps"] for r in rounds]
    base["spread_pct"] = round((max(base_rps) - min(base_rps)) / median(base_rps) * 100, 1)
    targets = []
    for path, required in TARGETS:
        row = combine(rounds, path) | ratios(rounds, path) | {"required": required}
        row["meets_target"] = row["rps_ratio"] >= THROUGHPUT_TARGET
        targets.append(row)
    return {
        "timestamp": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "commit": _commit(),
        "machine": _machine(pg_version),
        "config": {
            "rounds": args.rounds,
            "seconds": args.seconds,
            "warmup": args.warmup,
            "connections": args.connections,
            "workers": args.workers,
            "threads": args.threads,
            "worker_class": "gthread" if args.threads > 1 else "sync",
            "load_generator": http["load_generator"],
            "settings": SETTINGS,
        },
        "throughput_target": THROUGHPUT_TARGET,
        "baseline": base,
        "targets": targets,
        "queries": queries,
        "pgbench": pgbench,
        "verdict": {
            "throughput": all(t["meets_target"] for t in targets if t["required"]),
            "queries": all(row["constant"] for row in queries["paths"]),
        },
    }


def _commit() -> str:
    def git(*argv: str) -> str:
        return subprocess.run(
            ["git", *argv], cwd=BASE_DIR, capture_output=True, text=True, check=False
        ).stdout.strip()

    head = git("rev-parse", "--short", "HEAD") or "unknown"
    return f"{head}+dirty" if git("status", "--porcelain", "--untracked-files=no") else head


def _machine(pg_version: str) -> dict[str, Any]:
    import django
    import gunicorn

    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return {
        "cpus": os.cpu_count(),
        "cpu_model": model or platform.processor(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "gunicorn": gunicorn.__version__,
        "postgres": pg_version,
    }


if __name__ == "__main__":
    sys.exit(main())
