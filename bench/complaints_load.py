"""Filing reports through the API under load: one thread per client, each a signed-in
citizen with a keep-alive connection, closed loop, every request to the next of the 50
regions (as filings arrive on a national platform)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from .load import WRONG, LoadResult, Request, python_run

CATEGORIES = ("jalan-rusak", "lampu-jalan", "sampah", "drainase", "ketertiban")


def run(port: int, data: dict[str, Any], *, seconds: int, clients: int) -> LoadResult:
    slugs, tokens = data["slugs"], data["tokens"]

    def filings(i: int) -> Iterator[Request]:
        headers = {
            "Authorization": f"Bearer {tokens[i % len(tokens)]}",
            "Content-Type": "application/json",
        }
        n = i
        while True:
            body = {
                "category": CATEGORIES[n % len(CATEGORIES)],
                "description": f"Bench: jalan berlubang nomor {n} di dekat pasar",
                "latitude": -6.9 + (n % 100) / 1000,
                "longitude": 107.6 + (n % 97) / 1000,
            }
            slug = slugs[n % len(slugs)]
            yield "POST", f"/api/v1/regions/{slug}/complaints/reports", json.dumps(body), headers
            n += clients

    return python_run(
        port,
        seconds=seconds,
        connections=clients,
        requests=filings,
        count=lambda status: None if status == 201 else WRONG,
        timeout=30,
    )
