"""Background work of the allowance area: closing months past their cut-off (wired by the
module as "lumbung.performance.allowance.tasks.close_months_all")."""

from __future__ import annotations

from django_tasks import task

from lumbung.core.models import Region
from lumbung.core.selectors import region_list_active, region_modules_enabled
from lumbung.core.tenancy import region_scope

from .months import close_due

MODULE = "performance"


def _regions() -> list[Region]:
    return [r for r in region_list_active() if MODULE in region_modules_enabled(r)]


@task()
def close_months_all() -> int:
    """Compute and close, in every region running the module, each month past its
    cut-off; returns how many months were closed."""
    closed = 0
    for region in _regions():
        with region_scope(region):
            closed += close_due(region)
    return closed
