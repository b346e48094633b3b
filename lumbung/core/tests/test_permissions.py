"""Who may do what in core: one `rules` permission per action, per role, per region."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from lumbung.core.models import Membership, User
from lumbung.core.models.people import Role
from lumbung.core.permissions import can, roles_of
from lumbung.core.services.people import membership_revoke
from lumbung.core.tenancy import region_scope
from lumbung.core.tests.factories import make_world

pytestmark = pytest.mark.django_db

STAFF = {Role.OFFICER, Role.UNIT_HEAD, Role.REGION_ADMIN, Role.AUDITOR}
ADMINS = {Role.REGION_ADMIN, Role.PLATFORM_OPERATOR}

# Every region-level permission of core and the roles that hold it.
MATRIX = {
    "core.view_backoffice": STAFF | {Role.PLATFORM_OPERATOR},
    "core.manage_region": ADMINS,
    "core.manage_units": ADMINS,
    "core.manage_members": ADMINS,
    "core.manage_modules": ADMINS,
    "core.manage_calendar": ADMINS,
    "core.manage_sla": ADMINS,
    "core.view_audit": ADMINS | {Role.AUDITOR},
    # Platform operators run the platform; they do not read a region's personal data.
    "core.view_personal_data": STAFF,
}
ROLES = [*sorted(STAFF), Role.CITIZEN, Role.PLATFORM_OPERATOR]


def person(world, role, operator):
    return operator if role == Role.PLATFORM_OPERATOR else world.users[role]


@pytest.mark.parametrize("perm", sorted(MATRIX))
@pytest.mark.parametrize("role", ROLES)
def test_each_role_holds_exactly_its_permissions(world_a, operator, perm, role):
    # given a person holding one role in Kota Bandung
    user = person(world_a, role, operator)

    # then the permission follows the role
    assert can(user, perm, world_a.region) is (role in MATRIX[perm])


@pytest.mark.parametrize("perm", sorted(MATRIX))
@pytest.mark.parametrize("role", sorted(STAFF))
def test_a_role_in_one_region_gives_nothing_in_another(world_a, world_b, perm, role):
    # given staff of Kota Bandung
    user = world_a.users[role]

    # then they hold no permission in Kota Tangerang
    assert not can(user, perm, world_b.region)


def test_province_staff_get_no_permission_in_their_kabupaten_kota(world_b):
    # given the admin and the auditor of the province Banten, which oversees Kota Tangerang
    banten = make_world("36")

    # then neither may open Tangerang's back office, its audit log or its personal data
    for role in (Role.REGION_ADMIN, Role.AUDITOR):
        user = banten.users[role]
        for perm in ("core.view_backoffice", "core.view_audit", "core.view_personal_data"):
            assert not can(user, perm, world_b.region), (role, perm)


def test_only_platform_operators_add_regions(world_a, operator):
    assert can(operator, "core.add_region")
    assert not any(can(u, "core.add_region") for u in world_a.users.values())


def test_anonymous_visitor_holds_no_permission(world_a):
    assert roles_of(AnonymousUser(), world_a.region) == frozenset()
    assert not any(can(AnonymousUser(), perm, world_a.region) for perm in MATRIX)


def test_revoked_role_no_longer_counts_from_the_next_request(world_a):
    # given the region admin
    admin = world_a.users[Role.REGION_ADMIN]
    assert can(admin, "core.manage_units", world_a.region)
    with region_scope(world_a.region):
        membership = Membership.objects.get(user=admin, role=Role.REGION_ADMIN)

    # when the role is revoked
    membership_revoke(region=world_a.region, actor=admin, membership=membership, reason="Mutasi")

    # then the user, as the next request loads them, holds only the citizen role
    again = User.objects.get(pk=admin.pk)
    assert not can(again, "core.manage_units", world_a.region)
    assert roles_of(again, world_a.region) == frozenset({Role.CITIZEN})
