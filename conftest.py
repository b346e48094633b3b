"""Fixtures shared by every module's tests: two active regions, people in every role."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import Client

from lumbung.core.models import Region, User
from lumbung.core.models.people import Role
from lumbung.core.tenancy import dangerously_unscoped
from lumbung.core.tests.factories import RegionWorld, make_world


@pytest.fixture(autouse=True)
def _clear_caches() -> Iterator[None]:
    from django.core.cache import cache

    from lumbung.api.ratelimit import shared_tally

    cache.clear()
    shared_tally.reset()  # per-process tallies outlive each test's rolled-back counters
    yield
    cache.clear()
    shared_tally.reset()


@pytest.fixture
def world_a(db: None) -> RegionWorld:
    """Kota Bandung, active, with the test-only `sample` module on and staff in every role."""
    return make_world("32.73", modules=["sample"])


@pytest.fixture
def world_b(db: None) -> RegionWorld:
    """Kota Tangerang: the other tenant every isolation test checks against."""
    return make_world("36.71", modules=["sample"])


@pytest.fixture
def region_a(world_a: RegionWorld) -> Region:
    return world_a.region


@pytest.fixture
def region_b(world_b: RegionWorld) -> Region:
    return world_b.region


@pytest.fixture
def operator(db: None) -> User:
    with dangerously_unscoped():
        return User.objects.create_user(
            email="operator@platform.test", password="pw-operator-1", is_platform_operator=True
        )


@pytest.fixture
def citizen(db: None) -> User:
    return User.objects.create_user(email="warga@example.test", password="pw-citizen-1")


def login(client: Client, user: User) -> Client:
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture
def as_role(client: Client, world_a: RegionWorld):
    def _as(role: Role) -> Client:
        return login(client, world_a.users[role])

    return _as
