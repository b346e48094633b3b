"""Factories for core: an active region with units and a user in every role."""

from __future__ import annotations

from dataclasses import dataclass, field

import factory
from django.db import transaction

from lumbung.core.models import Region, Unit, User
from lumbung.core.models.people import Role
from lumbung.core.models.units import UnitKind
from lumbung.core.services.people import membership_grant
from lumbung.core.services.regions import region_add
from lumbung.core.services.units import unit_create
from lumbung.core.tenancy import region_scope

PASSWORD = "pw-test-12345"


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.test")
    full_name = factory.Faker("name")

    @factory.post_generation
    def confirmed(obj: User, create: bool, extracted: bool | None, **kwargs: object) -> None:  # noqa: N805
        """A confirmed address, as real accounts have (pass confirmed=False for one without)."""
        if create and extracted is not False:
            from allauth.account.models import EmailAddress

            EmailAddress.objects.get_or_create(
                user=obj, email=obj.email, defaults={"verified": True, "primary": True}
            )

    @factory.post_generation
    def password(obj: User, create: bool, extracted: str | None, **kwargs: object) -> None:  # noqa: N805
        obj.set_password(extracted or PASSWORD)
        if create:
            obj.save(update_fields=["password"])


@dataclass
class RegionWorld:
    region: Region
    unit: Unit
    other_unit: Unit
    users: dict[Role, User] = field(default_factory=dict)


def make_world(
    code: str, *, modules: list[str] | None = None, staff_mfa: bool = False
) -> RegionWorld:
    """Activate region `code` through the services, with two units and one user per role.
    Staff TOTP is off unless asked for, so tests reach pages without a second factor."""
    region = region_add(code=code, actor=None, modules=modules or [])
    if region.staff_mfa_required != staff_mfa:
        Region.objects.filter(pk=region.pk).update(staff_mfa_required=staff_mfa)
        region.staff_mfa_required = staff_mfa
    with region_scope(region), transaction.atomic():
        unit = unit_create(
            region=region,
            actor=None,
            data={"code": "DPMPTSP", "name": "DPMPTSP", "kind": UnitKind.DINAS},
        )
        other = unit_create(
            region=region,
            actor=None,
            data={"code": "DINSOS", "name": "Dinas Sosial", "kind": UnitKind.DINAS},
        )
        world = RegionWorld(region=region, unit=unit, other_unit=other)
        for role in (Role.REGION_ADMIN, Role.OFFICER, Role.UNIT_HEAD, Role.AUDITOR):
            user: User = UserFactory.create(email=f"{role.value}@{region.slug}.test")
            membership_grant(region=region, actor=None, user=user, role=role, unit=unit)
            world.users[role] = user
        world.users[Role.CITIZEN] = UserFactory.create(email=f"citizen@{region.slug}.test")
    return world
