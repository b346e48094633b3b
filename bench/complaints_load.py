"""Filing reports through the API under load: one thread per client, each a signed-in
citizen with a keep-alive connection, closed loop, every request to the next of the 50
regions (as filings arrive on a national platform)."""

from __future__ import annotations

import http.client
import json
import time
from typing import Any

from .load import HOST, LoadResult, closed_loop

CATEGORIES = ("jalan-rusak", "lampu-jalan", "sampah", "drainase", "ketertiban")


def run(port: int, data: dict[str, Any], *, seconds: int, clients: int) -> LoadResult:
    slugs, tokens = data["slugs"], data["tokens"]
    deadline = time.perf_counter() + seconds
    latencies: list[list[float]] = [[] for _ in range(clients)]
    errors = [0] * clients

    def worker(i: int) -> None:
        headers = {
            "Authorization": f"Bearer {tokens[i % len(tokens)]}",
            "Content-Type": "application/json",
        }
        conn = http.client.HTTPConnection(HOST, port, timeout=30)
        n = i
        while time.perf_counter() < deadline:
            slug = slugs[n % len(slugs)]
            body = json.dumps(
                {
                    "category": CATEGORIES[n % len(CATEGORIES)],
                    "description": f"Bench: jalan berlubang nomor {n} di dekat pasar",
                    "latitude": -6.9 + (n % 100) / 1000,
                    "longitude": 107.6 + (n % 97) / 1000,
                }
            )
            n += clients
            start = time.perf_counter()
            try:
                conn.request("POST", f"/api/v1/regions/{slug}/complaints/reports", body, headers)
                response = conn.getresponse()
                response.read()
                if response.status != 201:
                    errors[i] += 1
                    continue
            except (OSError, http.client.HTTPException):
                errors[i] += 1
                conn.close()
                conn = http.client.HTTPConnection(HOST, port, timeout=30)
                continue
            latencies[i].append(time.perf_counter() - start)
        conn.close()

    return closed_loop(worker, clients, latencies, errors)
