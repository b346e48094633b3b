"""Load generation against 127.0.0.1 only: wrk when installed (Debian's package, installed
here when run as root), else a bounded Python generator. Either way a fixed number of
keep-alive connections for a fixed time, after a warm-up whose figures are dropped."""

from __future__ import annotations

import http.client
import json
import os
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

HOST = "127.0.0.1"

# wrk's `done` hook: its summary and latency histogram as one JSON line (microseconds).
WRK_REPORT_LUA = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests":%d,"duration_us":%d,"connect_errors":%d,"read_errors":%d,' ..
    '"write_errors":%d,"status_errors":%d,"timeouts":%d,"p50_us":%d,"p95_us":%d,' ..
    '"p99_us":%d,"mean_us":%.1f,"max_us":%d}\\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.mean, latency.max))
end
"""


@dataclass(frozen=True)
class LoadResult:
    requests: int
    seconds: float
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    mean_ms: float
    errors: int

    def as_dict(self) -> dict[str, float | int]:
        return {k: round(v, 3) if isinstance(v, float) else v for k, v in asdict(self).items()}


def wrk_available(*, install: bool) -> str | None:
    """The wrk binary; installs Debian's package first when asked and we are root."""
    found = shutil.which("wrk")
    if found or not install or os.geteuid() != 0 or not shutil.which("apt-get"):
        return found
    print("Installing wrk (apt-get install -y wrk) ...", flush=True)
    subprocess.run(
        ["apt-get", "install", "-y", "-q", "wrk"],
        check=False,
        capture_output=True,
        env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
        timeout=600,
    )
    return shutil.which("wrk")


NO_CACHE = "|no-cache"


def target(key: str) -> tuple[str, dict[str, str]]:
    """A measured key is a path, or a path + "|no-cache": the same request asking the
    server's public cache to step aside (what a signed-in visitor costs)."""
    if key.endswith(NO_CACHE):
        return key.removesuffix(NO_CACHE), {"Cache-Control": "no-cache"}
    return key, {}


def wrk_run(
    wrk: str,
    port: int,
    path: str,
    *,
    seconds: int,
    connections: int,
    headers: dict[str, str] | None = None,
) -> LoadResult:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_REPORT_LUA)
    try:
        out = subprocess.run(
            [
                wrk,
                "-t1",
                f"-c{connections}",
                f"-d{seconds}s",
                "--timeout",
                "10s",
                "-s",
                script.name,
                *(arg for k, v in (headers or {}).items() for arg in ("-H", f"{k}: {v}")),
                f"http://{HOST}:{port}{path}",
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    finally:
        Path(script.name).unlink(missing_ok=True)
    line = next(x for x in out.splitlines() if x.startswith("BENCH_JSON "))
    raw = json.loads(line.removeprefix("BENCH_JSON "))
    elapsed = raw["duration_us"] / 1e6
    errors = sum(
        raw[k]
        for k in ("connect_errors", "read_errors", "write_errors", "status_errors", "timeouts")
    )
    return LoadResult(
        requests=raw["requests"],
        seconds=elapsed,
        rps=raw["requests"] / elapsed,
        p50_ms=raw["p50_us"] / 1000,
        p95_ms=raw["p95_us"] / 1000,
        p99_ms=raw["p99_us"] / 1000,
        mean_ms=raw["mean_us"] / 1000,
        errors=errors,
    )


def python_run(
    port: int,
    path: str,
    *,
    seconds: int,
    connections: int,
    headers: dict[str, str] | None = None,
) -> LoadResult:
    """A fallback generator: one thread per keep-alive connection, closed loop. It shares
    the CPU (and the GIL) with nothing but itself; wrk is lighter, prefer it."""
    deadline = time.perf_counter() + seconds
    latencies: list[list[float]] = [[] for _ in range(connections)]
    errors = [0] * connections

    def worker(i: int) -> None:
        conn = http.client.HTTPConnection(HOST, port, timeout=10)
        while time.perf_counter() < deadline:
            start = time.perf_counter()
            try:
                conn.request("GET", path, headers=headers or {})
                response = conn.getresponse()
                response.read()
                if response.status >= 400:
                    errors[i] += 1
            except (OSError, http.client.HTTPException):
                errors[i] += 1
                conn.close()
                conn = http.client.HTTPConnection(HOST, port, timeout=10)
                continue
            latencies[i].append(time.perf_counter() - start)
        conn.close()

    return closed_loop(worker, connections, latencies, errors)


def closed_loop(
    worker: Callable[[int], None], count: int, latencies: list[list[float]], errors: list[int]
) -> LoadResult:
    """Run `count` workers (each fills latencies[i] and errors[i]) and sum them up."""
    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    flat = sorted(x for per in latencies for x in per)
    return LoadResult(
        requests=len(flat),
        seconds=elapsed,
        rps=len(flat) / elapsed,
        p50_ms=_percentile(flat, 50) * 1000,
        p95_ms=_percentile(flat, 95) * 1000,
        p99_ms=_percentile(flat, 99) * 1000,
        mean_ms=(sum(flat) / len(flat) * 1000) if flat else 0.0,
        errors=sum(errors),
    )


def _percentile(values: list[float], pct: float) -> float:
    if not values:
        return 0.0
    index = min(len(values) - 1, round(pct / 100 * (len(values) - 1)))
    return values[index]


def run(port: int, key: str, *, wrk: str | None, seconds: int, connections: int) -> LoadResult:
    """Load one path for `seconds` with wrk, or the Python generator without it."""
    path, headers = target(key)
    if wrk:
        return wrk_run(wrk, port, path, seconds=seconds, connections=connections, headers=headers)
    return python_run(port, path, seconds=seconds, connections=connections, headers=headers)
