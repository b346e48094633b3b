"""`python -m bench.permits` (also a stage of `python -m bench`): the public verification
page a permit's QR code opens, under load, with 1,000,000 issued documents over 50
regions, on its own PostgreSQL database (`<bench database>_permits`, recreated every run
unless `--reuse`).

GET /<region>/permits/verify/<code>/ with codes drawn at random over every region, and a
share of unknown ones (altered, made up, another region's), next to /bench/minimal served
the same way in the same rounds. Targets (issue 5): p95 under 50 ms, and req/s at least
0.5 of the minimal view's. The lookup's plan (EXPLAIN ANALYZE, under the tenant role as a
request runs it) is printed. Figures go to var/bench/permits.json, never asserted."""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import sys
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from .__main__ import BASE_DIR, DEFAULT_URL, OUT_DIR, SETTINGS, combine, ratios, step

if TYPE_CHECKING:
    from .load import Request

BASELINE, VERIFY, LIGHT = "/bench/minimal", "verify", "verify, light"
P95_MS, RATIO = 50.0, 0.5
DATA = "permits-data.json"  # what was loaded, for --reuse


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.permits", description=__doc__)
    add = parser.add_argument
    add("--permits", type=int, default=1_000_000, help="documents issued in all (1,000,000)")
    add("--regions", type=int, default=50, help="regions with the module on (50)")
    add("--through-services", type=int, default=40,
        help="of them, per region, made by application_apply (40)")  # fmt: skip
    add("--codes", type=int, default=20_000, help="known codes drawn for the load (20,000)")
    add("--unknown", type=float, default=0.1, help="share of unknown codes requested (0.1)")
    add("--rounds", type=int, default=3, help="rounds, each baseline then verification (3)")
    add("--seconds", type=int, default=5, help="measured seconds per path and round (5)")
    add("--warmup", type=int, default=2, help="warm-up seconds per path, dropped (2)")
    add("--connections", type=int, default=8, help="keep-alive connections (8)")
    add("--light", type=int, default=2, help="connections of the light-load row, 0 skips (2)")
    add("--workers", type=int, default=os.cpu_count() or 2, help="gunicorn workers (nproc)")
    add("--threads", type=int, default=2, help="gunicorn threads per worker (2)")
    add("--python-load", action="store_true", help="use the Python generator even with wrk")
    add("--reuse", action="store_true", help="keep the loaded database from the last run")
    return parser.parse_args(argv)


def database_url() -> str:
    base = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    head, _sep, name = base.rpartition("/")
    return base if name.endswith("_permits") else f"{head}/{name}_permits"


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS
    os.environ["BENCH_DATABASE_URL"] = url = database_url()
    # The receipts' notification mail goes nowhere: the bench measures Lumbung, not SMTP.
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.dummy.EmailBackend"
    from .database import Server, database_recreate, server_version

    server = Server.from_url(url)
    version = server_version(server)
    if version is None:
        where = f"{server.host}:{server.port} as {server.user}"
        print(f"Permits bench skipped: PostgreSQL is not reachable at {where} "
              "(set BENCH_DATABASE_URL).", file=sys.stderr)  # fmt: skip
        return 2
    import django

    if not args.reuse:
        step(f"Fresh database {server.dbname} on PostgreSQL {version}")
        database_recreate(server, server.dbname)
    django.setup()
    if args.reuse:
        step("Reusing the loaded database (--reuse)")
    load = prepare(args) if not args.reuse else json.loads((OUT_DIR / DATA).read_text())
    from .permits_data import sample_paths

    paths = sample_paths(args.codes, args.unknown)
    plan, statements = explain(paths), count_queries(paths)
    from django.db import connections

    connections.close_all()
    http = measure_http(args, paths, server.dbname)
    if http is None:
        return 1
    results = assemble(args, version, load, plan, statements, http)
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    (OUT_DIR / "permits.json").write_text(json.dumps(results, indent=2) + "\n")
    print()
    print(table(results))
    print(f"\nWritten to {(OUT_DIR / 'permits.json').relative_to(BASE_DIR)}")
    light = results["verify_light"] or {"errors": 0}
    failed = results["baseline"]["errors"] + results["verify"]["errors"] + light["errors"]
    return 1 if failed else 0


def prepare(args: argparse.Namespace) -> dict[str, Any]:
    from django.core.management import call_command

    from .complaints_data import region_codes
    from .permits_data import bulk_load, regions_add, service_load, shape_check, statuses

    quiet, started = io.StringIO(), time.monotonic()
    call_command("migrate", interactive=False, verbosity=0, stdout=quiet)
    call_command("createcachetable", verbosity=0, stdout=quiet)
    if not (OUT_DIR / "static" / "staticfiles.json").exists():
        call_command("collectstatic", interactive=False, verbosity=0, stdout=quiet)
    setups = regions_add(region_codes(args.regions))
    step(f"{len(setups)} regions with their catalogue ({time.monotonic() - started:.0f} s)")
    # The service-made documents go last, on top of the bulk ones, as new issues would.
    through = min(args.through_services, args.permits // max(len(setups), 1))
    copied = bulk_load(setups, args.permits - through * len(setups))
    step(f"COPYed {copied['copied']:,} documents in {copied['seconds']:.0f} s")
    served = service_load(setups, through)
    step(f"{served['through_services']:,} more through the services in {served['seconds']:.0f} s")
    problems = shape_check(setups[0])
    step("Bulk rows shaped as the services' ones" if not problems else "SHAPE DIFFERS")
    for problem in problems:
        print(f"   {problem}")
    load = copied | served | {"regions": len(setups), "shape_differences": problems}
    load["documents"] = copied["copied"] + served["through_services"]
    load["statuses"] = statuses()
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    (OUT_DIR / DATA).write_text(json.dumps(load))
    return load


def explain(paths: list[tuple[str, str]]) -> list[str]:
    """EXPLAIN (ANALYZE, BUFFERS) of the statement `selectors.verify` sends, captured as it
    runs, under the tenant role and region setting a request's transaction has."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from lumbung.core import rls
    from lumbung.core.models import Region
    from lumbung.core.tenancy import region_scope
    from lumbung.permits.selectors import verify

    path = next(p for p, expected in paths if expected != "unknown")
    slug, _permits, _verify, code = path.strip("/").split("/")
    region = Region.objects.get(slug=slug)
    with region_scope(region), transaction.atomic():
        rls.activate(region)
        with CaptureQueriesContext(connection) as captured:
            verify(region, code)
        sql = next(q["sql"] for q in captured.captured_queries if "permits_permit" in q["sql"])
        with connection.cursor() as cursor:
            for _warm in range(2):  # the second run, with the pages in the buffer cache
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
                plan = [str(row[0]) for row in cursor.fetchall()]
    step("The lookup's plan (EXPLAIN ANALYZE, tenant role):")
    print("   " + sql)
    print("\n".join(f"   {line}" for line in plan))
    return [sql, *plan]


def count_queries(paths: list[tuple[str, str]]) -> dict[str, int]:
    """Statements per request, in-process through the whole stack, for a known and an
    unknown code, without the shared cache versions (read once a second per process)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client, found = Client(), {}
    for kind in ("known", "unknown"):
        path = next(p for p, e in paths if (e == "unknown") == (kind == "unknown"))
        client.get(path)
        with CaptureQueriesContext(connection) as captured:
            client.get(path)
        found[kind] = len([q for q in captured if "lumbung_cache" not in q["sql"]])
    step(f"Statements per request: known code {found['known']}, unknown {found['unknown']}")
    return found


def measure_http(
    args: argparse.Namespace, paths: list[tuple[str, str]], dbname: str
) -> dict[str, Any] | None:
    from . import cpu
    from .load import wrk_available
    from .permits_data import pages_check
    from .server import gunicorn_start, server_env, wait_ready

    wrk = None if args.python_load else wrk_available(install=True)
    # The machine's load before the server starts: what else was running (1, 5, 15 min).
    load_before = [round(x, 1) for x in os.getloadavg()]
    server = gunicorn_start(
        cwd=BASE_DIR, env=server_env(SETTINGS), workers=args.workers, threads=args.threads,
        log_path=OUT_DIR / "gunicorn-permits.log",
    )  # fmt: skip
    # (paths, connections): the light row is the page's own latency, without the queue.
    known = [p for p, _e in paths]
    lists = {BASELINE: ([BASELINE], args.connections), VERIFY: (known, args.connections)}
    lists |= {LIGHT: (known, args.light)} if args.light > 0 else {}
    try:
        if not wait_ready(server):
            print(f"gunicorn did not become ready:\n{server.log_tail()}", file=sys.stderr)
            return None
        wrong = pages_check(server.port, paths)
        if wrong:
            print("Wrong answers:\n" + "\n".join(wrong[:20]) + f"\n{server.log_tail()}",
                  file=sys.stderr)  # fmt: skip
            return None
        step(f"Warm-up, {args.warmup} s per path")
        for listed, connections in lists.values():
            run_paths(server.port, listed, wrk, args.warmup, connections)
        samplers = (cpu.server_processes(server.process.pid), cpu.database_backends(dbname))
        rounds = []
        for number in range(1, args.rounds + 1):
            step(f"Round {number}/{args.rounds}: {args.seconds} s per path")
            found = {}
            for key, (listed, connections) in lists.items():
                found[key] = _metered(server.port, listed, connections, wrk, args, samplers)
            rounds.append(found)
    finally:
        server.stop()
    return {"load_generator": "wrk" if wrk else "python", "rounds": rounds, "load": load_before}


def _metered(port: int, paths: list[str], connections: int, wrk: str | None,
             args: argparse.Namespace, samplers: Any) -> dict[str, Any]:  # fmt: skip
    """One measured run, with the server's and the database's CPU time per request."""
    from . import cpu

    before = [sample() for sample in samplers]
    result = run_paths(port, paths, wrk, args.seconds, connections)
    after = [sample() for sample in samplers]
    requests = max(int(result["requests"]), 1)
    for key, b, a in zip(("app_cpu_ms", "db_cpu_ms"), before, after, strict=True):
        ms = cpu.seconds_between(b, a) * 1000 / requests
        result[key] = round(ms, 3) if cpu.available() else None
    return result


# Each request a random one of the paths; 404s counted apart (an unknown code's right
# answer), any other status but 200 is wrong (an error).
LUA = """
math.randomseed(SEED)
not_found, wrong = 0, 0
function request() return wrk.format("GET", lines[math.random(#lines)]) end
function response(status)
  if status == 404 then not_found = not_found + 1 elseif status ~= 200 then wrong = wrong + 1 end
end
"""


def run_paths(
    port: int, paths: list[str], wrk: str | None, seconds: int, connections: int
) -> dict[str, Any]:
    """Load random picks of `paths` for `seconds`: wrk, or load.py's Python generator."""
    from .load import WRONG, python_run, wrk_run

    if wrk is not None:
        script = LUA.replace("SEED", str(random.randrange(1 << 30)))
        result = wrk_run(wrk, port, seconds=seconds, connections=connections, script=script,
                         counters=("not_found",), lines=paths)  # fmt: skip
    else:

        def picks(i: int) -> Iterator[Request]:
            pick = random.Random(i).choice
            while True:
                yield "GET", pick(paths), None, {}

        def status(code: int) -> str | None:
            return "not_found" if code == 404 else WRONG if code != 200 else None

        result = python_run(port, seconds=seconds, connections=connections, requests=picks,
                            count=status)  # fmt: skip
    return result.as_dict() | {"not_found": result.counts.get("not_found", 0)}


def assemble(
    args: argparse.Namespace,
    version: str,
    load: dict[str, Any],
    plan: list[str],
    statements: dict[str, int],
    http: dict[str, Any],
) -> dict[str, Any]:
    rounds = http["rounds"]
    row = _verify_row(rounds, VERIFY)
    row["meets_p95"] = row["p95_ms"] < P95_MS
    row["meets_ratio"] = row["rps_ratio"] >= RATIO
    return {
        "timestamp": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "postgres": version,
        "load_average": {"before": http["load"], "after": [round(x, 1) for x in os.getloadavg()]},
        "config": dict(vars(args)) | {"generator": http["load_generator"]},
        "load": load,
        "explain": plan,
        "statements": statements,
        "baseline": combine(rounds, BASELINE),
        "verify": row,
        "verify_light": _verify_row(rounds, LIGHT) if LIGHT in rounds[0] else None,
        "targets": {"p95_ms": P95_MS, "rps_ratio": RATIO},
    }


def _verify_row(rounds: list[dict[str, Any]], key: str) -> dict[str, Any]:
    row, found = (
        combine(rounds, key) | ratios(rounds, key),
        sum(r[key]["not_found"] for r in rounds),
    )
    return row | {"not_found_share": round(found / max(row["requests"], 1), 3)}


def table(results: dict[str, Any]) -> str:
    cfg, load = results["config"], results["load"]
    base, row = results["baseline"], results["verify"]

    def line(name: str, r: dict[str, Any], ratio: str, note: str) -> str:
        cpu = " ".join("-" if r[k] is None else f"{r[k]:.2f}" for k in ("app_cpu_ms", "db_cpu_ms"))
        return (f"{name:30} {r['rps']:>8.1f} {r['p50_ms']:>7.2f} {r['p95_ms']:>7.2f} "
                f"{r['p99_ms']:>7.2f} {cpu:>13} {ratio:>6}  {note}")  # fmt: skip

    verdicts = (
        f"p95 < {P95_MS:.0f} ms: {'pass' if row['meets_p95'] else 'MISS'}; "
        f">= {RATIO} of baseline: {'pass' if row['meets_ratio'] else 'MISS'}"
    )
    return "\n".join(
        [
            f"Permit verification: {load['documents']:,} documents over {load['regions']} regions "
            f"({load['statuses']}); gunicorn {cfg['workers']}x{cfg['threads']}, "
            f"{cfg['generator']} {cfg['connections']} connections, {cfg['rounds']} rounds of "
            f"{cfg['seconds']} s; load average {results['load_average']}",
            f"{'measure':30} {'req/s':>8} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} "
            f"{'app/db cpu ms':>13} {'ratio':>6}  target",
            line("/bench/minimal (baseline)", base, "1.00", f"{base['errors']} errors"),
            line(f"verify, {row['not_found_share']:.0%} unknown", row,
                 f"{row['rps_ratio']:.2f}", f"{verdicts} ({row['errors']} errors)"),
            *([line(f"verify, {cfg['light']} connections", light, f"{light['rps_ratio']:.2f}",
                    f"the page's own latency, shown ({light['errors']} errors)")]
              if (light := results["verify_light"]) else []),
            f"Statements per request: known code {results['statements']['known']}, unknown "
            f"{results['statements']['unknown']} (without the shared cache versions)",
            "(ratio: req/s over the baseline's in the same round, median of the rounds)",
        ]
    )  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
