"""Load generation against 127.0.0.1 only: wrk when installed (Debian's package, installed
here when run as root), else a bounded Python generator. Either way a fixed number of
keep-alive connections for a fixed time, after a warm-up whose figures are dropped.

Both take the same optional parts, so that a bench with its own requests (random codes, a
POST per person) shares the runner: `lines` (a list of strings the requests are built
from), a Lua `script` for wrk that defines `request()` and `response(status)` and counts
what it sees in global counters, and the Python equivalents `requests` and `count`. A
counter named `wrong` holds the statuses the script calls errors."""

from __future__ import annotations

import http.client
import json
import os
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

HOST = "127.0.0.1"
WRONG = "wrong"  # the counter of statuses a script counts as errors

# wrk's `done` hook: its summary and latency histogram as one JSON line (microseconds),
# then the scripts' counters summed over the threads (`threads` is filled by `setup`).
WRK_REPORT_LUA = """
local threads = {}
function setup(thread) threads[#threads + 1] = thread end
local function total(name)
  local n = 0
  for _, t in ipairs(threads) do n = n + (t:get(name) or 0) end
  return n
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests":%d,"duration_us":%d,"connect_errors":%d,"read_errors":%d,' ..
    '"write_errors":%d,"status_errors":%d,"timeouts":%d,"p50_us":%d,"p95_us":%d,' ..
    '"p99_us":%d,"mean_us":%.1f,"max_us":%d}\\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.mean, latency.max))
  local counts = {}
  for _, name in ipairs(COUNTERS) do
    counts[#counts + 1] = string.format('"%s":%d', name, total(name))
  end
  io.write('BENCH_COUNTS {' .. table.concat(counts, ',') .. '}\\n')
end
"""
# The lines file, read once per thread into the global `lines`.
LINES_LUA = """
lines = {}
for line in io.lines(LINES_PATH) do lines[#lines + 1] = line end
"""

# (method, path, body or None, headers) of one request of the Python generator.
Request = tuple[str, str, str | None, dict[str, str]]


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
    counts: dict[str, int] = field(default_factory=dict)  # a script's counters

    def as_dict(self) -> dict[str, float | int]:
        plain = {k: v for k, v in asdict(self).items() if k != "counts"}
        rounded = {k: round(v, 3) if isinstance(v, float) else v for k, v in plain.items()}
        return rounded | self.counts


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
    path: str = "/",
    *,
    seconds: int,
    connections: int,
    headers: dict[str, str] | None = None,
    script: str = "",
    counters: Sequence[str] = (),
    lines: Sequence[str] | None = None,
) -> LoadResult:
    """wrk with one thread for `seconds`. With a `script`, its `wrong` counter replaces
    wrk's own count of statuses >= 400 as the errors (a 404 may be the right answer)."""
    names = [*counters, *([WRONG] if script and WRONG not in counters else [])]
    with tempfile.TemporaryDirectory() as tmp:
        lua = f"COUNTERS = {{{', '.join(json.dumps(n) for n in names)}}}\n"
        if lines is not None:
            listed = Path(tmp) / "lines.txt"
            listed.write_text("".join(f"{line}\n" for line in lines))
            lua += f"LINES_PATH = {json.dumps(str(listed))}\n" + LINES_LUA
        (Path(tmp) / "bench.lua").write_text(lua + WRK_REPORT_LUA + script)
        out = subprocess.run(
            [
                wrk, "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s",
                "-s", str(Path(tmp) / "bench.lua"),
                *(arg for k, v in (headers or {}).items() for arg in ("-H", f"{k}: {v}")),
                f"http://{HOST}:{port}{path}",
            ],
            check=True, capture_output=True, text=True,
        ).stdout  # fmt: skip
    raw, counts = (
        json.loads(next(x for x in out.splitlines() if x.startswith(tag)).removeprefix(tag))
        for tag in ("BENCH_JSON ", "BENCH_COUNTS ")
    )
    elapsed = raw["duration_us"] / 1e6
    failed = sum(raw[k] for k in ("connect_errors", "read_errors", "write_errors", "timeouts"))
    failed += counts[WRONG] if script else raw["status_errors"]
    return LoadResult(
        requests=raw["requests"], seconds=elapsed, rps=raw["requests"] / elapsed,
        p50_ms=raw["p50_us"] / 1000, p95_ms=raw["p95_us"] / 1000, p99_ms=raw["p99_us"] / 1000,
        mean_ms=raw["mean_us"] / 1000, errors=failed, counts=counts,
    )  # fmt: skip


def _status_error(status: int) -> str | None:
    return WRONG if status >= 400 else None


def python_run(
    port: int,
    path: str = "/",
    *,
    seconds: int,
    connections: int,
    headers: dict[str, str] | None = None,
    requests: Callable[[int], Iterator[Request]] | None = None,
    count: Callable[[int], str | None] = _status_error,
    timeout: float = 10,
) -> LoadResult:
    """A fallback generator: one thread per keep-alive connection, closed loop. Worker i
    sends `requests(i)` (default: GET `path` again and again); `count` names the counter
    a status goes in (`wrong` ones are errors). It shares the CPU (and the GIL) with
    nothing but itself; wrk is lighter, prefer it."""
    deadline = time.perf_counter() + seconds
    latencies: list[list[float]] = [[] for _ in range(connections)]
    errors = [0] * connections
    counted: list[dict[str, int]] = [{} for _ in range(connections)]

    def same(_i: int) -> Iterator[Request]:
        while True:
            yield "GET", path, None, headers or {}

    def worker(i: int) -> None:
        conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
        todo = (requests or same)(i)
        while time.perf_counter() < deadline:
            method, url, body, sent = next(todo)
            start = time.perf_counter()
            try:
                conn.request(method, url, body, sent)
                response = conn.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                errors[i] += 1
                conn.close()
                conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
                continue
            name = count(response.status)
            if name is not None:
                counted[i][name] = counted[i].get(name, 0) + 1
                errors[i] += name == WRONG
            latencies[i].append(time.perf_counter() - start)
        conn.close()

    result = closed_loop(worker, connections, latencies, errors)
    totals: dict[str, int] = {}
    for per in counted:
        for name, n in per.items():
            totals[name] = totals.get(name, 0) + n
    return LoadResult(**{**asdict(result), "counts": totals})


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
