"""Reads of the staff registry: who may see whom, the searchable list, a person with their
postings, the TPP base of a grade on a day, and the imports.

Who sees the registry: its keepers (performance.manage_registry) and the region-wide
overseers (payroll, auditors, the region head) see everyone; a unit head sees the people
of the units they head and of those units' sub-units, nobody else."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Q, QuerySet

from lumbung.core.errors import NotFound
from lumbung.core.models import Region, Unit, User
from lumbung.core.models.people import Membership, Role
from lumbung.core.permissions import can, roles_of

from ..models import Employee, ImportKind, ImportRun, Posting, TppBase
from ..selectors import region_today

REGION_WIDE = frozenset(
    {Role.REGION_ADMIN, Role.PAYROLL, Role.AUDITOR, Role.REGION_HEAD, Role.PLATFORM_OPERATOR}
)


def visible_units(region: Region, user: User) -> set[int] | None:
    """The units whose people `user` may see in the registry: None means every unit."""
    if can(user, "performance.manage_registry", region) or roles_of(user, region) & REGION_WIDE:
        return None
    if not can(user, "performance.view_dashboards", region):
        return set()
    headed = Membership.objects.filter(
        region=region, user=user, role=Role.UNIT_HEAD, is_active=True, unit__isnull=False
    ).values_list("unit_id", flat=True)
    return _with_subunits(region, {pk for pk in headed if pk is not None})


def _with_subunits(region: Region, roots: set[int]) -> set[int]:
    parents = dict(Unit.objects.filter(region=region).values_list("pk", "parent_id"))
    found = set(roots)
    for pk in parents:
        seen: set[int] = set()
        current: int | None = pk
        while current is not None and current not in found and current not in seen:
            seen.add(current)
            current = parents.get(current)
        if current in found:
            found |= seen
    return found


def staff_visible(region: Region, user: User) -> QuerySet[Employee]:
    found = Employee.objects.filter(region=region)
    units = visible_units(region, user)
    return found if units is None else found.filter(unit_id__in=units)


def staff_search(
    region: Region,
    user: User,
    *,
    q: str = "",
    unit_id: int | None = None,
    status: str = "active",
) -> QuerySet[Employee]:
    """The people `user` may see, by part of the name or the start of the NIP, in a unit,
    active today ("active"), ended ("ended") or both ("all")."""
    found = staff_visible(region, user).select_related("unit", "supervisor")
    q = q.strip()
    if q:
        found = found.filter(Q(name__icontains=q) | Q(nip__startswith=q))
    if unit_id is not None:
        found = found.filter(unit_id=unit_id)
    today = region_today(region)
    active = Q(active_to__isnull=True) | Q(active_to__gte=today)
    if status == "active":
        found = found.filter(active)
    elif status == "ended":
        found = found.exclude(active)
    return found.order_by("name", "pk")


def employee_get(region: Region, user: User, pk: int) -> Employee:
    """One person `user` may see; anyone else (or another region's id) is a 404."""
    found = staff_visible(region, user).select_related("unit", "supervisor", "user")
    person = found.filter(pk=pk).first()
    if person is None:
        raise NotFound()
    return person


def employee_by_nip(region: Region, nip: str) -> Employee | None:
    return Employee.objects.filter(region=region, nip=nip.strip()).first()


def postings_of(employee: Employee) -> QuerySet[Posting]:
    """The person's postings, newest first."""
    return (
        Posting.objects.filter(region_id=employee.region_id, employee=employee)
        .select_related("unit", "supervisor")
        .order_by("-valid_from", "-pk")
    )


def open_posting(employee: Employee) -> Posting | None:
    return postings_of(employee).filter(valid_to__isnull=True).first()


def is_active(employee: Employee, day: dt.date) -> bool:
    return employee.active_from <= day and (employee.active_to is None or employee.active_to >= day)


# TPP bases --------------------------------------------------------------------------------


def tpp_bases(region: Region) -> QuerySet[TppBase]:
    """Every base amount, by grade, the newest first within a grade."""
    return TppBase.objects.filter(region=region).order_by("job_grade", "-effective_from", "-pk")


def tpp_base_on(region: Region, grade: int, day: dt.date) -> Decimal | None:
    """The full monthly allowance of `grade` in effect on `day`; None when none was set."""
    return (
        TppBase.objects.filter(region=region, job_grade=grade, effective_from__lte=day)
        .order_by("-effective_from")
        .values_list("amount", flat=True)
        .first()
    )


def tpp_bases_on(region: Region, day: dt.date) -> dict[int, Decimal]:
    """Every grade's base in effect on `day`, from one query (for a month's computation)."""
    amounts: dict[int, Decimal] = {}
    rows = (
        TppBase.objects.filter(region=region, effective_from__lte=day)
        .order_by("job_grade", "-effective_from")
        .values_list("job_grade", "amount")
    )
    for grade, amount in rows:
        amounts.setdefault(grade, amount)
    return amounts


# Imports ----------------------------------------------------------------------------------


def staff_imports(region: Region) -> QuerySet[ImportRun]:
    return ImportRun.objects.filter(region=region, kind=ImportKind.STAFF).select_related(
        "created_by"
    )


def staff_import_get(region: Region, pk: int) -> ImportRun:
    run = staff_imports(region).filter(pk=pk).first()
    if run is None:
        raise NotFound()
    return run
