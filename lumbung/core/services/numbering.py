"""The next number of a region's series: tickets, proposal numbers, permit numbers."""

from __future__ import annotations

from django.db import connection

from ..models import NumberSeries, Region


def number_next(region: Region, series: str, year: int) -> int:
    """The next number of the region's series for `year`, in one statement: the upsert
    creates the row or adds one to it, and holds its lock until the caller's transaction
    commits, so numbers have no gaps and are never given twice (PostgreSQL, and SQLite >=
    3.35). Call it inside the transaction that writes the numbered object."""
    table = connection.ops.quote_name(NumberSeries._meta.db_table)
    sql = (
        f"INSERT INTO {table} (region_id, series, year, last) VALUES (%s, %s, %s, 1) "  # noqa: S608
        f"ON CONFLICT (region_id, series, year) DO UPDATE SET last = {table}.last + 1 "
        "RETURNING last"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [region.pk, series, year])
        return int(cursor.fetchone()[0])


def number_format(prefix: str, region: Region, year: int, number: int) -> str:
    """`PREFIX-<region code digits>-<year>-<six digits>`, e.g. LAKSA-3273-2026-000123."""
    return f"{prefix}-{region.code.replace('.', '')}-{year}-{number:06d}"
