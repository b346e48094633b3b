"""One import job from file to registry: stream the rows, check them chunk by chunk into
the staging table, keep the progress where a page can poll it, then either fail with the
report (all or nothing, any error) or write the registry in one transaction.

Progress: on PostgreSQL the updates go through a second connection in autocommit (the
import's own connection is busy with one long COPY, and may be inside the caller's
transaction), so a page polling the job sees them at once; the main connection leaves the
job's row alone until the end, so the two never wait for each other. On SQLite checking
runs outside any transaction and each update commits at once."""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Callable, Iterator, Sequence
from typing import IO, Any

from django.core.files import File
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lumbung.core.models import Region
from lumbung.core.services.audit import audit_record

from ..models import ImportJob
from ..nik import checker
from .readers import FileError, count_lines, csv_rows, kind_of, xlsx_rows, xlsx_total
from .rows import HeaderError, RowChecker, RowError, Staged, header_map
from .stage import Stage

CHUNK = 10_000
REPORT_HEADER = ("row", "column", "value", "message", "kind")


class Progress:
    """Writes processed/total rows on the job's row where other connections can see it."""

    def __init__(self, job: ImportJob, on_write: Callable[[int, int], None] | None) -> None:
        self.job = job
        self.on_write = on_write
        self.side: Any = None
        if connection.vendor == "postgresql":  # the import's connection is busy with COPY
            self.side = connections.create_connection(DEFAULT_DB_ALIAS)

    def write(self, processed: int, total: int, **extra: Any) -> None:
        fields = {"processed_rows": processed, "total_rows": max(total, processed), **extra}
        if self.side is None:
            ImportJob.objects.filter(region=self.job.region, pk=self.job.pk).update(**fields)
        else:
            sets = ", ".join(f"{name} = %s" for name in fields)
            with self.side.cursor() as cursor:
                cursor.execute(
                    f"UPDATE grants_importjob SET {sets} WHERE id = %s AND region_id = %s",  # noqa: S608
                    [*fields.values(), self.job.pk, self.job.region_id],
                )
        if self.on_write is not None:
            self.on_write(processed, total)

    def close(self) -> None:
        if self.side is not None:
            self.side.close()


class Report:
    """The row errors (and possible-duplicate warnings) as CSV, in a temporary file."""

    def __init__(self) -> None:
        self.raw: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115 - closed in close()
        self.text = io.TextIOWrapper(self.raw, encoding="utf-8", newline="")
        self.writer = csv.writer(self.text)
        self.writer.writerow(REPORT_HEADER)
        self.lines = 0

    def errors(self, errors: list[RowError]) -> None:
        self.writer.writerows((*e, "error") for e in errors)
        self.lines += len(errors)

    def warning(self, row: int, column: str, value: str, message: str) -> None:
        self.writer.writerow((row, column, value, message, "warning"))
        self.lines += 1

    def save(self, job: ImportJob) -> None:
        self.text.flush()
        self.raw.seek(0)
        stem = job.filename.rsplit(".", 1)[0][:60] or "import"
        job.error_report.save(f"{stem}-report.csv", File(self.raw), save=False)

    def close(self) -> None:
        self.text.close()


def import_run(
    *, region: Region, job: ImportJob, on_progress: Callable[[int, int], None] | None = None
) -> ImportJob:
    """Run one queued job to its end (DONE or FAILED); a job already started is left."""
    if job.region_id != region.pk or job.status != ImportJob.Status.QUEUED:
        return job
    progress = Progress(job, on_progress)
    stage, report = Stage(job.pk), Report()
    try:
        progress.write(0, 0, status=ImportJob.Status.RUNNING, started_at=timezone.now())
        stage.create()
        with job.file.open("rb") as raw:
            result = _check_file(region, job, raw, stage, report, progress)
        progress.close()
        return _finish(region, job, stage, report, result)
    except Exception:
        _stopped(region, job)
        raise
    finally:
        progress.close()
        stage.drop()
        report.close()


def _stopped(region: Region, job: ImportJob) -> None:
    """An unexpected failure (the database went away): the job must not stay 'importing'.
    Nothing was written to the registry, whose transaction rolled back."""
    if connection.needs_rollback or not connection.is_usable():
        return
    with transaction.atomic():
        ImportJob.objects.filter(region=region, pk=job.pk).update(
            status=ImportJob.Status.FAILED, finished_at=timezone.now()
        )
        audit_record(
            region=region,
            actor=job.created_by,
            action="grants.bansos_import",
            obj=job,
            changes={"status": ImportJob.Status.FAILED, "stopped": True},
        )


def _check_file(
    region: Region, job: ImportJob, raw: IO[bytes], stage: Stage, report: Report, progress: Progress
) -> tuple[int, int]:
    """(rows read, rows with errors). File-level problems become one error of row 1."""
    try:
        kind = kind_of(raw.read(4096), job.filename)
        raw.seek(0)
        total = xlsx_total(raw) if kind == "xlsx" else count_lines(raw)
        progress.write(0, total)
        rows = xlsx_rows(raw) if kind == "xlsx" else csv_rows(raw)
        check = RowChecker(region.code, header_map(next(rows, [])), checker())
        read = _check_rows(rows, check, stage, report, progress, total)
    except (FileError, HeaderError) as error:
        report.errors([RowError(1, "", "", str(error))])
        return 0, 1
    return read, check.error_rows


def _check_rows(
    rows: Iterator[list[str]],
    check: RowChecker,
    stage: Stage,
    report: Report,
    progress: Progress,
    total: int,
) -> int:
    read, counted = 0, 0
    valid: list[Staged] = []
    append, row_check = valid.append, check.check
    with stage.loading() as write:
        for read, cells in enumerate(rows, start=1):
            if not any(cells):
                continue  # a blank line is not a row
            counted += 1
            staged: Staged | None = row_check(read + 1, cells)
            if staged is not None:
                append(staged)
            if read % CHUNK == 0:
                _flush(valid, check, write, report)
                progress.write(read, total)
        _flush(valid, check, write, report)
    progress.write(counted, counted)
    return counted


def _flush(
    valid: list[Staged],
    check: RowChecker,
    write: Callable[[Sequence[Staged]], None],
    report: Report,
) -> None:
    write(valid)
    valid.clear()
    report.errors(check.errors)
    check.errors.clear()


def _lock(region: Region) -> None:
    """One import per region at a time; and the region row held as the foreign key
    grants_person.region_id would hold it (which the table does not declare, to spare a
    check per row): one lock for the whole list, until commit."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_advisory_xact_lock(7301, %s)", [region.pk])
            cursor.execute("SELECT 1 FROM core_region WHERE id = %s FOR KEY SHARE", [region.pk])
        else:
            cursor.execute("SELECT 1 FROM core_region WHERE id = %s", [region.pk])
        if cursor.fetchone() is None:
            raise Region.DoesNotExist()


def _finish(
    region: Region, job: ImportJob, stage: Stage, report: Report, result: tuple[int, int]
) -> ImportJob:
    read, error_rows = result
    failed = error_rows > 0 and (job.mode == ImportJob.Mode.ALL_OR_NOTHING or read == 0)
    with transaction.atomic():
        added = imported = warnings = 0
        if not failed:
            _lock(region)
            for row, name, nik in stage.possible_duplicates(region.pk):
                message = _("Possible duplicate of the registry's %(nik)s (another NIK).")
                report.warning(row, "name", name, message % {"nik": nik})
                warnings += 1
            imported = read - error_rows
            added = stage.upsert(
                region_id=region.pk, job_id=job.pk, source=job.source, now=timezone.now()
            )
        job.refresh_from_db()
        job.status = ImportJob.Status.FAILED if failed else ImportJob.Status.DONE
        job.total_rows, job.processed_rows = read, read
        job.imported_rows, job.error_rows = imported, error_rows
        job.finished_at = timezone.now()
        if report.lines:
            report.save(job)
        job.save()
        audit_record(
            region=region,
            actor=job.created_by,
            action="grants.bansos_import",
            obj=job,
            changes={
                "status": job.status,
                "mode": job.mode,
                "source": job.source,
                "rows": read,
                "imported": imported,
                "added": added,
                "updated": imported - added,
                "error_rows": error_rows,
                "warnings": warnings,
            },
        )
    return job
