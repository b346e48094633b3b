"""`python -m bench.performance` (also a stage of `python -m bench`): the E-RK performance
module at a Bandung-sized month (20,000 civil servants x 22 working days x 8 entries = 3.5
million approved entries), on its own PostgreSQL database (`<bench database>_performance`,
recreated every run unless `--reuse`).

(a) The baseline: a bare GROUP BY over the same entries table, the month's approved minutes
    per person, as one hand-written statement.
(b) The month's rollup and TPP computation through the module's service (`month_compute`:
    everyone's minutes, attendance, grade and base, the amounts, 20,000 results written),
    in the same rounds, alternating with (a), both in a region transaction under the
    tenant role as a request runs them. Target: (b) at most 2x (a), and under 10 s.
(c) Logging entries through the API (POST /api/v1/regions/kota-bandung/performance/entries,
    bearer tokens of many civil servants, each request the next person, so no two wait on
    one person's lock, overlap or cap) under gunicorn, next to pgbench's TPC-B-like
    read-write script with as many clients in the same run, and /bench/minimal in the same
    rounds. Target: entries/s at least 0.25 of pgbench's TPS.
Figures go to var/bench/performance.json, never asserted."""

from __future__ import annotations

import argparse
import io
import itertools
import json
import os
import sys
import time
from collections.abc import Iterator
from statistics import median
from typing import Any

from .__main__ import BASE_DIR, DEFAULT_URL, OUT_DIR, SETTINGS, _machine, combine, step
from .load import Request

BASELINE = "/bench/minimal"
RATIO, SECONDS, API_RATIO = 2.0, 10.0, 0.25
DATA = "performance-data.json"  # what was loaded, for --reuse


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.performance", description=__doc__)
    add = parser.add_argument
    add("--scale", type=float, default=1.0, help="share of 20,000 people loaded (1.0)")
    add("--api-people", type=int, default=20_000, help="people with API tokens (all: 20,000)")
    add("--compute-rounds", type=int, default=3, help="rounds of (a) then (b) (3)")
    add("--rounds", type=int, default=3, help="HTTP rounds, each baseline then entries (3)")
    add("--seconds", type=int, default=5, help="measured seconds per load and round (5)")
    add("--warmup", type=int, default=2, help="warm-up seconds per load, dropped (2)")
    add("--connections", type=int, default=8, help="API and pgbench clients (8)")
    add("--workers", type=int, default=os.cpu_count() or 2, help="gunicorn workers (nproc)")
    add("--threads", type=int, default=2, help="gunicorn threads per worker (2)")
    add("--pgbench-seconds", type=int, default=10, help="pgbench TPC-B-like run, 0 skips (10)")
    add("--python-load", action="store_true", help="use the Python generator even with wrk")
    add("--reuse", action="store_true", help="keep the loaded database from the last run")
    add("--part", choices=("all", "rollup", "api"), default="all",
        help="measure (a)+(b), (c) or all (all)")  # fmt: skip
    return parser.parse_args(argv)


def database_url() -> str:
    base = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    head, _sep, name = base.rpartition("/")
    return base if name.endswith("_performance") else f"{head}/{name}_performance"


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS
    os.environ["BENCH_DATABASE_URL"] = url = database_url()
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.dummy.EmailBackend"
    from .database import Server, database_recreate, server_version

    server = Server.from_url(url)
    version = server_version(server)
    if version is None:
        print(f"Performance bench skipped: PostgreSQL is not reachable at {server.host}:"
              f"{server.port} as {server.user} (set BENCH_DATABASE_URL).",
              file=sys.stderr)  # fmt: skip
        return 2
    import django

    if not args.reuse:
        step(f"Fresh database {server.dbname} on PostgreSQL {version}")
        database_recreate(server, server.dbname)
    django.setup()
    if args.reuse:
        step("Reusing the loaded database (--reuse)")
    data = prepare(args) if not args.reuse else json.loads((OUT_DIR / DATA).read_text())
    load_before = [round(x, 1) for x in os.getloadavg()]
    results: dict[str, Any] = {
        "timestamp": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": _machine(version),
        "config": dict(vars(args)),
        "load": {k: v for k, v in data.items() if k != "clients"}
        | {"api_people": len(data["clients"])},
        "targets": {"compute_ratio": RATIO, "compute_seconds": SECONDS, "api_ratio": API_RATIO},
    }
    if args.part in ("all", "rollup"):
        results["rollup"] = rollup_summary(measure_rollup(args, data))
    if args.part in ("all", "api"):
        api = measure_api(args, data, server)
        if api is None:
            return 1
        results |= api
    results["load_average"] = {
        "before": load_before,
        "after": [round(x, 1) for x in os.getloadavg()],
    }
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    (OUT_DIR / "performance.json").write_text(json.dumps(results, indent=2) + "\n")
    print()
    print(table(results))
    print(f"\nWritten to {(OUT_DIR / 'performance.json').relative_to(BASE_DIR)}")
    failed = "api" in results and (results["api"]["errors"] or results["baseline"]["errors"])
    return 1 if failed else 0


def measure_api(
    args: argparse.Namespace, data: dict[str, Any], server: Any
) -> dict[str, Any] | None:
    """(c): the statements of one entry in-process, pgbench, then the load under gunicorn."""
    from django.db import connections

    from .database import pgbench_run

    statements = count_statements(data)
    connections.close_all()
    pgbench: dict[str, Any] = {"skipped": "--pgbench-seconds 0"}
    if args.pgbench_seconds > 0:
        step(f"pgbench TPC-B-like, {args.connections} clients, {args.pgbench_seconds} s")
        pgbench = pgbench_run(server, script="tpcb-like", seconds=args.pgbench_seconds,
                              clients=args.connections)  # fmt: skip
    http = measure_http(args, data, server.dbname)
    if http is None:
        return None
    return api_summary(statements, pgbench, http)


def prepare(args: argparse.Namespace) -> dict[str, Any]:
    from django.core.management import call_command

    from .performance_data import load

    quiet = io.StringIO()
    call_command("migrate", interactive=False, verbosity=0, stdout=quiet)
    call_command("createcachetable", verbosity=0, stdout=quiet)
    if not (OUT_DIR / "static" / "staticfiles.json").exists():
        call_command("collectstatic", interactive=False, verbosity=0, stdout=quiet)
    data = load(args.scale, args.api_people)
    took = data["seconds"]
    step(f"Loaded {data['people']:,} people, {data['attendance_days']:,} attendance days and "
         f"{data['entries']:,} entries of {data['year']}-{data['month']:02d} in "
         f"{took['total']:.0f} s ({took})")  # fmt: skip
    problems = data["shape_differences"]
    step("Bulk entries shaped as the services' ones" if not problems else "SHAPE DIFFERS")
    for problem in problems:
        print(f"   {problem}")
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    (OUT_DIR / DATA).write_text(json.dumps(data))
    return data


# (a) and (b), in-process -------------------------------------------------------------------

BARE = (
    "SELECT employee_id, sum(approved_minutes) FROM performance_entry WHERE region_id = %s "
    "AND state = 'approved' AND work_date BETWEEN %s AND %s GROUP BY employee_id"
)


def measure_rollup(args: argparse.Namespace, data: dict[str, Any]) -> dict[str, Any]:
    """(a) and (b) alternating, after one dropped warm-up of each. (b) twice a round: the
    month's first computation (its results deleted beforehand, untimed: every result is
    written) and the month computed again with nothing changed (the common case: payroll
    computes again after corrections, closing computes a last time; only what changed is
    written). The plan of (a) and the statements of each (b) with their times."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from lumbung.core import rls
    from lumbung.core.models import Region, User
    from lumbung.core.tenancy import region_scope
    from lumbung.performance.allowance.compute import month_compute
    from lumbung.performance.common import month_bounds
    from lumbung.performance.models import TppResult

    region = Region.objects.get(slug=data["region"])
    payroll = User.objects.get(pk=data["payroll"])
    year, month = data["year"], data["month"]
    first, last = month_bounds(year, month)
    period: dict[str, Any] = {"year": year, "month": month, "region": region}

    def bare() -> None:
        with region_scope(region), transaction.atomic(), connection.cursor() as cursor:
            rls.activate(region)
            cursor.execute(BARE, [region.pk, first, last])
            period["people"] = len(cursor.fetchall())

    def computed() -> None:
        with region_scope(region), transaction.atomic():
            rls.activate(region)
            month_compute(region=region, actor=payroll, year=year, month=month)

    def forget() -> None:
        with region_scope(region):
            TppResult.objects.filter(region=region, period__year=year, period__month=month).delete()

    def timed(run: Any) -> tuple[float, float]:
        wall, cpu = time.perf_counter(), time.process_time()
        run()
        return time.perf_counter() - wall, time.process_time() - cpu

    step(f"Warm-up: the bare GROUP BY, and month_compute of {year}-{month:02d} first and again")
    timed(bare)
    statements = {}
    for kind in ("first", "again"):
        if kind == "first":
            forget()
        with CaptureQueriesContext(connection) as captured:
            timed(computed)
        took = [(float(q["time"]) * 1000, q["sql"][:300]) for q in captured.captured_queries]
        statements[kind] = [
            {"ms": round(ms, 1), "sql": sql} for ms, sql in sorted(took, reverse=True)
        ]
    rounds = []
    for number in range(1, args.compute_rounds + 1):
        a_wall, a_cpu = timed(bare)
        forget()
        first_wall, first_cpu = timed(computed)
        again_wall, again_cpu = timed(computed)
        rounds.append({"bare_s": round(a_wall, 3), "bare_cpu_s": round(a_cpu, 3),
                       "first_s": round(first_wall, 3), "first_cpu_s": round(first_cpu, 3),
                       "again_s": round(again_wall, 3), "again_cpu_s": round(again_cpu, 3),
                       "first_ratio": round(first_wall / a_wall, 2),
                       "again_ratio": round(again_wall / a_wall, 2)})  # fmt: skip
        step(f"Round {number}/{args.compute_rounds}: bare GROUP BY {a_wall:.2f} s; month_compute "
             f"first {first_wall:.2f} s ({first_wall / a_wall:.2f}x), again {again_wall:.2f} s "
             f"({again_wall / a_wall:.2f}x); CPU of this process {first_cpu:.2f} and "
             f"{again_cpu:.2f} s")  # fmt: skip
    with region_scope(region):
        results = TppResult.objects.filter(region=region, period__year=year, period__month=month)
        count = results.count()
    return {"rounds": rounds, "statements": statements, "people": period["people"],
            "results": count, "explain": explain(region, first, last)}  # fmt: skip


def explain(region: Any, first: Any, last: Any) -> list[str]:
    """EXPLAIN (ANALYZE, BUFFERS) of (a), under the tenant role as (b) runs its own."""
    from django.db import connection, transaction

    from lumbung.core import rls
    from lumbung.core.tenancy import region_scope

    with region_scope(region), transaction.atomic(), connection.cursor() as cursor:
        rls.activate(region)
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {BARE}", [region.pk, first, last])
        return [str(row[0]) for row in cursor.fetchall()]


# (c) entries through the API -------------------------------------------------------------


def api_path(data: dict[str, Any]) -> str:
    return f"/api/v1/regions/{data['region']}/performance/entries"


class Plan:
    """The entries the load sends, handed out in turn so that no request is sent twice and
    no person's day looks unlike a real one: the bulk month's eight 50-minute slots of the
    day (07:30, 08:25, ...), everyone's first free slot, then everyone's second, each
    entry 5 mails answered (25 minutes). A run that outgrows them starts over: the
    replays answer 200 and are counted apart."""

    QUANTITY = 5

    def __init__(self, data: dict[str, Any]) -> None:
        from lumbung.core.models import Region
        from lumbung.core.tenancy import region_scope
        from lumbung.performance.models import Entry
        from lumbung.performance.workflow import APPROVED, SUBMITTED

        from .performance_data import SLOT_GAP, SLOT_SPAN, SLOT_START, SLOTS, api_day

        region = Region.objects.get(slug=data["region"])
        tokens = {c["employee"]: c["token"] for c in data["clients"]}
        with region_scope(region):
            self.day, self.overtime = api_day(region)
            taken = Entry.objects.filter(
                region=region, work_date=self.day, state__in=(SUBMITTED, APPROVED),
                employee_id__in=list(tokens),
            ).values_list("employee_id", "start_time", "end_time")  # fmt: skip
            busy: dict[int, list[tuple[int, int]]] = {}
            for pk, start, end in taken:
                busy.setdefault(pk, []).append((start.hour * 60 + start.minute,
                                                end.hour * 60 + end.minute))  # fmt: skip
        self.slots: list[tuple[str, int]] = []
        for k in range(SLOTS):
            start = SLOT_START + k * (SLOT_SPAN + SLOT_GAP)
            for pk, token in tokens.items():
                if not any(a < start + SLOT_SPAN and start < b for a, b in busy.get(pk, [])):
                    self.slots.append((token, start))
        if not self.slots:
            raise RuntimeError(f"Every slot of {self.day} is taken: load a fresh database.")
        self.activity, self.taken, self.run = data["api_activity"], 0, time.time_ns()

    def lines(self, count: int) -> list[str]:
        """The next `count` requests as "token<TAB>body" lines (taken once sent: `advance`)."""
        from .performance_data import SLOT_SPAN

        found = []
        for n in range(self.taken, self.taken + count):
            token, start = self.slots[n % len(self.slots)]
            body = {
                "client_key": f"bench-{self.run}-{n}",
                "work_date": self.day.isoformat(),
                "start_time": f"{start // 60:02d}:{start % 60:02d}",
                "end_time": f"{(start + SLOT_SPAN) // 60:02d}:{(start + SLOT_SPAN) % 60:02d}",
                "activity_id": self.activity,
                "quantity": self.QUANTITY,
                "note": "Membalas surel undangan rapat",
                "overtime": self.overtime,
            }
            found.append(f"{token}\t{json.dumps(body, separators=(',', ':'))}")
        return found

    def advance(self, sent: int) -> None:
        self.taken += sent


# Each request the next line: a person's token and their entry. 201 made, 200 a replay of
# an entry already made, anything else wrong.
LUA = """
local tokens, bodies, n = {}, {}, 0
for i, line in ipairs(lines) do
  local tab = line:find("\\t", 1, true)
  tokens[i] = "Bearer " .. line:sub(1, tab - 1)
  bodies[i] = line:sub(tab + 1)
end
created, replayed, wrong = 0, 0, 0
function request()
  n = n % #bodies + 1
  return wrk.format("POST", PATH, {["Authorization"] = tokens[n],
                    ["Content-Type"] = "application/json"}, bodies[n])
end
function response(status)
  if status == 201 then created = created + 1
  elseif status == 200 then replayed = replayed + 1
  else wrong = wrong + 1 end
end
"""
MAX_RPS = 2000  # lines prepared per second of load: more than 2 vCPU will ever take


def post_entries(port: int, plan: Plan, path: str, wrk: str | None, seconds: int,
                 connections: int) -> dict[str, Any]:  # fmt: skip
    """POST the plan's next entries for `seconds`: wrk, or load.py's Python generator. Each
    takes the lines in order, so at most the answered, the failed and one per connection
    still in flight at the end were sent."""
    from .load import WRONG, python_run, wrk_run

    lines = plan.lines(MAX_RPS * seconds)
    if wrk is not None:
        result = wrk_run(wrk, port, seconds=seconds, connections=connections,
                         script=LUA.replace("PATH", json.dumps(path)), lines=lines,
                         counters=("created", "replayed"))  # fmt: skip
    else:
        taken = itertools.count()  # shared: next() on it is atomic under the GIL

        def posts(_i: int) -> Iterator[Request]:
            for n in taken:
                token, body = lines[n % len(lines)].split("\t", 1)
                headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
                yield "POST", path, body, headers

        def status(code: int) -> str:
            return "created" if code == 201 else "replayed" if code == 200 else WRONG

        result = python_run(port, seconds=seconds, connections=connections, requests=posts,
                            count=status)  # fmt: skip
    plan.advance(result.requests + result.errors + connections)
    return result.as_dict()


def count_statements(data: dict[str, Any]) -> dict[str, Any]:
    """Statements of one entry logged through the API, in-process through the whole stack
    (a warming request first), without the shared cache versions, and the service's own."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    plan = Plan({**data, "clients": data["clients"][-1:]})
    client, path = Client(), api_path(data)
    found: dict[str, Any] = {}
    for n, line in enumerate(plan.lines(2)):
        token, body = line.split("\t", 1)
        with CaptureQueriesContext(connection) as captured:
            response = client.post(path, body, content_type="application/json",
                                   HTTP_AUTHORIZATION=f"Bearer {token}")  # fmt: skip
        own = [q["sql"] for q in captured.captured_queries if "lumbung_cache" not in q["sql"]]
        found = {"status": response.status_code, "statements": len(own), "sql": own}
        if n == 0 and response.status_code != 201:
            print(f"   The API answered {response.status_code}: {response.content[:300]!r}")
    step(f"Statements per entry through the API: {found['statements']} (status {found['status']})")
    return found


def measure_http(
    args: argparse.Namespace, data: dict[str, Any], dbname: str
) -> dict[str, Any] | None:
    from . import cpu
    from .load import run, wrk_available
    from .server import get, gunicorn_start, server_env, wait_ready

    wrk = None if args.python_load else wrk_available(install=True)
    plan, path = Plan(data), api_path(data)
    step(f"Entries go to {plan.day} (overtime: {plan.overtime}), {len(plan.slots):,} free "
         f"slots of {len(data['clients']):,} people")  # fmt: skip
    server = gunicorn_start(
        cwd=BASE_DIR, env=server_env(SETTINGS), workers=args.workers, threads=args.threads,
        log_path=OUT_DIR / "gunicorn-performance.log",
    )  # fmt: skip
    samplers = (cpu.server_processes(server.process.pid), cpu.database_backends(dbname))

    def metered(load: Any) -> dict[str, Any]:
        before = [sample() for sample in samplers]
        result = load()
        after = [sample() for sample in samplers]
        requests = max(int(result["requests"]), 1)
        for key, b, a in zip(("app_cpu_ms", "db_cpu_ms"), before, after, strict=True):
            ms = cpu.seconds_between(b, a) * 1000 / requests
            result[key] = round(ms, 3) if cpu.available() else None
        return dict(result)

    def minimal(seconds: int) -> dict[str, Any]:
        return run(server.port, BASELINE, wrk=wrk, seconds=seconds,
                   connections=args.connections).as_dict()  # fmt: skip

    def entries(seconds: int) -> dict[str, Any]:
        return post_entries(server.port, plan, path, wrk, seconds, args.connections)

    try:
        if not wait_ready(server):
            print(f"gunicorn did not become ready:\n{server.log_tail()}", file=sys.stderr)
            return None
        if get(server.port, BASELINE)[0] != 200:
            print(f"{BASELINE} did not answer 200:\n{server.log_tail()}", file=sys.stderr)
            return None
        step(f"Warm-up, {args.warmup} s each")
        minimal(args.warmup)
        warm = entries(args.warmup)
        if warm["errors"]:
            print(f"Entries failed in the warm-up:\n{server.log_tail()}", file=sys.stderr)
        rounds = []
        for number in range(1, args.rounds + 1):
            step(f"Round {number}/{args.rounds}: {args.seconds} s each")
            found = {BASELINE: metered(lambda: minimal(args.seconds))}
            found["POST"] = metered(lambda: entries(args.seconds))
            rounds.append(found)
    finally:
        server.stop()
    return {"load_generator": "wrk" if wrk else "python", "rounds": rounds,
            "day": plan.day.isoformat(), "overtime": plan.overtime, "sent": plan.taken,
            "slots": len(plan.slots)}  # fmt: skip


# The results ------------------------------------------------------------------------------


def rollup_summary(rollup: dict[str, Any]) -> dict[str, Any]:
    computed = rollup["rounds"]

    def summary(kind: str) -> dict[str, Any]:
        seconds = median(r[f"{kind}_s"] for r in computed)
        ratio = median(r[f"{kind}_ratio"] for r in computed)
        return {"seconds": seconds, "ratio": ratio,
                "ratio_rounds": [r[f"{kind}_ratio"] for r in computed],
                "cpu_s": median(r[f"{kind}_cpu_s"] for r in computed),
                "meets_ratio": ratio <= RATIO, "meets_seconds": seconds < SECONDS}  # fmt: skip

    return {
        "bare_s": median(r["bare_s"] for r in computed),
        "first": summary("first"), "again": summary("again"),
        "people": rollup["people"], "results": rollup["results"], "rounds": computed,
        "statements": rollup["statements"], "explain": rollup["explain"],
    }  # fmt: skip


def api_summary(
    statements: dict[str, Any], pgbench: dict[str, Any], http: dict[str, Any]
) -> dict[str, Any]:
    rounds = http["rounds"]
    api = combine(rounds, "POST")
    created = sum(r["POST"].get("created", 0) for r in rounds)
    api |= {"created": created, "replayed": sum(r["POST"].get("replayed", 0) for r in rounds)}
    api["created_per_s"] = round(created / api["seconds"], 1) if api["seconds"] else 0.0
    tps = pgbench.get("tps")
    api["ratio_to_pgbench"] = round(api["created_per_s"] / tps, 3) if tps else None
    api["meets_target"] = bool(tps) and api["ratio_to_pgbench"] >= API_RATIO
    ratios = [r["POST"]["rps"] / r[BASELINE]["rps"] for r in rounds if r[BASELINE]["rps"]]
    api["ratio_to_minimal"] = round(median(ratios), 3) if ratios else None
    return {
        "api_statements": statements,
        "pgbench": pgbench,
        "baseline": combine(rounds, BASELINE),
        "api": api,
        "http": {k: v for k, v in http.items() if k != "rounds"},
    }


def table(results: dict[str, Any]) -> str:
    load = results["load"]
    lines = [
        f"Performance (E-RK): {load['people']:,} people, {load['entries']:,} approved entries and "
        f"{load['attendance_days']:,} attendance days in {load['year']}-{load['month']:02d} "
        f"({load['working_days']} working days); load average {results['load_average']}",
    ]
    if "rollup" in results:
        lines += _rollup_lines(results["rollup"])
    if "api" in results:
        lines += ["", *_api_lines(results)]
    return "\n".join(lines)


def _rollup_lines(r: dict[str, Any]) -> list[str]:
    def verdict(row: dict[str, Any]) -> str:
        return (f"<= {RATIO:.0f}x: {'pass' if row['meets_ratio'] else 'MISS'}; "
                f"< {SECONDS:.0f} s: {'pass' if row['meets_seconds'] else 'MISS'}")  # fmt: skip

    first, again = r["first"], r["again"]
    return [
        f"{'measure':44} {'seconds':>8} {'ratio':>6}  target",
        f"{'(a) bare GROUP BY, approved minutes':44} {r['bare_s']:>8.3f} {'1.00':>6}",
        f"{'(b) month_compute, first (writes all)':44} {first['seconds']:>8.3f} "
        f"{first['ratio']:>6.2f}  {verdict(first)}",
        f"{'(b) month_compute, again (writes changes)':44} {again['seconds']:>8.3f} "
        f"{again['ratio']:>6.2f}  {verdict(again)}",
        f"    ratios per round: first {first['ratio_rounds']}, again {again['ratio_rounds']}; "
        f"{r['results']:,} results; CPU of the bench process in (b): {first['cpu_s']:.2f} and "
        f"{again['cpu_s']:.2f} s",
    ]  # fmt: skip


def _api_lines(results: dict[str, Any]) -> list[str]:
    cfg, load = results["config"], results["load"]
    api, base, pg = results["api"], results["baseline"], results["pgbench"]

    def cpu(row: dict[str, Any]) -> str:
        return " ".join(
            "-" if row.get(k) is None else f"{row[k]:.2f}" for k in ("app_cpu_ms", "db_cpu_ms")
        )

    return [
        f"Entries through the API: gunicorn {cfg['workers']}x{cfg['threads']}, "
        f"{results['http']['load_generator']} {cfg['connections']} connections, {cfg['rounds']} "
        f"rounds of {cfg['seconds']} s, {load['api_people']:,} people",
        f"{'measure':40} {'req/s':>8} {'p50 ms':>7} {'p95 ms':>7} {'app/db cpu ms':>13}  ratio",
        f"{'/bench/minimal (baseline)':40} {base['rps']:>8.1f} {base['p50_ms']:>7.2f} "
        f"{base['p95_ms']:>7.2f} {cpu(base):>13}  1.00 ({base['errors']} errors)",
        f"{'POST entries':40} {api['created_per_s']:>8.1f} {api['p50_ms']:>7.2f} "
        f"{api['p95_ms']:>7.2f} {cpu(api):>13}  {api['ratio_to_minimal']} of the baseline",
        f"{'pgbench TPC-B-like':40} {pg.get('tps') or 0:>8.1f}  "
        f"({pg.get('clients', '-')} clients, scale 10)"
        if "tps" in pg else f"pgbench: {pg.get('skipped')}",
        f"entries/s over pgbench TPS: {api['ratio_to_pgbench']} (>= {API_RATIO}: "
        f"{'pass' if api['meets_target'] else 'MISS'}); {api['created']:,} made, "
        f"{api['replayed']} replays, {api['errors']} errors",
        f"Statements per entry through the API: {results['api_statements']['statements']}",
    ]  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
