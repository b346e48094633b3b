"""Reads the whole module shares: who the signed-in user is in the registry, and whose pay
figures they may see. Each area's own reads live in selectors_<area>.py."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.utils import timezone

from lumbung.core.calendar import RegionCalendar
from lumbung.core.models import Region, User
from lumbung.core.models.people import Role
from lumbung.core.permissions import roles_of

from .models import Employee

# The supervisor chain is short (staff, section head, division head, agency head, ...):
# a longer walk means a cycle that the registry's services should have refused.
MAX_CHAIN = 12


def region_today(region: Region) -> dt.date:
    return RegionCalendar(region).local_date(timezone.now())


def employees(region: Region, *, on: dt.date | None = None) -> QuerySet[Employee]:
    """The region's civil servants active on `on` (default: everyone ever registered)."""
    found = Employee.objects.filter(region=region)
    if on is not None:
        found = found.filter(active_from__lte=on).filter(
            Q(active_to__isnull=True) | Q(active_to__gte=on)
        )
    return found


def employee_of(region: Region, user: User) -> Employee | None:
    """The signed-in user's own registry record in `region`, if they are an active ASN;
    memoised on the user object for the request."""
    if not user.is_authenticated:
        return None
    cache: dict[int, Employee | None] = user.__dict__.setdefault("_lumbung_employee", {})
    if region.pk not in cache:
        today = region_today(region)
        cache[region.pk] = (
            employees(region, on=today).select_related("unit").filter(user=user).first()
        )
    return cache[region.pk]


def supervisor_chain(employee: Employee) -> list[Employee]:
    """The employee's supervisors, nearest first."""
    chain: list[Employee] = []
    seen = {employee.pk}
    current = employee
    while current.supervisor_id and len(chain) < MAX_CHAIN:
        boss = Employee.objects.filter(region_id=employee.region_id, pk=current.supervisor_id)
        current = boss.select_related("unit").get()
        if current.pk in seen:
            break
        seen.add(current.pk)
        chain.append(current)
    return chain


def can_see_pay(region: Region, user: User, employee: Employee) -> bool:
    """Personal pay data: the person, their supervisors' chain, the head of their unit,
    payroll staff, auditors and the region administrator; nobody else."""
    if employee.region_id != region.pk or not user.is_authenticated:
        return False
    if employee.user_id == user.pk:
        return True
    roles = roles_of(user, region)
    if roles & {Role.PAYROLL, Role.AUDITOR, Role.REGION_ADMIN}:
        return True
    if (
        Role.UNIT_HEAD in roles
        and user.memberships.filter(
            region=region, role=Role.UNIT_HEAD, unit_id=employee.unit_id, is_active=True
        ).exists()
    ):
        return True
    me = employee_of(region, user)
    return me is not None and any(s.pk == me.pk for s in supervisor_chain(employee))
