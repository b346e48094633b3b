"""The valid rows of an import wait in a temporary staging table of the import's own
connection, then go into the registry in one statement inside one transaction:
INSERT … SELECT … ON CONFLICT (region, nik) DO UPDATE. On PostgreSQL the rows reach the
staging table by COPY (text format, written while the next rows are being checked); on
SQLite by executemany, chunk by chunk. A temporary table outlives the transactions of its
connection, so checking (long, with progress committed as it goes) needs no open
transaction, and the registry is written only when every row has been checked."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import connection

from .rows import Staged

COLUMNS = (
    "row",
    "nik",
    "kk",
    "name",
    "birth_date",
    "sex",
    "address",
    "kelurahan_code",
    "phone",
    "welfare_decile",
)
_TYPES = (
    "integer",
    "varchar(16)",
    "varchar(16)",
    "varchar(150)",
    "date",
    "varchar(1)",
    "varchar(300)",
    "varchar(13)",
    "varchar(20)",
    "smallint",
)
# Blank optional values in a list keep what the registry already holds for that person.
_UPDATE = (
    "kk = CASE WHEN excluded.kk = '' THEN {t}.kk ELSE excluded.kk END, "
    "name = excluded.name, birth_date = excluded.birth_date, sex = excluded.sex, "
    "address = CASE WHEN excluded.address = '' THEN {t}.address ELSE excluded.address END, "
    "kelurahan_code = CASE WHEN excluded.kelurahan_code = '' THEN {t}.kelurahan_code "
    "ELSE excluded.kelurahan_code END, "
    "phone = CASE WHEN excluded.phone = '' THEN {t}.phone ELSE excluded.phone END, "
    "welfare_decile = COALESCE(excluded.welfare_decile, {t}.welfare_decile), "
    "source = excluded.source, import_job_id = excluded.import_job_id, "
    "updated_at = excluded.updated_at"
)


NULL = "\\N"  # COPY's text format


def _escape(text: str) -> str:
    # Cleaned text holds no tab, newline or control character: only the backslash is left.
    return text.replace("\\", "\\\\") if "\\" in text else text


class Stage:
    """The staging table of one import job on the default connection."""

    def __init__(self, job_id: int) -> None:
        self.table = f"grants_import_stage_{int(job_id)}"
        self.postgres = connection.vendor == "postgresql"

    def create(self) -> None:
        columns = ", ".join(f"{c} {t}" for c, t in zip(COLUMNS, _TYPES, strict=True))
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {self.table}")
            cursor.execute(f"CREATE TEMPORARY TABLE {self.table} ({columns})")

    def drop(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {self.table}")

    def write(self, rows: Sequence[Staged]) -> None:
        if not rows:
            return
        if self.postgres:
            self._copy(rows)
        else:
            marks = ", ".join(["%s"] * len(COLUMNS))
            with connection.cursor() as cursor:
                cursor.executemany(
                    f"INSERT INTO {self.table} ({', '.join(COLUMNS)}) VALUES ({marks})",  # noqa: S608
                    rows,
                )

    def _copy(self, rows: Sequence[Staged]) -> None:
        lines = [
            f"{r.row}\t{r.nik}\t{r.kk}\t{_escape(r.name)}\t{r.birth_date.isoformat()}\t"
            f"{r.sex}\t{_escape(r.address)}\t{r.kelurahan_code}\t{r.phone}\t"
            f"{NULL if r.welfare_decile is None else r.welfare_decile}\n"
            for r in rows
        ]
        sql = f"COPY {self.table} ({', '.join(COLUMNS)}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            copy.write("".join(lines))

    def possible_duplicates(self, region_id: int) -> list[tuple[int, str, str]]:
        """(row, name, masked NIK of the registry's person) for each staged person who has
        the name (any case), birth date and kelurahan of a registry person with another
        NIK: reported with the import, not refused (see red flags)."""
        sql = (
            f"SELECT s.row, s.name, p.nik FROM {self.table} s "  # noqa: S608
            "JOIN grants_person p ON p.region_id = %s AND p.birth_date = s.birth_date "
            "AND p.kelurahan_code = s.kelurahan_code AND UPPER(p.name) = UPPER(s.name) "
            "AND p.nik <> s.nik ORDER BY s.row"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [region_id])
            return [(row, name, "*" * 12 + nik[-4:]) for row, name, nik in cursor.fetchall()]

    def upsert(self, *, region_id: int, job_id: int, source: str, now: dt.datetime) -> int:
        """Write every staged row into the registry; return how many were new persons."""
        existing = 0 if self.postgres else self._existing(region_id)
        columns = ", ".join(COLUMNS[1:])
        sql = (
            f"INSERT INTO grants_person (region_id, {columns}, source, import_job_id, "  # noqa: S608
            f"created_at, updated_at) SELECT %s, {columns}, %s, %s, %s, %s FROM {self.table} "
            # WHERE true: SQLite's parser needs it before ON CONFLICT in INSERT … SELECT.
            f"WHERE true ORDER BY nik ON CONFLICT (region_id, nik) DO UPDATE SET "
            + _UPDATE.format(t="grants_person")
        )
        params: list[Any] = [region_id, source, job_id, now, now]
        with connection.cursor() as cursor:
            if self.postgres:
                cursor.execute(
                    f"WITH written AS ({sql} RETURNING xmax = 0 AS added) "  # noqa: S608
                    "SELECT count(*) FILTER (WHERE added), count(*) FROM written",
                    params,
                )
                added, _total = cursor.fetchone()
                return int(added)
            cursor.execute(f"SELECT count(*) FROM {self.table}")  # noqa: S608
            total = int(cursor.fetchone()[0])
            cursor.execute(sql, params)
            return total - existing

    def _existing(self, region_id: int) -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT count(*) FROM {self.table} s JOIN grants_person p "  # noqa: S608
                "ON p.region_id = %s AND p.nik = s.nik",
                [region_id],
            )
            return int(cursor.fetchone()[0])
