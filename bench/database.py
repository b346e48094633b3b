"""PostgreSQL for the bench: is it there, a fresh database, and pgbench as the machine's
database baseline."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import dj_database_url
import psycopg
from psycopg import sql


@dataclass(frozen=True)
class Server:
    host: str
    port: str
    user: str
    password: str
    dbname: str

    @classmethod
    def from_url(cls, url: str) -> Server:
        cfg = dj_database_url.parse(url)
        return cls(
            host=str(cfg.get("HOST") or "127.0.0.1"),
            port=str(cfg.get("PORT") or "5432"),
            user=str(cfg.get("USER") or "postgres"),
            password=str(cfg.get("PASSWORD") or ""),
            dbname=str(cfg["NAME"]),
        )

    def connect(self, dbname: str = "postgres") -> psycopg.Connection[Any]:
        return psycopg.connect(
            host=self.host,
            port=self.port,
            user=self.user,
            password=self.password or None,
            dbname=dbname,
            connect_timeout=3,
            autocommit=True,
        )


def server_version(server: Server) -> str | None:
    """The server's version string, or None when it does not answer."""
    try:
        with server.connect() as conn:
            row = conn.execute("SHOW server_version").fetchone()
    except psycopg.Error:
        return None
    return str(row[0]) if row else None


def database_recreate(server: Server, dbname: str) -> None:
    """Drop and create `dbname`. Refuses any name without "bench" in it: this must never
    be pointed at a real database by a stray environment variable."""
    if "bench" not in dbname:
        raise ValueError(f"refusing to drop {dbname!r}: bench database names contain 'bench'")
    with server.connect() as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(dbname))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(dbname)))


def database_drop(server: Server, dbname: str) -> None:
    if "bench" not in dbname:
        raise ValueError(f"refusing to drop {dbname!r}")
    with server.connect() as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(dbname))
        )


def pgbench_path() -> str | None:
    found = shutil.which("pgbench")
    if found:
        return found
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/pgbench"), reverse=True)
    return str(candidates[0]) if candidates else None


PGBENCH_SCRIPTS = {"select-only": ["-S"], "tpcb-like": []}  # pgbench's built-in scripts


def pgbench_run(
    server: Server, *, script: str, seconds: int, clients: int, scale: int = 10
) -> dict[str, Any]:
    """TPS of one of pgbench's built-in scripts ("select-only", or "tpcb-like": its
    read-write default) on a scratch database at `scale`, with `clients` connections: the
    machine's database speed, to set the figures of a run against."""
    binary = pgbench_path()
    if binary is None:
        return {"skipped": "pgbench not found (apt-get install postgresql-client)"}
    dbname = f"{server.dbname}_pgbench"
    env = {**os.environ, "PGPASSWORD": server.password} if server.password else dict(os.environ)
    conn_args = ["-h", server.host, "-p", server.port, "-U", server.user]
    database_recreate(server, dbname)
    try:
        subprocess.run(
            [binary, *conn_args, "-i", "-q", "-s", str(scale), dbname],
            env=env, check=True, capture_output=True, text=True,
        )  # fmt: skip
        run = subprocess.run(
            [binary, *conn_args, *PGBENCH_SCRIPTS[script], "-n", "-c", str(clients),
             "-j", str(clients), "-T", str(seconds), dbname],
            env=env, check=True, capture_output=True, text=True,
        )  # fmt: skip
    finally:
        database_drop(server, dbname)
    return _pgbench_parse(run.stdout) | {
        "clients": clients,
        "seconds": seconds,
        "scale": scale,
        "script": script,
    }


def pgbench_select_only(
    server: Server, *, seconds: int, clients: int, scale: int = 10
) -> dict[str, Any]:
    """pgbench's select-only script (-S): the main bench's database baseline."""
    found = pgbench_run(server, script="select-only", seconds=seconds, clients=clients, scale=scale)
    return found | ({"script": "select-only (-S)"} if "tps" in found else {})


def _pgbench_parse(output: str) -> dict[str, Any]:
    tps = re.search(r"tps = ([0-9.]+) \(without initial connection time\)", output)
    latency = re.search(r"latency average = ([0-9.]+) ms", output)
    return {
        "tps": float(tps.group(1)) if tps else None,
        "latency_avg_ms": float(latency.group(1)) if latency else None,
    }
