"""Exit 0 if the PostgreSQL server in the given URL answers, 1 otherwise (no waiting)."""

from __future__ import annotations

import sys

import dj_database_url
import psycopg


def main() -> int:
    url = sys.argv[1] if len(sys.argv) > 1 else ""
    if not url.startswith(("postgres://", "postgresql://")):
        return 1
    cfg = dj_database_url.parse(url)
    try:
        # Connect to the maintenance database: the test database is created by the suite.
        psycopg.connect(
            host=cfg["HOST"] or None,
            port=cfg["PORT"] or None,
            user=cfg["USER"] or None,
            password=cfg["PASSWORD"] or None,
            dbname="postgres",
            connect_timeout=3,
        ).close()
    except psycopg.Error:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
