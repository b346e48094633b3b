"""Bulk import of recipient lists: a staff member uploads a CSV or XLSX file, a job is
queued, and a background task checks every row and writes the registry (see
lumbung/grants/importing/). The error report goes to the staff who may manage the
registry, so it shows each wrong value as written (a full NIK included): they need it to
find and fix the row."""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from lumbung.core.errors import DomainError, NotFound, ValidationFailed
from lumbung.core.models import Region, User

from ..bansos_errors import BansosError
from ..importing.readers import FileError, kind_of
from ..importing.run import import_run
from ..models import ImportJob, PersonSource
from .registry import require

DEFAULT_MAX_BYTES = 300 * 1024 * 1024  # a million rows of CSV is about 130 MB


def import_start(
    *,
    region: Region,
    actor: User,
    file: UploadedFile,
    source: str = PersonSource.IMPORT,
    mode: str = ImportJob.Mode.ALL_OR_NOTHING,
) -> ImportJob:
    """Queue the import of a recipient list; the task starts once this commits."""
    require(actor, region, "grants.manage_registry")
    _check_upload(file, source, mode)
    with transaction.atomic():
        job = ImportJob(
            region=region,
            filename=(file.name or "import").rsplit("/", 1)[-1][:200],
            source=source,
            mode=mode,
            created_by=actor,
        )
        job.file.save(job.filename, file, save=False)
        job.save()
        transaction.on_commit(lambda: _enqueue(job))
    return job


def _check_upload(file: UploadedFile, source: str, mode: str) -> None:
    if source not in PersonSource.values:
        raise ValidationFailed({"source": [_("Choose one of the sources.")]})
    if mode not in ImportJob.Mode.values:
        raise ValidationFailed({"mode": [_("Choose all rows or only the valid rows.")]})
    limit = int(getattr(settings, "LUMBUNG_BANSOS_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))
    if file.size is not None and file.size > limit:
        raise ValidationFailed(
            {"file": [_("The file is larger than %(mb)d MB.") % {"mb": limit // 2**20}]}
        )
    try:
        kind_of(file.read(4096), file.name or "")
    except FileError as error:
        raise DomainError(
            BansosError.IMPORT_FILE, str(error), field_errors={"file": [str(error)]}
        ) from None
    file.seek(0)


def _enqueue(job: ImportJob) -> None:
    from ..tasks_bansos import import_job_run

    import_job_run.enqueue(job.region_id, job.pk)


def import_job_run(*, region: Region, job_id: int) -> ImportJob:
    """Run a queued job (the task's body); a job already started or finished is left."""
    job = ImportJob.objects.filter(region=region, pk=job_id).select_related("region").first()
    if job is None:
        raise NotFound()
    return import_run(region=region, job=job)
