"""The valid rows of an import wait in a temporary staging table of the import's own
connection, then go into the registry in one statement inside one transaction:
INSERT … SELECT … ON CONFLICT (region, nik) DO UPDATE. On PostgreSQL the rows reach the
staging table by COPY (text format, written while the next rows are being checked); on
SQLite by executemany, chunk by chunk. A temporary table outlives the transactions of its
connection, so checking (long, with progress committed as it goes) needs no open
transaction, and the registry is written only when every row has been checked."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

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
    "kk = CASE WHEN s.kk = '' THEN p.kk ELSE s.kk END, "
    "name = s.name, birth_date = s.birth_date, sex = s.sex, "
    "address = CASE WHEN s.address = '' THEN p.address ELSE s.address END, "
    "kelurahan_code = CASE WHEN s.kelurahan_code = '' THEN p.kelurahan_code "
    "ELSE s.kelurahan_code END, "
    "phone = CASE WHEN s.phone = '' THEN p.phone ELSE s.phone END, "
    "welfare_decile = COALESCE(s.welfare_decile, p.welfare_decile), "
    "source = %s, import_job_id = %s, updated_at = %s"
)


NULL = "\\N"  # COPY's text format


def _escape(text: str) -> str:
    # Cleaned text holds no tab, newline or control character: only the backslash is left.
    return text.replace("\\", "\\\\") if "\\" in text else text


def _lines(rows: Sequence[Staged]) -> str:
    """Rows in COPY's text format."""
    return "".join(
        [
            f"{r.row}\t{r.nik}\t{r.kk}\t{_escape(r.name)}\t{r.birth_date.isoformat()}\t"
            f"{r.sex}\t{_escape(r.address)}\t{r.kelurahan_code}\t{r.phone}\t"
            f"{NULL if r.welfare_decile is None else r.welfare_decile}\n"
            for r in rows
        ]
    )


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

    @contextmanager
    def loading(self) -> Iterator[Callable[[Sequence[Staged]], None]]:
        """A writer of chunks of valid rows. On PostgreSQL one COPY stays open while the
        whole file is checked: the server stores a chunk while the next one is checked
        (ending a COPY per chunk would wait for the server every time). The connection
        can run nothing else meanwhile: progress goes through its own (run.Progress)."""
        if not self.postgres:
            yield self._insert
            return
        sql = f"COPY {self.table} ({', '.join(COLUMNS)}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:

            def write(rows: Sequence[Staged]) -> None:
                if rows:
                    copy.write(_lines(rows))

            yield write

    def _insert(self, rows: Sequence[Staged]) -> None:
        if not rows:
            return
        marks = ", ".join(["%s"] * len(COLUMNS))
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {self.table} ({', '.join(COLUMNS)}) VALUES ({marks})",  # noqa: S608
                rows,
            )

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
        """Write every staged row into the registry; return how many were new persons.

        The staged NIKs are unique (rows.RowChecker), so the persons already in the
        registry are updated by one UPDATE … FROM, and the others added by one plain
        INSERT … SELECT in NIK order (the unique index then grows at its end). One
        INSERT … ON CONFLICT DO UPDATE would do both, but its speculative insertion costs
        about 40% more per row (docs/grants.md, "Import speed"). The caller holds the
        region's import lock; a NIK added by a person's form between the two statements
        fails the import (unique index), which then writes nothing."""
        columns = ", ".join(COLUMNS[1:])
        update = (
            f"UPDATE grants_person AS p SET {_UPDATE} FROM {self.table} AS s "  # noqa: S608
            "WHERE p.region_id = %s AND p.nik = s.nik"
        )
        insert = (
            f"INSERT INTO grants_person (region_id, {columns}, source, import_job_id, "  # noqa: S608
            f"created_at, updated_at) SELECT %s, {columns}, %s, %s, %s, %s "
            f"FROM {self.table} AS s WHERE NOT EXISTS (SELECT 1 FROM grants_person AS p "
            "WHERE p.region_id = %s AND p.nik = s.nik) ORDER BY s.nik"
        )
        with connection.cursor() as cursor:
            cursor.execute(update, [source, job_id, now, region_id])
            cursor.execute(insert, [region_id, source, job_id, now, now, region_id])
            return int(cursor.rowcount)
