"""`python -m bench.grants_import`: importing a 1,000,000-row bansos recipient list on
PostgreSQL, on its own database (`<bench database>_grants`, recreated every run).

The list is generated once into var/media/grants/bench/ (valid NIKs from real region codes
and dates, about 3% bad rows: broken NIKs, dates that disagree with the NIK, deciles out of
range, repeated NIKs and repeated name + birth date + kelurahan). In the same run:
(a) the baseline: the file COPYed as it is into an unindexed table of text columns;
(b) the import: every row checked, duplicates found, the valid rows written to the
    registry (mode "valid rows only", so the run writes a million-ish persons).
Targets (issue 4): (b) at most 4x (a), i.e. >= 0.25 of COPY's speed, and <= 60 s; the
process's peak memory (getrusage maxrss) under 1 GiB. Figures are printed and written to
var/bench/grants_import.json, never asserted."""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path
from typing import Any

from .__main__ import BASE_DIR, DEFAULT_URL, OUT_DIR, SETTINGS, step

RATIO_TARGET, SECONDS_TARGET, MEMORY_TARGET = 0.25, 60.0, 1024**3
REGION = "32.73"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.grants_import", description=__doc__)
    add = parser.add_argument
    add("--rows", type=int, default=1_000_000, help="rows in the list (1,000,000)")
    add("--bad", type=float, default=0.03, help="share of bad rows (0.03)")
    add("--profile", action="store_true", help="run the import under cProfile")
    return parser.parse_args(argv)


def database_url() -> str:
    base = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    head, _sep, name = base.rpartition("/")
    return base if name.endswith("_grants") else f"{head}/{name}_grants"


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS
    os.environ["BENCH_DATABASE_URL"] = url = database_url()
    from .database import Server, database_recreate, server_version

    server = Server.from_url(url)
    version = server_version(server)
    if version is None:
        print(f"Grants bench skipped: PostgreSQL is not reachable ({url}).", file=sys.stderr)
        return 2
    import django

    step(f"Fresh database {server.dbname} on PostgreSQL {version}")
    database_recreate(server, server.dbname)
    django.setup()
    region, actor = prepare()
    from .grants_data import generate

    path = Path(BASE_DIR / "var" / "media" / "grants" / "bench" / f"list-{args.rows}.csv")
    started = time.monotonic()
    made = generate(path, args.rows, args.bad, REGION)
    step(
        f"List of {args.rows:,} rows ({path.stat().st_size / 2**20:.0f} MB) "
        f"{'generated' if made else 'reused'} in {time.monotonic() - started:.0f} s"
    )
    copy_seconds = copy_baseline(server, path)
    step(f"Baseline: COPY into an unindexed table in {copy_seconds:.2f} s")
    result = run_import(region, actor, path, args.profile)
    results = assemble(args, version, copy_seconds, result)
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    (OUT_DIR / "grants_import.json").write_text(json.dumps(results, indent=2) + "\n")
    print()
    print(table(results))
    return 0


def prepare() -> tuple[Any, Any]:
    import io

    from django.core.management import call_command
    from django.db import transaction

    from lumbung.core.models.people import Role
    from lumbung.core.services.people import membership_grant, user_ensure
    from lumbung.core.services.regions import region_add, region_modules_set
    from lumbung.core.tenancy import region_scope

    call_command("migrate", interactive=False, verbosity=0, stdout=io.StringIO())
    call_command("createcachetable", verbosity=0, stdout=io.StringIO())
    region = region_add(code=REGION, actor=None, modules=[])
    with region_scope(region), transaction.atomic():
        region_modules_set(region=region, actor=None, enable=["grants"])
        actor = user_ensure(email="dinsos@bench.test", full_name="Petugas Dinsos")
        membership_grant(region=region, actor=None, user=actor, role=Role.OFFICER)
    return region, actor


def copy_baseline(server: Any, path: Path) -> float:
    columns = ", ".join(
        f"{c} text"
        for c in (
            "nik",
            "kk",
            "name",
            "birth_date",
            "sex",
            "address",
            "kelurahan_code",
            "phone",
            "welfare_decile",
        )
    )
    with server.connect(server.dbname) as conn:
        conn.execute("DROP TABLE IF EXISTS bench_copy_baseline")
        conn.execute(f"CREATE TABLE bench_copy_baseline ({columns})")
        conn.execute("CHECKPOINT")
        started = time.monotonic()
        with (
            conn.cursor() as cursor,
            cursor.copy("COPY bench_copy_baseline FROM STDIN (FORMAT csv, HEADER true)") as copy,
            path.open("rb") as raw,
        ):
            for block in iter(lambda: raw.read(1 << 20), b""):
                copy.write(block)
        seconds = time.monotonic() - started
        conn.execute("DROP TABLE bench_copy_baseline")
        conn.execute("CHECKPOINT")
    return seconds


def run_import(region: Any, actor: Any, path: Path, profile: bool) -> dict[str, Any]:
    from django.conf import settings

    from lumbung.core.tenancy import region_scope
    from lumbung.grants.importing.run import import_run
    from lumbung.grants.models import ImportJob

    with region_scope(region):
        job = ImportJob(
            region=region,
            filename=path.name,
            source="import",
            mode=ImportJob.Mode.VALID_ONLY,
            created_by=actor,
        )
        job.file.name = str(path.relative_to(Path(settings.MEDIA_ROOT)))
        job.save()
        checked: list[float] = []

        def on_progress(processed: int, total: int) -> None:
            if processed and processed == total:  # the last row checked and staged
                checked.append(time.monotonic())

        started = time.monotonic()
        if profile:
            import cProfile

            profiler = cProfile.Profile()
            job = profiler.runcall(import_run, region=region, job=job, on_progress=on_progress)
            profiler.dump_stats(str(OUT_DIR / "grants_import.prof"))
        else:
            job = import_run(region=region, job=job, on_progress=on_progress)
        seconds = time.monotonic() - started
        check_seconds = (checked[-1] - started) if checked else seconds
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # kB on Linux
    step(
        f"Import: {job.status}, {job.imported_rows:,} imported, {job.error_rows:,} rows with "
        f"errors, in {seconds:.2f} s (checked and staged in {check_seconds:.2f} s, written "
        f"to the registry in {seconds - check_seconds:.2f} s); peak memory "
        f"{peak / 2**20:.0f} MiB"
    )
    return {
        "status": str(job.status),
        "rows": job.total_rows,
        "imported": job.imported_rows,
        "error_rows": job.error_rows,
        "seconds": seconds,
        "check_seconds": check_seconds,
        "write_seconds": seconds - check_seconds,
        "peak_memory_bytes": peak,
    }


def assemble(
    args: argparse.Namespace, version: str, copy_seconds: float, result: dict[str, Any]
) -> dict[str, Any]:
    import platform

    ratio = copy_seconds / result["seconds"] if result["seconds"] else 0.0
    return {
        "rows": args.rows,
        "bad_share": args.bad,
        "postgres": version,
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "copy_seconds": copy_seconds,
        "import": result,
        "ratio": ratio,
        "targets": {
            "ratio": {"target": RATIO_TARGET, "met": ratio >= RATIO_TARGET},
            "seconds": {"target": SECONDS_TARGET, "met": result["seconds"] <= SECONDS_TARGET},
            "memory": {
                "target": MEMORY_TARGET,
                "met": result["peak_memory_bytes"] < MEMORY_TARGET,
            },
        },
    }


def table(results: dict[str, Any]) -> str:
    imp, targets = results["import"], results["targets"]

    def met(key: str) -> str:
        return "pass" if targets[key]["met"] else "MISSED"

    return "\n".join(
        [
            f"{'measure':<34}{'value':>14}  target",
            f"{'raw COPY (baseline), s':<34}{results['copy_seconds']:>14.2f}",
            f"{'import with validation, s':<34}{imp['seconds']:>14.2f}  <= 60 s: {met('seconds')}",
            f"{'speed vs COPY (COPY s / import s)':<34}{results['ratio']:>14.3f}"
            f"  >= 0.25: {met('ratio')}",
            f"{'peak memory, MiB':<34}{imp['peak_memory_bytes'] / 2**20:>14.0f}"
            f"  < 1024: {met('memory')}",
            f"{'rows read / imported / with errors':<34}"
            f"{imp['rows']:>,} / {imp['imported']:,} / {imp['error_rows']:,}",
        ]
    )


if __name__ == "__main__":
    sys.exit(main())
