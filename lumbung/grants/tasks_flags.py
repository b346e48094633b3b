"""Background work of the red flags: recompute them in every region running the module."""

from __future__ import annotations

import logging

from django_tasks import task

from lumbung.core.selectors import region_list_active, region_modules_enabled
from lumbung.core.tenancy import region_scope

from .services.flags import flags_refresh

logger = logging.getLogger(__name__)


@task()
def flags_refresh_all() -> int:
    """Refresh the flags of every active region with grants on; returns how many regions.
    Each region is its own transaction: one region's failure is logged and the others are
    still refreshed."""
    refreshed = 0
    for region in list(region_list_active()):
        with region_scope(region):
            if "grants" not in region_modules_enabled(region):
                continue
            try:
                flags_refresh(region=region)
            except Exception:
                logger.exception("red flags refresh failed in region %s", region.code)
                continue
            refreshed += 1
    return refreshed
