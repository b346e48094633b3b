"""Both test regions with the permits module on, the starter activities, a head of region
and a pharmacy permit type."""

from __future__ import annotations

import pytest

from lumbung.core.tests.factories import RegionWorld

from .factories import PermitsWorld, enable_permits


@pytest.fixture
def pworld_a(world_a: RegionWorld) -> PermitsWorld:
    return enable_permits(world_a)


@pytest.fixture
def pworld_b(world_b: RegionWorld) -> PermitsWorld:
    return enable_permits(world_b)
