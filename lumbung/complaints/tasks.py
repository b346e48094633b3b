"""Background work of the complaints module."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django_tasks import task

from lumbung.core.models import Region
from lumbung.core.selectors import region_list_active, region_modules_enabled
from lumbung.core.tenancy import region_scope

from .selectors_stats import figures_compute, figures_key
from .services import reports_auto_close


@task()
def auto_close_all() -> int:
    """Close, in every region running the module, resolved reports nobody confirmed or
    disputed within the region's confirmation window."""
    closed = 0
    for region in list(region_list_active()):
        with region_scope(region):
            if "complaints" in region_modules_enabled(region):
                closed += reports_auto_close(region=region)
    return closed


@task()
def figures_refresh_all() -> int:
    """Count the all-time figures of every region running the module and keep them for the
    figures pages and the API, which would otherwise count on every visit."""
    counted = 0
    for region in list(region_list_active()):
        with region_scope(region):
            if "complaints" in region_modules_enabled(region):
                refresh_figures(region)
                counted += 1
    return counted


def refresh_figures(region: Region) -> None:
    cache.set(
        figures_key(region),
        figures_compute(region),
        timeout=settings.LUMBUNG_COMPLAINT_FIGURES_SECONDS,
    )
