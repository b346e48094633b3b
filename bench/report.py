"""The table on the terminal and var/bench/results.json."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

THROUGHPUT_TARGET = 0.5


def _fmt(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def http_table(results: dict[str, Any]) -> str:
    cfg = results["config"]
    lines = [
        f"HTTP: gunicorn {cfg['worker_class']} {cfg['workers']}x{cfg['threads']}, "
        f"{cfg['load_generator']} {cfg['connections']} connections, {cfg['rounds']} rounds of "
        f"{cfg['seconds']} s per path after {cfg['warmup']} s warm-up; ratios are the median "
        "of the rounds' ratios",
        f"{'path':30} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'err':>4} "
        f"{'app cpu':>7} {'db cpu':>6} {'rps ratio':>9} {'p95 ratio':>9}  target",
    ]
    base = results["baseline"]
    lines.append(
        _http_row(base, "1.00", "1.00", f"baseline, rounds spread {base['spread_pct']:.0f}%")
    )
    for row in results["targets"]:
        verdict = "pass" if row["meets_target"] else "MISS"
        lines.append(
            _http_row(
                row,
                f"{row['rps_ratio']:.2f}",
                _fmt(row["p95_ratio"], 2),
                verdict + ("" if row["required"] else " (info)"),
            )
        )
    lines.append("(app cpu, db cpu: CPU ms per request of the gunicorn processes and of the")
    lines.append(" PostgreSQL backends, from /proc)")
    return "\n".join(lines)


def _http_row(row: dict[str, Any], rps_ratio: str, p95_ratio: str, note: str) -> str:
    return (
        f"{row['path']:30} {row['rps']:>7.1f} {row['p50_ms']:>7.2f} {row['p95_ms']:>7.2f} "
        f"{row['p99_ms']:>7.2f} {row['errors']:>4} {_fmt(row['app_cpu_ms'], 2):>7} "
        f"{_fmt(row['db_cpu_ms'], 2):>6} {rps_ratio:>9} {p95_ratio:>9}  {note}"
    )


def query_table(results: dict[str, Any]) -> str:
    q = results["queries"]
    grown = q["grown"]
    lines = [
        f"SQL per request, page's own (all statements incl. cache and BEGIN/COMMIT): demo "
        f"({q['demo']['active_regions']} "
        f"regions) -> {grown['active_regions']} regions, {grown['banten_children']} under "
        f"Banten, {grown['modules_registered']} module(s) on everywhere",
        f"{'path':30} {'before':>9} {'after':>9}  constant",
    ]
    for row in q["paths"]:
        b, a = row["before"], row["after"]
        lines.append(
            f"{row['path']:30} {b['page']:>3} ({b['total']:>3}) {a['page']:>3} ({a['total']:>3})"
            f"  {'yes' if row['constant'] else 'NO'}"
            + ("" if a["status"] == 200 else f" (HTTP {a['status']})")
        )
    return "\n".join(lines)


def summary(results: dict[str, Any]) -> str:
    m = results["machine"]
    pg = results["pgbench"]
    pg_line = (
        f"pgbench select-only: {_fmt(pg.get('tps'))} tps, {_fmt(pg.get('latency_avg_ms'), 3)} ms "
        f"avg ({pg.get('clients')} clients, {pg.get('seconds')} s, scale {pg.get('scale')})"
        if "tps" in pg
        else f"pgbench: {pg.get('skipped', 'not run')}"
    )
    verdict = results["verdict"]
    return "\n".join(
        [
            f"Lumbung bench {results['timestamp']}  commit {results['commit']}",
            f"{m['cpus']} CPU ({m['cpu_model']}), Python {m['python']}, Django {m['django']}, "
            f"PostgreSQL {m['postgres']}, gunicorn {m['gunicorn']}",
            "",
            http_table(results),
            "",
            query_table(results),
            "",
            pg_line,
            "",
            f"Throughput >= {THROUGHPUT_TARGET} of the minimal view "
            f"(API detail, region home): {'met' if verdict['throughput'] else 'MISSED'}; "
            f"constant queries per page: {'met' if verdict['queries'] else 'MISSED'}",
        ]
    )


def write(results: dict[str, Any], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=2, sort_keys=False) + "\n")
