"""Background work of the complaints module."""

from __future__ import annotations

from django_tasks import task

from lumbung.core.selectors import region_list_active, region_modules_enabled
from lumbung.core.tenancy import region_scope

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
