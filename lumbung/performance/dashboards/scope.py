"""Who sees which units on the dashboards, and whose people by name.

The region's overseers (region administrator, head of region, payroll, auditor) see every
unit; a unit head sees the units of their UNIT_HEAD memberships. Names and a person's own
figures follow can_see_pay's rule at unit level: payroll, auditors, the region
administrator and the unit's head see the people; the head of region (and a platform
operator) sees the unit figures and how many are idle, not who."""

from __future__ import annotations

from dataclasses import dataclass

from lumbung.core.errors import NotFound, PermissionDenied
from lumbung.core.models import Region, Unit, User
from lumbung.core.models.people import Role
from lumbung.core.permissions import roles_of

REGION_WIDE = frozenset({Role.REGION_ADMIN, Role.REGION_HEAD, Role.PAYROLL, Role.AUDITOR})
SEE_PEOPLE = frozenset({Role.REGION_ADMIN, Role.PAYROLL, Role.AUDITOR})
ID_MAX = 2**63  # an id past a database integer is no row (and must not overflow a query)


@dataclass(frozen=True)
class Scope:
    units: frozenset[int] | None  # None: every unit of the region
    people_everywhere: bool
    headed: frozenset[int]

    def covers(self, unit_id: int) -> bool:
        return self.units is None or unit_id in self.units

    def sees_people(self, unit_id: int) -> bool:
        return self.people_everywhere or unit_id in self.headed


def scope_of(region: Region, user: User) -> Scope:
    """The units `user` may see on the dashboards of `region`."""
    roles = roles_of(user, region)
    headed = frozenset(
        user.memberships.filter(
            region=region, role=Role.UNIT_HEAD, is_active=True, unit__isnull=False
        ).values_list("unit_id", flat=True)
    )
    everywhere = bool(roles & REGION_WIDE) or user.is_platform_operator
    return Scope(
        units=None if everywhere else headed,
        people_everywhere=bool(roles & SEE_PEOPLE),
        headed=headed,
    )


def unit_in_scope(region: Region, scope: Scope, unit_id: int) -> Unit:
    """The region's unit; another region's (or no) unit is a 404, one outside the viewer's
    units a 403."""
    unit = Unit.objects.filter(region=region, pk=unit_id).first() if 0 < unit_id < ID_MAX else None
    if unit is None:
        raise NotFound()
    if not scope.covers(unit.pk):
        raise PermissionDenied()
    return unit
