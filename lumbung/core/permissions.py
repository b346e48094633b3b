"""Who may do what in core, one `rules` permission per action. Modules build on the
predicates here: `has_role(...)` reads the user's memberships in the object's region."""

from __future__ import annotations

from typing import Any

import rules
from django.contrib.auth.models import AnonymousUser

from .models import Membership, Region, User
from .models.people import STAFF_ROLES, Role
from .tenancy import region_scope

AnyUser = User | AnonymousUser


def region_of(obj: Any) -> Region | None:
    if isinstance(obj, Region):
        return obj
    return getattr(obj, "region", None)


def roles_of(user: AnyUser, region: Region | None) -> frozenset[Role]:
    """The user's roles in `region`, memoised on the user object for the request."""
    if region is None or not user.is_authenticated:
        return frozenset()
    assert isinstance(user, User)
    cache: dict[int, frozenset[Role]] = user.__dict__.setdefault("_lumbung_roles", {})
    if region.pk not in cache:
        with region_scope(region):
            found = Membership.objects.filter(region=region, user=user, is_active=True)
            roles = {Role(r) for r in found.values_list("role", flat=True)}
        roles.add(Role.CITIZEN)  # every signed-in person is a citizen of every region
        if user.is_platform_operator:
            roles.add(Role.PLATFORM_OPERATOR)
        cache[region.pk] = frozenset(roles)
    return cache[region.pk]


def forget_roles(user: AnyUser) -> None:
    user.__dict__.pop("_lumbung_roles", None)


def has_role(*wanted: Role) -> rules.Predicate:
    names = "_".join(sorted(wanted))

    @rules.predicate(name=f"has_role_{names}")
    def predicate(user: AnyUser, obj: Any = None) -> bool:
        return bool(roles_of(user, region_of(obj)) & set(wanted))

    return predicate


@rules.predicate
def is_platform_operator(user: AnyUser) -> bool:
    return bool(user.is_authenticated and getattr(user, "is_platform_operator", False))


@rules.predicate
def is_staff_of_region(user: AnyUser, obj: Any = None) -> bool:
    return bool(roles_of(user, region_of(obj)) & STAFF_ROLES)


is_region_admin = has_role(Role.REGION_ADMIN)
is_auditor = has_role(Role.AUDITOR)
is_unit_head = has_role(Role.UNIT_HEAD)
is_officer = has_role(Role.OFFICER)

can_administer = is_region_admin | is_platform_operator

rules.add_perm("core.view_backoffice", is_staff_of_region | is_platform_operator)
rules.add_perm("core.manage_region", can_administer)
rules.add_perm("core.manage_units", can_administer)
rules.add_perm("core.manage_members", can_administer)
rules.add_perm("core.manage_modules", can_administer)
rules.add_perm("core.manage_calendar", can_administer)
rules.add_perm("core.manage_sla", can_administer)
rules.add_perm("core.view_audit", is_auditor | can_administer)
rules.add_perm("core.view_personal_data", is_staff_of_region)
rules.add_perm("core.add_region", is_platform_operator)


def can(user: AnyUser, perm: str, obj: Any = None) -> bool:
    return bool(rules.has_perm(perm, user, obj))
