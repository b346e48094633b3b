"""Background work of core: escalating overdue cases to the next level."""

from __future__ import annotations

import logging
from typing import Any

from django.apps import apps
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from django_tasks import task

from .calendar import RegionCalendar
from .models import Region, WorkflowCase
from .models.people import Role
from .selectors import case_overdue, region_list_active, staff_with_role
from .services.audit import audit_record
from .services.notifications import notify
from .tenancy import region_scope
from .workflow import workflows

logger = logging.getLogger(__name__)

UNIT_BOUND_ROLES = frozenset({Role.OFFICER, Role.UNIT_HEAD})


def case_models() -> list[type[WorkflowCase]]:
    return [
        m
        for m in apps.get_models()
        if issubclass(m, WorkflowCase) and m.WORKFLOW_KEY and not m._meta.abstract
    ]


@task()
def escalate_overdue_all() -> int:
    """Escalate every active region's overdue cases; returns how many were escalated."""
    total = 0
    for region in list(region_list_active()):
        total += escalate_overdue_region(region)
    return total


def escalate_overdue_region(region: Region) -> int:
    count = 0
    with region_scope(region):
        for model in case_models():
            if not workflows.get(model.WORKFLOW_KEY).escalation:
                continue  # the module escalates these itself (performance: up the chain)
            for case in case_overdue(model, region):
                count += int(case_escalate(region=region, case=case))
    return count


@transaction.atomic
def case_escalate(*, region: Region, case: WorkflowCase) -> bool:
    """Notify the next level for one overdue case. Level k+1 is reached once the case is
    overdue by k whole working days, so the unit head hears first and the region admin once
    another working day has passed without a move."""
    workflow = workflows.get(case.WORKFLOW_KEY)
    # The overdue list was read earlier; the case may have moved since. Decide on the row as
    # it is now, locked, so a concurrent transition and this escalation cannot interleave.
    fresh = (
        type(case)
        .objects.select_for_update()
        .filter(region=region, pk=case.pk, state__in=workflow.open_states())
        .first()
    )
    if fresh is None:
        return False
    case = fresh
    level = case.escalation_level
    if level >= len(workflow.escalation) or case.due_at is None:
        return False
    # The deadline pushed back by `level` working days; a working-day count would let the
    # next level fire a few minutes after the previous one, on the first day overdue.
    if timezone.now() <= RegionCalendar(region).add_working_days(case.due_at, level):
        return False
    role = workflow.escalation[level]
    type(case).objects.filter(pk=case.pk).update(escalation_level=level + 1)
    # Unit-bound roles hear about their own unit's cases; the others region-wide.
    unit = getattr(case, "unit", None) if role in UNIT_BOUND_ROLES else None
    recipients = staff_with_role(region, role, unit)
    for user in recipients:
        with override(user.language):
            notify(
                region=region,
                recipient=user,
                kind="workflow.overdue",
                title=_("Overdue: %(case)s") % {"case": case},
                body=_("This case passed its deadline and needs your attention."),
                url=case.get_absolute_url() if hasattr(case, "get_absolute_url") else "",
            )
    audit_record(
        region=region,
        actor=None,
        action=f"{workflow.key}.escalate",
        obj=case,
        changes={"escalation_level": [level, level + 1], "role": role.value},
        casework=True,
    )
    return True


@task()
def purge_rate_counters() -> int:
    """Housekeeping: the API's fair-share counters of windows that have ended."""
    from lumbung.api.ratelimit import purge_expired_counters

    return purge_expired_counters()


# What `lumbung worker` enqueues every `--every` seconds, with each module's own.
PERIODIC = (escalate_overdue_all, purge_rate_counters)


def periodic_all() -> list[Any]:
    from django.utils.module_loading import import_string

    from .modules import registry

    module_tasks = [import_string(p) for m in registry.modules.values() for p in m.periodic_tasks]
    return [*PERIODIC, *module_tasks]
