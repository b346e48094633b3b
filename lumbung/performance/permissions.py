"""Who may do what in the performance module, one `rules` permission per action.

Most of this module's rights come from the staff registry, not from roles: a civil servant
logs their own work, their supervisor chain reviews it and sees their pay. Roles add the
region-wide views: the unit head sees their unit, payroll staff and auditors see everyone's
figures, the region administrator keeps the registry, catalogue and formula."""

from __future__ import annotations

from typing import Any

import rules

from lumbung.core.models.people import Role
from lumbung.core.permissions import AnyUser, can_administer, has_role, is_auditor, region_of
from lumbung.core.tenancy import region_scope

is_payroll = has_role(Role.PAYROLL)
is_unit_head = has_role(Role.UNIT_HEAD)


@rules.predicate
def is_employee(user: AnyUser, obj: Any = None) -> bool:
    """The user is an active civil servant in the registry of the object's region."""
    from .selectors import employee_of

    region = region_of(obj)
    if region is None or not user.is_authenticated:
        return False
    with region_scope(region):
        return employee_of(region, user) is not None


is_overseer = can_administer | is_payroll | is_auditor | has_role(Role.REGION_HEAD)

rules.add_perm("performance.use", is_employee | is_unit_head | is_overseer)
rules.add_perm("performance.log", is_employee)
rules.add_perm("performance.manage_registry", can_administer)
rules.add_perm("performance.manage_catalogue", can_administer)
rules.add_perm("performance.curate_activities", can_administer | is_unit_head)
rules.add_perm("performance.manage_formula", can_administer | is_payroll)
rules.add_perm("performance.import_attendance", can_administer | is_payroll)
rules.add_perm("performance.close_month", can_administer | is_payroll)
rules.add_perm("performance.correct", can_administer | is_payroll)
rules.add_perm("performance.export_payroll", can_administer | is_payroll | is_auditor)
rules.add_perm("performance.view_dashboards", is_unit_head | is_overseer)
rules.add_perm("performance.view_anomalies", is_auditor | can_administer)
