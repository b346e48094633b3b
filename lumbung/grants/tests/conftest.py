"""Both test regions with the grants module on, its teams staffed, a verified
organisation and an open programme."""

from __future__ import annotations

import pytest

from lumbung.core.tests.factories import RegionWorld

from .factories import GrantsWorld, grants_world


@pytest.fixture
def gworld_a(world_a: RegionWorld) -> GrantsWorld:
    return grants_world(world_a)


@pytest.fixture
def gworld_b(world_b: RegionWorld) -> GrantsWorld:
    return grants_world(world_b)
