"""Background work of bansos: running a queued recipient-list import."""

from __future__ import annotations

from django_tasks import task

from lumbung.core.models import Region
from lumbung.core.tenancy import region_scope


@task()
def import_job_run(region_id: int, job_id: int) -> str:
    """Check and write one queued import job; returns its final status."""
    from .services.imports import import_job_run as run

    region = Region.objects.get(pk=region_id)
    with region_scope(region):
        return str(run(region=region, job_id=job_id).status)
