"""The production server, as deployed: gunicorn serving config.wsgi, here with the bench
settings, on a free port of 127.0.0.1."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from .load import HOST


@dataclass
class Gunicorn:
    process: subprocess.Popen[bytes]
    port: int
    log_path: Path
    log: IO[bytes]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()

    def log_tail(self, lines: int = 30) -> str:
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def gunicorn_start(
    *, cwd: Path, env: dict[str, str], workers: int, threads: int, log_path: Path
) -> Gunicorn:
    port = free_port()
    command = [
        sys.executable, "-m", "gunicorn", "config.wsgi:application",
        "--bind", f"{HOST}:{port}",
        "--workers", str(workers),
        "--worker-class", "gthread" if threads > 1 else "sync",
        "--threads", str(threads),
        "--log-level", "warning",
    ]  # fmt: skip
    log = log_path.open("wb")
    process = subprocess.Popen(
        command, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    return Gunicorn(process=process, port=port, log_path=log_path, log=log)


def get(port: int, key: str) -> tuple[int, bytes]:
    from .load import target

    path, headers = target(key)
    conn = http.client.HTTPConnection(HOST, port, timeout=10)
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def wait_ready(server: Gunicorn, timeout: float = 60.0) -> bool:
    """Poll /readyz until it answers 200, the server dies, or time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            return False
        try:
            if get(server.port, "/readyz")[0] == 200:
                return True
        except OSError:
            pass
        time.sleep(0.25)
    return False


def server_env(settings_module: str) -> dict[str, str]:
    return {**os.environ, "DJANGO_SETTINGS_MODULE": settings_module}
