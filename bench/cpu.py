"""CPU time per request, from /proc: the gunicorn processes' and the bench database's
PostgreSQL backends'. Less sensitive than req/s to whatever else the machine runs, and it
says which side a page's cost is on. Linux only; elsewhere the figures are None."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

PROC = Path("/proc")
TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _stat(pid: int) -> list[str] | None:
    try:
        raw = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    # The command name is in parentheses and may hold spaces: split after it.
    return raw[raw.rindex(")") + 2 :].split()


def _cpu_ticks(fields: list[str]) -> int:
    return int(fields[11]) + int(fields[12])  # utime + stime


def _pids() -> list[int]:
    return [int(p.name) for p in PROC.iterdir() if p.name.isdigit()] if PROC.exists() else []


def _cmdline(pid: int) -> str:
    try:
        return (PROC / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def server_processes(master: int) -> Callable[[], dict[int, int]]:
    """A sampler of CPU ticks of a server process and its children (the workers)."""

    def sample() -> dict[int, int]:
        found = {}
        for pid in _pids():
            fields = _stat(pid)
            if fields and (pid == master or int(fields[1]) == master):
                found[pid] = _cpu_ticks(fields)
        return found

    return sample


def database_backends(dbname: str) -> Callable[[], dict[int, int]]:
    """A sampler of CPU ticks of the PostgreSQL backends connected to `dbname` (local
    server only; a remote one shows as zero)."""

    def sample() -> dict[int, int]:
        found = {}
        for pid in _pids():
            cmd = _cmdline(pid)
            if cmd.startswith("postgres: ") and f" {dbname} " in cmd:
                fields = _stat(pid)
                if fields:
                    found[pid] = _cpu_ticks(fields)
        return found

    return sample


def seconds_between(before: dict[int, int], after: dict[int, int]) -> float:
    """CPU seconds spent between two samples; processes born in between count from 0."""
    return sum(ticks - before.get(pid, 0) for pid, ticks in after.items()) / TICKS


def available() -> bool:
    return (PROC / "self" / "stat").exists()
